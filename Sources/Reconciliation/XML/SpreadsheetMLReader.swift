import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads the legacy export, the XML Spreadsheet 2003 ("SpreadsheetML") that PASIprep's Export to
/// Excel writes, into CSV bytes, so that both formats go through one reader after this.
///
/// The mapping (docs/reconciliation.md): the first `Worksheet`'s `Table`; each `Row` is a row, its
/// `Cell`s the fields from column 1, where `ss:Index` moves a cell to its 1-based column (the
/// skipped cells are empty) and `ss:MergeAcross` makes a cell span more columns; a cell's value is
/// the text of its `Data` (formatting elements inside it are dropped). A `Data` of `ss:Type`
/// `DateTime` at midnight is read as its date, `YYYY-MM-DD`. Rows without any value are skipped,
/// the first one left is the header.
struct SpreadsheetMLReader {
    /// The rows as CSV (LF line ends, quoted where needed).
    var csv: [UInt8] = []
    /// The XML line on which each CSV row began; index 0 is the header.
    var rowLines: [Int] = []
    /// Per column index: how many cells of `ss:Type="Number"` it had, and the line of the first.
    var numberCells: [Int: (count: Int, firstLine: Int)] = [:]

    /// Reads SpreadsheetML from `bytes`.
    /// - Throws: ``ReconciliationError/Code/malformed`` naming the line and column, for XML that is
    ///   not well formed or not a SpreadsheetML workbook.
    init(bytes: UnsafeBufferPointer<UInt8>, path: String) throws(ReconciliationError) {
        // Foundation's XMLParser on Linux crashes on a name that is not UTF-8 (found by the fuzz
        // test), so the bytes are checked first; Excel writes SpreadsheetML as UTF-8.
        if let bad = CSVScanner.firstInvalidUTF8(bytes, from: 0, to: bytes.count) {
            var line = 1
            for i in 0..<bad where bytes[i] == 0x0A { line += 1 }
            throw .malformed(path, line: line, column: CSVScanner.column(of: bad, in: bytes), "bytes that are not UTF-8 text (the XML must be UTF-8, as Excel writes it)")
        }
        let data = Data(bytes)
        let reader = WorkbookReader()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = false
        parser.delegate = reader
        let parsed = parser.parse()
        if let problem = reader.problem {
            throw .malformed(path, line: problem.line, column: problem.column, problem.message)
        }
        if !parsed {
            let detail = parser.parserError.map { ($0 as NSError).localizedDescription } ?? "unknown error"
            throw .malformed(path, line: max(parser.lineNumber, 1), column: max(parser.columnNumber, 1), "the XML is not well formed (\(detail))")
        }
        guard reader.sawWorkbook else {
            throw .malformed(path, line: 1, column: 1, "not a SpreadsheetML workbook (no Workbook element)")
        }
        guard reader.sawWorkbookEnd else {
            throw .malformed(path, line: max(parser.lineNumber, 1), column: max(parser.columnNumber, 1), "the XML ends before its Workbook element is closed")
        }
        // Excel leaves out the empty cells at the end of a row: a row is as wide as the header, and
        // empty cells past the header's width are dropped.
        let width = reader.rows.first?.values.count ?? 0
        for var row in reader.rows {
            while row.values.count < width { row.values.append("") }
            while row.values.count > width, row.values.last == "" { row.values.removeLast() }
            for (index, value) in row.values.enumerated() {
                if index > 0 { csv.append(UInt8(ascii: ",")) }
                CSVEncoding.appendField(value, to: &csv)
            }
            csv.append(UInt8(ascii: "\n"))
            rowLines.append(row.line)
        }
        numberCells = reader.numberCells
    }
}

/// Collects the rows of the first worksheet.
private final class WorkbookReader: NSObject, XMLParserDelegate {
    struct Row {
        var line: Int
        var values: [String]
    }
    struct Problem {
        var line: Int
        var column: Int
        var message: String
    }

    var rows: [Row] = []
    var problem: Problem?
    var sawWorkbook = false
    var sawWorkbookEnd = false
    var numberCells: [Int: (count: Int, firstLine: Int)] = [:]

    private var worksheets = 0
    private var inTable = false
    private var tableDone = false
    private var row: Row?
    private var column = 0
    private var cellColumn = 0
    private var cellSpan = 0
    private var inData = false
    private var dataType = ""
    private var text = ""
    private var value = ""
    private var depth = 0

    private static func local(_ name: String) -> String {
        guard let colon = name.lastIndex(of: ":") else { return name }
        return String(name[name.index(after: colon)...])
    }

    private static func attribute(_ name: String, in attributes: [String: String]) -> String? {
        for (key, value) in attributes where local(key) == name { return value }
        return nil
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        depth += 1
        let name = Self.local(name)
        if depth == 1 {
            guard name == "Workbook" else { return fail(parser, "the root element is \(name), not a SpreadsheetML Workbook") }
            sawWorkbook = true
            return
        }
        if inData {
            return // formatting inside Data (html:Font, html:B…): its text is kept
        }
        switch name {
        case "Worksheet":
            worksheets += 1
        case "Table" where worksheets == 1 && !tableDone:
            inTable = true
        case "Row" where inTable:
            row = Row(line: parser.lineNumber, values: [])
            column = 0
        case "Cell" where row != nil:
            if let index = Self.attribute("Index", in: attributes) {
                guard let index = Int(index), index > column, index <= 16_384 else {
                    return fail(parser, "a Cell's ss:Index \"\(index)\" does not move forward from column \(column)")
                }
                column = index - 1
            }
            cellColumn = column
            cellSpan = 0
            if let merge = Self.attribute("MergeAcross", in: attributes) {
                guard let merge = Int(merge), merge >= 0, merge <= 16_384 else {
                    return fail(parser, "a Cell's ss:MergeAcross \"\(merge)\" is not a column count")
                }
                cellSpan = merge
            }
            value = ""
        case "Data" where row != nil:
            inData = true
            dataType = Self.attribute("Type", in: attributes) ?? "String"
            text = ""
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inData { text += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        defer { depth -= 1 }
        let name = Self.local(name)
        if depth == 1 {
            sawWorkbookEnd = true
            return
        }
        if inData {
            guard name == "Data" else { return }
            inData = false
            value = dataType == "DateTime" ? Self.dateOnly(text) : text
            if dataType == "Number" {
                let line = row?.line ?? parser.lineNumber
                numberCells[cellColumn, default: (0, line)].count += 1
            }
            return
        }
        switch name {
        case "Cell" where row != nil:
            while row!.values.count < cellColumn { row!.values.append("") }
            row!.values.append(value)
            for _ in 0..<cellSpan { row!.values.append("") }
            column = cellColumn + 1 + cellSpan
            value = ""
        case "Row" where row != nil:
            if row!.values.contains(where: { !$0.isEmpty }) { rows.append(row!) }
            row = nil
        case "Table" where inTable:
            inTable = false
            tableDone = true
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        if problem == nil {
            problem = Problem(line: max(parser.lineNumber, 1), column: max(parser.columnNumber, 1),
                              message: "the XML is not well formed (\((parseError as NSError).localizedDescription))")
        }
    }

    /// `2024-09-03T00:00:00.000` → `2024-09-03`; any other text is kept.
    static func dateOnly(_ text: String) -> String {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 19, utf8[10] == UInt8(ascii: "T") else { return text }
        let time = String(decoding: utf8[11...], as: UTF8.self)
        guard time == "00:00:00" || time == "00:00:00.000" || time == "00:00:00Z" else { return text }
        return String(decoding: utf8[..<10], as: UTF8.self)
    }

    private func fail(_ parser: XMLParser, _ message: String) {
        if problem == nil {
            problem = Problem(line: max(parser.lineNumber, 1), column: max(parser.columnNumber, 1), message: message)
        }
        parser.abortParsing()
    }
}
