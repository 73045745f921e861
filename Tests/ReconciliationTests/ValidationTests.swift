import Foundation
import Testing
@testable import Reconciliation

@Suite struct ValidationTests {
    @Test(arguments: ExportType.allCases)
    func cleanExportOfEachTypePasses(type: ExportType) {
        let scratch = Scratch()
        defer { scratch.remove() }
        let table: Table = switch type {
        case .courseMarks: Table(header: CM.header, rows: [CM.row(), CM.row(term: "2")])
        case .evaluatedMarks: Table(header: EM.header, rows: [EM.row()])
        case .sections: Table(header: SE.header, rows: [SE.row()])
        }
        let path = scratch.write("2026-1234-\(type.code)-BeforeDelete.csv", table.csv())
        let report = Reconciliation.validate(path: path, type: type)
        #expect(report.findings == [])
        #expect(report.passes)
        #expect(report.format == .csv)
        #expect(report.records == table.rows.count)
    }

    @Test func namesEveryMissingColumnOfEachType() {
        let scratch = Scratch()
        defer { scratch.remove() }
        for type in ExportType.allCases {
            // A header of unrelated columns only: every required column is named, in the seed's order.
            let path = scratch.write("2026-1234-\(type.code)-AfterUpload.csv", "\"Student Name\",\"Comment\"\r\n\"x\",\"y\"\r\n")
            let report = Reconciliation.validate(path: path, type: type)
            let expected = type.requiredColumns.map { Finding(severity: .error, message: "required column \"\($0)\" is missing") }
            #expect(report.findings == expected)
            #expect(!report.passes)
        }
    }

    @Test func misspeltColumnIsNamedWithPASIprepsSpelling() {
        let scratch = Scratch()
        defer { scratch.remove() }
        var header = CM.header
        header[header.firstIndex(of: "Approved?")!] = "Approved"
        header[header.firstIndex(of: "Credits Attempted")!] = "credits attempted"
        let path = scratch.write("2026-1234-CM-BeforeDelete.csv", Table(header: header, rows: [CM.row()]).csv())
        let report = Reconciliation.validate(path: path, type: .courseMarks)
        #expect(report.findings.map(\.message) == [
            "required column \"Credits Attempted\" is missing (found \"credits attempted\": PASIprep spells it \"Credits Attempted\")",
            "required column \"Approved?\" is missing (found \"Approved\": PASIprep spells it \"Approved?\")",
        ])
    }

    @Test func anExportOfAnotherTypeIsRecognised() {
        let scratch = Scratch()
        defer { scratch.remove() }
        let path = scratch.write("marks.csv", Table(header: EM.header, rows: [EM.row()]).csv())
        let report = Reconciliation.validate(path: path, type: .courseMarks)
        #expect(report.findings.contains(Finding(severity: .error, message: "this looks like a Evaluated Marks (EM) export, not Course Marks (CM): it holds every column EM requires")))
    }

    @Test func fileNamesOfOtherFormsWarnAndAnotherTypeInTheNameIsAnError() {
        let scratch = Scratch()
        defer { scratch.remove() }
        let content = Table(header: CM.header, rows: [CM.row()]).csv()
        let odd = Reconciliation.validate(path: scratch.write("enrolments before.csv", content), type: .courseMarks)
        #expect(odd.findings == [Finding(severity: .warning, message: "the file name is not of the form YYYY-NNNN-CM-BeforeDelete.csv or YYYY-NNNN-CM-AfterUpload.csv")])
        #expect(odd.passes)
        let wrong = Reconciliation.validate(path: scratch.write("2026-1234-EM-BeforeDelete.csv", content), type: .courseMarks)
        #expect(wrong.findings == [Finding(severity: .error, message: "the file name says Evaluated Marks (EM), but the file is checked as Course Marks (CM)")])
        #expect(!wrong.passes)
    }

    /// The signs of a file opened and saved again by a spreadsheet program, each on its own.
    @Test func savedAgainSigns() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        func findings(_ table: Table, quoteAll: Bool = true, extra: String = "") -> [Finding] {
            let path = scratch.write("2026-1234-CM-AfterUpload.csv", table.csv(quoteAll: quoteAll) + extra)
            return Reconciliation.validate(path: path, type: .courseMarks).findings
        }
        let clean = [CM.row(), CM.row(asn: "123456782", term: "2")]

        let lostZeros = findings(Table(header: CM.header, rows: clean + [CM.row(asn: "12345678", code: "MAT1791")]))
        #expect(lostZeros == [Finding(severity: .savedAgain, message: "1 ASN with fewer than nine digits: leading zeros lost (first at line 4, column 1)")])

        let scientific = findings(Table(header: CM.header, rows: clean + [CM.row(asn: "1.23457E+08", code: "MAT1791")]))
        #expect(scientific == [Finding(severity: .savedAgain, message: "1 ASN written as a number (scientific notation or decimals) (first at line 4, column 1)")])

        let reformatted = findings(Table(header: CM.header, rows: clean + [CM.row(asn: "1234-5678-2", code: "MAT1791")]))
        #expect(reformatted == [Finding(severity: .savedAgain, message: "ASNs are reformatted: 2 as nine digits, 1 as 1234-5678-9 (the fewer first at line 4)")])

        let dates = findings(Table(header: CM.header, rows: clean + [CM.row(code: "MAT1791", entry: "9/2/2025")]))
        #expect(dates == [Finding(severity: .savedAgain, message: "1 date of \"Entry Date\" rewritten, not YYYY-MM-DD (\"9/2/2025\", first at line 4, column 92)")])

        // The header and the records quote every field; a spreadsheet program quotes only where needed.
        let minimal = CM.row(code: "MAT1791").map { $0.contains(",") || $0.contains("\"") ? "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : $0 }
        let requoted = Table(header: CM.header, rows: clean).csv(quoteAll: true) + minimal.joined(separator: ",") + "\r\n"
        let path = scratch.write("2026-1234-CM-BeforeDelete.csv", requoted)
        #expect(Reconciliation.validate(path: path, type: .courseMarks).findings == [
            Finding(severity: .savedAgain, message: "quoting changed: 3 rows quote every field, 1 only some (the fewer first at line 4)"),
        ])

        let commas = findings(Table(header: CM.header, rows: clean), extra: String(repeating: ",", count: CM.header.count - 1) + "\r\n")
        #expect(commas == [Finding(severity: .savedAgain, message: "1 row of empty fields only, as a spreadsheet program writes them (first at line 4)")])
    }

    @Test func aConsistentlyMinimalQuotedFileIsNotSuspect() {
        let scratch = Scratch()
        defer { scratch.remove() }
        let path = scratch.write("2026-1234-CM-BeforeDelete.csv", Table(header: CM.header, rows: [CM.row(), CM.row(term: "2")]).csv(quoteAll: false, crlf: false, bom: false))
        #expect(Reconciliation.validate(path: path, type: .courseMarks).findings == [])
    }

    @Test func malformedFileIsAnErrorWithLineAndColumn() {
        let scratch = Scratch()
        defer { scratch.remove() }
        let good = Table(header: CM.header, rows: [CM.row()]).csv(quoteAll: false, crlf: false, bom: false)
        let path = scratch.write("2026-1234-CM-BeforeDelete.csv", good + "012345678,x\"y\n")
        let report = Reconciliation.validate(path: path, type: .courseMarks)
        #expect(report.findings.last == Finding(severity: .error, message: "\(path): line 3, column 12: a quote inside a field that is not quoted"))
        let short = scratch.write("2026-1234-CM-AfterUpload.csv", good + "012345678,x\n")
        #expect(Reconciliation.validate(path: short, type: .courseMarks).findings.last == Finding(severity: .error, message: "\(short): line 3, column 12: this record has 2 fields, the header has 15"))
    }

    @Test func legacyXMLIsValidatedByContentWhateverItsName() {
        let scratch = Scratch()
        defer { scratch.remove() }
        let table = Table(header: CM.header, rows: [CM.row(), CM.row(term: "2")])
        let path = scratch.write("2026-1234-CM-BeforeDelete.csv", table.spreadsheetML(dateColumns: ["Entry Date", "Exit Date", "Assignment Date"]))
        let report = Reconciliation.validate(path: path, type: .courseMarks)
        #expect(report.format == .spreadsheetML)
        #expect(report.findings == [])
        #expect(report.records == 2)
        let numbers = scratch.write("2026-1234-CM-AfterUpload.xml", table.spreadsheetML(numberColumns: ["ASN"]))
        #expect(Reconciliation.validate(path: numbers, type: .courseMarks).findings == [
            Finding(severity: .savedAgain, message: "2 ASN cells of ss:Type Number, not String (first at line 27)"),
        ])
    }

    @Test func malformedXMLNamesLineAndColumn() {
        let scratch = Scratch()
        defer { scratch.remove() }
        let broken = scratch.write("2026-1234-CM-BeforeDelete.xml", "<?xml version=\"1.0\"?>\n<Workbook>\n <Worksheet>\n  <Table><Row><Cell><Data>ASN</Cell></Row>\n")
        let report = Reconciliation.validate(path: broken, type: .courseMarks)
        #expect(report.findings.count == 1)
        #expect(report.findings[0].message.hasPrefix("\(broken): line 4, column "))
        // Found by the fuzz test: Foundation's XMLParser crashes on an attribute name that is not UTF-8.
        let notUTF8 = scratch.write("2026-1234-CM-BeforeDelete.xml", bytes: Array("<?xml version=\"1.0\"?>\n<Workbook>\n <Cell ss:Typ".utf8) + [0xE1] + Array("=\"String\"/></Workbook>\n".utf8))
        #expect(Reconciliation.validate(path: notUTF8, type: .courseMarks).findings == [
            Finding(severity: .error, message: "\(notUTF8): line 3, column 14: bytes that are not UTF-8 text (the XML must be UTF-8, as Excel writes it)"),
        ])
        let other = scratch.write("2026-1234-CM-AfterUpload.xml", "<?xml version=\"1.0\"?>\n<html><body/></html>\n")
        #expect(Reconciliation.validate(path: other, type: .courseMarks).findings.map(\.message).first?.hasSuffix("the root element is html, not a SpreadsheetML Workbook") == true)
    }
}
