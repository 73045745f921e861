import Foundation
import Testing
@testable import Reconciliation

@Suite struct ReconcileTests {
    /// Reconciles two tables written as CSV (or SpreadsheetML) and reads the result back.
    static func reconcile(_ type: ExportType, before: Table, after: Table, xml: Bool = false, in scratch: Scratch) throws -> (ResultFile, ReconciliationSummary) {
        let ext = xml ? "xml" : "csv"
        let b = scratch.write("2026-1234-\(type.code)-BeforeDelete.\(ext)", xml ? before.spreadsheetML() : before.csv())
        let a = scratch.write("2026-1234-\(type.code)-AfterUpload.\(ext)", xml ? after.spreadsheetML() : after.csv())
        let out = scratch.path("result-\(ext).csv")
        let summary = try Reconciliation.reconcile(type: type, before: b, after: a, output: out)
        return (try ResultFile(path: out), summary)
    }

    static func counts(_ summary: ReconciliationSummary) -> [Int] {
        MatchStatus.allCases.map { summary.counts[$0] ?? 0 }
    }

    @Test func courseMarksGetEachOfTheFourStatuses() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let before = Table(header: CM.header, rows: [
            CM.row(asn: "012345678", code: "ELA1105"),
            CM.row(asn: "012345678", code: "MAT1791", value: "78"),
            CM.row(asn: "023456789", code: "SCN1270"),
        ])
        let after = Table(header: CM.header, rows: [
            CM.row(asn: "012345678", code: "MAT1791", value: "85", status: "Active"),
            CM.row(asn: "012345678", code: "ELA1105"),
            CM.row(asn: "034567891", code: "PED1445"),
        ])
        let (result, summary) = try Self.reconcile(.courseMarks, before: before, after: after, in: scratch)
        #expect(Self.counts(summary) == [1, 1, 1, 1])
        #expect(result.header == CM.header + ["Match Status", "Differences"])
        #expect(result.status(where: ["ASN": "012345678", "Code": "ELA1105"]) == "Perfectly Matched")
        #expect(result.status(where: ["ASN": "012345678", "Code": "MAT1791"]) == "Matched with Data Differences")
        #expect(result.status(where: ["ASN": "034567891"]) == "Added New to PASI")
        #expect(result.status(where: ["ASN": "023456789"]) == "Missing from PASI")
        // A changed mark is found with its column and both values; the record shows the After values.
        let changed = result.rows(.matchedWithDataDifferences)[0]
        #expect(changed["Differences"] == "Value: 78 → 85; Status: Completed → Active")
        #expect(changed["Value"] == "85")
        #expect(changed["Student Name"] == "Doe, Jane \"JJ\"")
        #expect(summary.differencesByColumn.map(\.column) == ["Value", "Status"])
        #expect(result.rows(.perfectlyMatched)[0]["Differences"] == "")
    }

    @Test func theSameCourseInTwoTermsPairsByTerm() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let before = Table(header: CM.header, rows: [
            CM.row(code: "FNA1335", section: "Art A", term: "1", value: "70"),
            CM.row(code: "FNA1335", section: "Art B", term: "2", value: "80"),
        ])
        // After the upload: the other order, and term 1's mark changed.
        let after = Table(header: CM.header, rows: [
            CM.row(code: "FNA1335", section: "Art B", term: "2", value: "80"),
            CM.row(code: "FNA1335", section: "Art A", term: "1", value: "75"),
        ])
        let (result, summary) = try Self.reconcile(.courseMarks, before: before, after: after, in: scratch)
        #expect(Self.counts(summary) == [0, 1, 1, 0])
        #expect(result.status(where: ["Term": "2"]) == "Perfectly Matched")
        #expect(result.status(where: ["Term": "1"]) == "Matched with Data Differences")
        #expect(result.rows(.matchedWithDataDifferences)[0]["Differences"] == "Value: 70 → 75")
    }

    @Test func aRecordTwiceUnderOneKeyPairsPerfectMatchesFirst() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        // A student who changed section in term 1: two enrolments of one course in one term.
        let before = Table(header: CM.header, rows: [
            CM.row(section: "A", exit: "2025-10-15", value: "", status: "Withdrawn"),
            CM.row(section: "B", entry: "2025-10-16", value: "81"),
        ])
        // The first After record is section B with another mark; pairing it greedily with the first
        // Before record of its key would take section A's perfect partner.
        let after = Table(header: CM.header, rows: [
            CM.row(section: "B", entry: "2025-10-16", value: "84"),
            CM.row(section: "A", exit: "2025-10-15", value: "", status: "Withdrawn"),
        ])
        let (result, summary) = try Self.reconcile(.courseMarks, before: before, after: after, in: scratch)
        #expect(Self.counts(summary) == [0, 1, 1, 0])
        #expect(result.status(where: ["Section Description": "A"]) == "Perfectly Matched")
        #expect(result.rows(.matchedWithDataDifferences).first?["Differences"] == "Value: 81 → 84")
    }

    @Test func evaluatedMarksGetEachOfTheFourStatuses() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let before = Table(header: EM.header, rows: [
            EM.row(code: "MAT1791", method: "Challenge"),
            EM.row(code: "MAT1791", mark: "60", method: "Equivalency"),
            EM.row(code: "SCN1270"),
        ])
        let after = Table(header: EM.header.reversed(), rows: [
            EM.row(code: "MAT1791", mark: "62", method: "Equivalency", comment: "re-evaluated, \"final\"").reversed(),
            EM.row(code: "MAT1791", method: "Challenge").reversed(),
            EM.row(code: "SSN1104").reversed(),
        ])
        let (result, summary) = try Self.reconcile(.evaluatedMarks, before: before, after: after, in: scratch)
        #expect(Self.counts(summary) == [1, 1, 1, 1])
        #expect(result.status(where: ["Code": "MAT1791", "Evaluation Method": "Challenge"]) == "Perfectly Matched")
        #expect(result.status(where: ["Code": "MAT1791", "Evaluation Method": "Equivalency"]) == "Matched with Data Differences")
        #expect(result.status(where: ["Code": "SSN1104"]) == "Added New to PASI")
        #expect(result.status(where: ["Code": "SCN1270"]) == "Missing from PASI")
        // Columns in another order in the After file: matched by title, the Before file's order kept.
        #expect(result.header == EM.header + ["Match Status", "Differences"])
        #expect(result.rows(.matchedWithDataDifferences)[0]["Differences"] == "Mark Value: 60 → 62")
        #expect(result.rows(.matchedWithDataDifferences)[0]["Comment"] == "re-evaluated, \"final\"")
    }

    @Test func sectionsGetEachOfTheFourStatuses() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let before = Table(header: SE.header, rows: [
            SE.row(course: "SCN1270", term: "S1"),
            SE.row(course: "SCN1270", term: "S2", minutes: "6250"),
            SE.row(course: "ELA1105", term: "S1"),
        ])
        let after = Table(header: SE.header + ["Teacher"], rows: [
            SE.row(course: "SCN1270", term: "S2", minutes: "6000") + ["Ms. Lee"],
            SE.row(course: "SCN1270", term: "S1") + ["Mr. Roy"],
            SE.row(course: "MAT1791", term: "S1") + [""],
        ])
        let (result, summary) = try Self.reconcile(.sections, before: before, after: after, in: scratch)
        #expect(Self.counts(summary) == [1, 1, 1, 1])
        #expect(result.status(where: ["Courses Offered": "SCN1270", "Section Term": "S1"]) == "Perfectly Matched")
        #expect(result.status(where: ["Courses Offered": "SCN1270", "Section Term": "S2"]) == "Matched with Data Differences")
        #expect(result.status(where: ["Courses Offered": "MAT1791"]) == "Added New to PASI")
        #expect(result.status(where: ["Courses Offered": "ELA1105"]) == "Missing from PASI")
        // A column only the After file has comes after the Before file's columns.
        #expect(result.header == SE.header + ["Teacher", "Match Status", "Differences"])
        #expect(result.rows(.missingFromPASI)[0]["Teacher"] == "")
        #expect(result.rows(.matchedWithDataDifferences)[0]["Differences"] == "Instructional Mins Offered: 6250 → 6000")
    }

    @Test func blankValuesAreShownAsBlank() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let (result, _) = try Self.reconcile(.courseMarks, before: Table(header: CM.header, rows: [CM.row(exit: "")]),
                                             after: Table(header: CM.header, rows: [CM.row(exit: "2026-01-30")]), in: scratch)
        #expect(result.rows[0]["Differences"] == "Exit Date: (blank) → 2026-01-30")
    }

    @Test(arguments: ExportType.allCases)
    func legacyXMLGivesTheSameResultAsTheSameDataInCSV(type: ExportType) throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let (header, rows): ([String], [[String]]) = switch type {
        case .courseMarks: (CM.header, [CM.row(), CM.row(term: "2", value: "90"), CM.row(code: "MAT1791", exit: ""), CM.row(asn: "111111111")])
        case .evaluatedMarks: (EM.header, [EM.row(), EM.row(method: "Equivalency"), EM.row(code: "SCN1270", comment: "a, b"), EM.row(asn: "111111111")])
        case .sections: (SE.header, [SE.row(), SE.row(term: "S2"), SE.row(course: "ELA1105", start: ""), SE.row(course: "PED1445")])
        }
        let before = Table(header: header, rows: Array(rows[0..<3]))
        var changed = rows[1]
        changed[header.firstIndex(of: type.comparedColumns[0])!] += "0"
        let after = Table(header: header, rows: [changed, rows[0], rows[3]])
        let (fromCSV, csvSummary) = try Self.reconcile(type, before: before, after: after, in: scratch)
        let (fromXML, xmlSummary) = try Self.reconcile(type, before: before, after: after, xml: true, in: scratch)
        #expect(Self.counts(csvSummary) == [1, 1, 1, 1])
        #expect(Self.counts(xmlSummary) == Self.counts(csvSummary))
        #expect(fromXML.header == fromCSV.header)
        #expect(fromXML.rows == fromCSV.rows)
        #expect(xmlSummary.reports.map(\.format) == [.spreadsheetML, .spreadsheetML])
    }

    @Test func xmlWithDateTimeAndNumberCellsReadsLikeCSV() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let table = Table(header: CM.header, rows: [CM.row(), CM.row(code: "MAT1791", exit: "", value: "")])
        let b = scratch.write("2026-1234-CM-BeforeDelete.xml", table.spreadsheetML(dateColumns: ["Entry Date", "Exit Date", "Assignment Date"], numberColumns: ["Value", "Credits Attempted"]))
        let a = scratch.write("2026-1234-CM-AfterUpload.csv", table.csv())
        let summary = try Reconciliation.reconcile(type: .courseMarks, before: b, after: a, output: scratch.path("out.csv"))
        #expect(Self.counts(summary) == [0, 0, 2, 0])
    }

    @Test func refusalLeavesNothingAtTheOutput() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let b = scratch.write("2026-1234-CM-BeforeDelete.csv", Table(header: CM.header, rows: [CM.row()]).csv())
        let out = scratch.path("result.csv")
        // Malformed far down the After file, after records were already written to the result.
        let rows = (0..<5000).map { CM.row(asn: String(100_000_000 + $0)) }
        let a = scratch.write("2026-1234-CM-AfterUpload.csv", Table(header: CM.header, rows: rows).csv() + "\"012345678\",\"unclosed\r\n")
        let error = #expect(throws: ReconciliationError.self) {
            try Reconciliation.reconcile(type: .courseMarks, before: b, after: a, output: out)
        }
        #expect(error?.code == .malformed)
        #expect(error?.line == 5002)
        #expect(error?.column == 13)
        #expect(error?.description == "\(a): line 5002, column 13: a quoted field is never closed")
        #expect(scratch.listing() == ["2026-1234-CM-AfterUpload.csv", "2026-1234-CM-BeforeDelete.csv"])
    }

    @Test func missingColumnsAndSavedAgainFilesAreRefused() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let out = scratch.path("result.csv")
        let good = scratch.write("2026-1234-CM-BeforeDelete.csv", Table(header: CM.header, rows: [CM.row()]).csv())
        let noTerm = scratch.write("2026-1234-CM-AfterUpload.csv", Table(header: CM.header.filter { $0 != "Term" }, rows: [Array(CM.row().enumerated().filter { $0.offset != 6 }.map(\.element))]).csv())
        let missing = #expect(throws: ReconciliationError.self) { try Reconciliation.reconcile(type: .courseMarks, before: good, after: noTerm, output: out) }
        #expect(missing?.code == .failedValidation)
        #expect(missing?.reports[1].refusals == [Finding(severity: .error, message: "required column \"Term\" is missing")])

        let resaved = scratch.write("2026-1234-CM-AfterUpload.csv", Table(header: CM.header, rows: [CM.row(asn: "12345678")]).csv())
        let saved = #expect(throws: ReconciliationError.self) { try Reconciliation.reconcile(type: .courseMarks, before: good, after: resaved, output: out) }
        #expect(saved?.reports[1].refusals.map(\.severity) == [.savedAgain])
        #expect(!scratch.listing().contains("result.csv"))
        // The operator may accept it; the ASN that lost its leading zero still pairs with its record.
        let summary = try Reconciliation.reconcile(type: .courseMarks, before: good, after: resaved, output: out, allowSavedAgain: true)
        #expect(Self.counts(summary) == [0, 0, 1, 0])
        #expect(scratch.listing().contains("result.csv"))
    }

    @Test func swappedRolesOtherSchoolsAndOverwritingAnInputAreRefused() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let content = Table(header: CM.header, rows: [CM.row()]).csv()
        let b = scratch.write("2026-1234-CM-BeforeDelete.csv", content)
        let a = scratch.write("2026-1234-CM-AfterUpload.csv", content)
        let swapped = #expect(throws: ReconciliationError.self) { try Reconciliation.reconcile(type: .courseMarks, before: a, after: b, output: scratch.path("r.csv")) }
        #expect(swapped?.reports[0].refusals.map(\.message) == ["the file name says AfterUpload, but the file is given as the BeforeDelete file"])
        let other = scratch.write("2026-5678-CM-AfterUpload.csv", content)
        let school = #expect(throws: ReconciliationError.self) { try Reconciliation.reconcile(type: .courseMarks, before: b, after: other, output: scratch.path("r.csv")) }
        #expect(school?.reports[1].refusals.map(\.message) == ["the file names are of different school years or schools (2026-1234 and 2026-5678)"])
        let overwrite = #expect(throws: ReconciliationError.self) { try Reconciliation.reconcile(type: .courseMarks, before: b, after: a, output: a) }
        #expect(overwrite?.code == .invalidArguments)
        #expect(FileManager.default.contents(atPath: a) == Data(content.utf8))
    }

    @Test func resultKeepsTheBeforeFilesDialect() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let b = scratch.write("2026-1234-SE-BeforeDelete.csv", Table(header: SE.header, rows: [SE.row()]).csv(quoteAll: false, crlf: false, bom: false))
        let a = scratch.write("2026-1234-SE-AfterUpload.csv", Table(header: SE.header, rows: [SE.row()]).csv(quoteAll: false, crlf: false, bom: false))
        let out = scratch.path("r.csv")
        _ = try Reconciliation.reconcile(type: .sections, before: b, after: a, output: out)
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text == SE.header.joined(separator: ",") + ",Match Status,Differences\n" + "\"Science 10, Room 4\",SCN1270,5,2026,S1,In Person,English,Semester,6250,2025-09-02,Perfectly Matched,\n")
    }

    @Test func syntheticExportsReconcileToTheirExpectedCounts() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let (b, a, expected) = try SyntheticExports.writeCourseMarks(records: 5_000, directory: scratch.directory)
        let summary = try Reconciliation.reconcile(type: .courseMarks, before: b, after: a, output: scratch.path("r.csv"))
        #expect(Self.counts(summary) == [expected.addedNewToPASI, expected.matchedWithDataDifferences, expected.perfectlyMatched, expected.missingFromPASI])
        #expect(expected.missingFromPASI == 50 && expected.addedNewToPASI == 50 && expected.matchedWithDataDifferences == 50)
        #expect(summary.differencesByColumn.map(\.column) == ["Value"])
        #expect(summary.reports.allSatisfy { $0.findings.isEmpty })
        #expect(try ResultFile(path: scratch.path("r.csv")).rows.count == 5_050)
    }

    @Test func theCellsTheResultAddsAreQuotedLikeTheExport() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        // PASIprep quotes every field; the After file has a column the Before file lacks.
        let b = scratch.write("2026-1234-SE-BeforeDelete.csv", Table(header: SE.header, rows: [SE.row(), SE.row(course: "MAT1791")]).csv())
        let a = scratch.write("2026-1234-SE-AfterUpload.csv", Table(header: SE.header + ["Teacher"], rows: [SE.row() + ["Ms. \"K\""]]).csv())
        let out = scratch.path("r.csv")
        _ = try Reconciliation.reconcile(type: .sections, before: b, after: a, output: out)
        let data = try #require(FileManager.default.contents(atPath: out))
        #expect(Array(data.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let lines = String(decoding: data.dropFirst(3), as: UTF8.self).components(separatedBy: "\r\n")
        let quoted = { (values: [String]) in values.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ",") }
        #expect(lines[0] == quoted(SE.header + ["Teacher", "Match Status", "Differences"]))
        #expect(lines[1] == quoted(SE.row() + ["Ms. \"K\"", "Perfectly Matched", ""]))
        #expect(lines[2] == quoted(SE.row(course: "MAT1791") + ["", "Missing from PASI", ""]))
        #expect(lines.count == 4 && lines[3] == "")
    }
}
