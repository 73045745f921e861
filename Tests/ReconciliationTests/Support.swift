import Foundation
@testable import Reconciliation

/// A fresh directory per test, removed by the caller's `defer`.
struct Scratch {
    let directory: String

    init() {
        directory = NSTemporaryDirectory() + "reconciliation-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }

    @discardableResult
    func write(_ name: String, _ content: String) -> String {
        write(name, bytes: Array(content.utf8))
    }

    @discardableResult
    func write(_ name: String, bytes: [UInt8]) -> String {
        let path = directory + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    func path(_ name: String) -> String { directory + "/" + name }

    /// The files in the directory.
    func listing() -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: directory))?.sorted() ?? [] }
}

/// A table written by hand: a header and rows, in the column order given.
struct Table {
    var header: [String]
    var rows: [[String]]

    /// CSV with every field quoted (PASIprep's style here), CRLF line ends and a byte-order mark.
    func csv(quoteAll: Bool = true, crlf: Bool = true, bom: Bool = true) -> String {
        let end = crlf ? "\r\n" : "\n"
        func field(_ value: String) -> String {
            // By scalars: "\r\n" is one Character, so a Character test would miss a lone "\n".
            if quoteAll || value.unicodeScalars.contains(where: { ",\"\r\n".unicodeScalars.contains($0) }) {
                return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
            return value
        }
        let lines = ([header] + rows).map { $0.map(field).joined(separator: ",") }
        return (bom ? "\u{FEFF}" : "") + lines.joined(separator: end) + end
    }

    /// The same table as the legacy SpreadsheetML of Export to Excel: empty cells left out (the
    /// next cell then carries ss:Index), dates as DateTime, numbers as Number.
    func spreadsheetML(dateColumns: Set<String> = [], numberColumns: Set<String> = []) -> String {
        func escape(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        }
        var xml = """
            <?xml version="1.0"?>
            <?mso-application progid="Excel.Sheet"?>
            <Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"
             xmlns:o="urn:schemas-microsoft-com:office:office"
             xmlns:x="urn:schemas-microsoft-com:office:excel"
             xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"
             xmlns:html="http://www.w3.org/TR/REC-html40">
             <Worksheet ss:Name="Course Enrolments">
              <Table>

            """
        for (r, row) in ([header] + rows).enumerated() {
            xml += "   <Row>\n"
            var skipped = false
            for (c, value) in row.enumerated() {
                if value.isEmpty { skipped = true; continue }
                let index = skipped ? " ss:Index=\"\(c + 1)\"" : ""
                skipped = false
                let title = header[c]
                if r > 0 && dateColumns.contains(title) {
                    xml += "    <Cell\(index)><Data ss:Type=\"DateTime\">\(value)T00:00:00.000</Data></Cell>\n"
                } else if r > 0 && numberColumns.contains(title) {
                    xml += "    <Cell\(index)><Data ss:Type=\"Number\">\(value)</Data></Cell>\n"
                } else {
                    xml += "    <Cell\(index)><Data ss:Type=\"String\">\(escape(value))</Data></Cell>\n"
                }
            }
            xml += "   </Row>\n"
        }
        xml += "  </Table>\n </Worksheet>\n <Worksheet ss:Name=\"Other\"><Table><Row><Cell><Data ss:Type=\"String\">ignored</Data></Cell></Row></Table></Worksheet>\n</Workbook>\n"
        return xml
    }
}

/// A result file read back: its header and each row by column title.
struct ResultFile {
    var header: [String]
    var rows: [[String: String]]

    init(path: String) throws {
        let file = try ExportFile(path: path)
        header = file.header
        var scanner = file.makeScanner()
        rows = []
        while try scanner.nextRow() {
            var row: [String: String] = [:]
            for (i, title) in header.enumerated() { row[title] = scanner.string(i) }
            rows.append(row)
        }
    }

    func rows(_ status: MatchStatus) -> [[String: String]] { rows.filter { $0["Match Status"] == status.rawValue } }

    /// The status of the one row whose columns hold the given values.
    func status(where values: [String: String]) -> String? {
        let found = rows.filter { row in values.allSatisfy { row[$0.key] == $0.value } }
        return found.count == 1 ? found[0]["Match Status"] : "\(found.count) rows"
    }
}

/// Course Marks exports by hand.
enum CM {
    static let extra = ["Student Name", "School Code", "Course Description"]
    /// The required columns with three others mixed in.
    static let header = ["ASN", "Student Name", "Code", "Course Description", "Credits Attempted", "Section Description", "Term",
                         "Entry Date", "Exit Date", "Value", "Assignment Date", "Approved?", "Status", "Funding Requested?", "School Code"]

    static func row(asn: String = "012345678", name: String = "Doe, Jane \"JJ\"", code: String = "ELA1105", credits: String = "5",
                    section: String = "ELA 10-1 A", term: String = "1", entry: String = "2025-09-02", exit: String = "2026-01-30",
                    value: String = "78", assigned: String = "2026-01-30", approved: String = "Yes", status: String = "Completed",
                    funding: String = "No", description: String = "English Language Arts 10-1") -> [String] {
        [asn, name, code, description, credits, section, term, entry, exit, value, assigned, approved, status, funding, "1234"]
    }
}

enum EM {
    static let header = ["ASN", "Code", "Credits", "School Year", "Mark Value", "Mark Value Approved?", "Evaluation Method",
                         "Mark Evaluation Date", "Funding Requested?", "Comment"]
    static func row(asn: String = "023456789", code: String = "MAT1791", credits: String = "5", year: String = "2026",
                    mark: String = "65", approved: String = "Yes", method: String = "Challenge", date: String = "2026-03-15",
                    funding: String = "No", comment: String = "") -> [String] {
        [asn, code, credits, year, mark, approved, method, date, funding, comment]
    }
}

enum SE {
    static let header = ["Section Description", "Courses Offered", "Credit Offered", "School Year", "Section Term", "Primary Delivery Method",
                         "Language of Instruction", "Delivery Schedule", "Instructional Mins Offered", "Start Date"]
    static func row(description: String = "Science 10, Room 4", course: String = "SCN1270", credits: String = "5", year: String = "2026",
                    term: String = "S1", method: String = "In Person", language: String = "English", schedule: String = "Semester",
                    minutes: String = "6250", start: String = "2025-09-02") -> [String] {
        [description, course, credits, year, term, method, language, schedule, minutes, start]
    }
}
