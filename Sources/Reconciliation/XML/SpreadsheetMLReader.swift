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
///
/// The XML is read as a stream (Foundation's parser pulls it from the file in chunks) and each row
/// is turned into CSV as soon as it ends, so what is held is the CSV (about the size of the same
/// export as CSV), never the XML nor a row per object.
struct SpreadsheetMLReader {
    /// The rows as CSV (LF line ends, quoted where needed).
    let csv: GrowingBytes
    /// The XML line on which each CSV row began; index 0 is the header.
    let rowLines: [Int]
    /// Per column index: how many cells of `ss:Type="Number"` it had, and the line of the first.
    let numberCells: [Int: (count: Int, firstLine: Int)]

    /// Reads the SpreadsheetML file at `path`.
    /// - Throws: ``ReconciliationError/Code/malformed`` naming the line and column, for XML that is
    ///   not well formed or not a SpreadsheetML workbook.
    init(path: String) throws(ReconciliationError) {
        // Foundation's XMLParser on Linux crashes on a name that is not UTF-8 (found by the fuzz
        // test), so the bytes are checked first, in chunks; Excel writes SpreadsheetML as UTF-8.
        try Self.checkUTF8(path)
        guard let stream = InputStream(fileAtPath: path) else { throw .cannotRead(path, ENOENT) }
        let reader = WorkbookReader()
        let parser = XMLParser(stream: stream)
        parser.shouldProcessNamespaces = false
        parser.delegate = reader
        let parsed = parser.parse()
        if let problem = reader.problem {
            throw .malformed(path, line: problem.line, column: problem.column, problem.message)
        }
        if !parsed {
            if let error = parser.parserError as? NSError, error.domain != XMLParser.errorDomain {
                throw .malformed(path, line: 1, column: 1, "the file cannot be read (\(error.localizedDescription))")
            }
            let detail = parser.parserError.map { ($0 as NSError).localizedDescription } ?? "unknown error"
            throw .malformed(path, line: max(parser.lineNumber, 1), column: max(parser.columnNumber, 1), "the XML is not well formed (\(detail))")
        }
        guard reader.sawWorkbook else {
            throw .malformed(path, line: 1, column: 1, "not a SpreadsheetML workbook (no Workbook element)")
        }
        guard reader.sawWorkbookEnd else {
            throw .malformed(path, line: max(parser.lineNumber, 1), column: max(parser.columnNumber, 1), "the XML ends before its Workbook element is closed")
        }
        csv = reader.csv
        rowLines = reader.rowLines
        numberCells = reader.numberCells
    }

    /// Refuses a file that is not UTF-8, naming the line and column of its first bad byte; reads
    /// it in chunks of 1 MiB (a sequence cut by a chunk's end is carried into the next).
    static func checkUTF8(_ path: String) throws(ReconciliationError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .cannotRead(path, errno) }
        defer { close(fd) }
        let capacity = 1 << 20
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        var carried = 0, consumed = 0
        while true {
            let n = read(fd, buffer.baseAddress! + carried, capacity - carried)
            if n < 0 {
                if errno == EINTR { continue }
                throw .cannotRead(path, errno)
            }
            let available = carried + n
            let bytes = UnsafeBufferPointer(rebasing: buffer[0..<available])
            // The last complete sequence's end: a lead byte in the last three bytes whose sequence
            // runs past the end waits for the next chunk (unless the file ends here).
            var end = available
            if n > 0 {
                var k = available - 1
                while k >= max(0, available - 3) && bytes[k] & 0xC0 == 0x80 { k -= 1 }
                if k >= 0 && k >= available - 3 {
                    let lead = bytes[k]
                    let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
                    if k + length > available { end = k }
                }
            }
            if let bad = CSVScanner.firstInvalidUTF8(bytes, from: 0, to: end) {
                throw place(of: consumed + bad, in: path)
            }
            if n == 0 { return }
            let rest = available - end
            if rest > 0 { buffer.baseAddress!.update(from: buffer.baseAddress! + end, count: rest) }
            carried = rest
            consumed += end
        }
    }

    /// The refusal for the byte at `offset` (after any byte-order mark), with its line and column.
    private static func place(of offset: Int, in path: String) -> ReconciliationError {
        guard let storage = try? ByteStorage(mapping: path) else {
            return .malformed(path, line: 1, column: 1, "bytes that are not UTF-8 text (the XML must be UTF-8, as Excel writes it)")
        }
        let raw = storage.bytes
        let skip = raw.count >= 3 && raw[0] == 0xEF && raw[1] == 0xBB && raw[2] == 0xBF ? 3 : 0
        let bytes = UnsafeBufferPointer(rebasing: raw[skip...])
        let bad = offset - skip
        var line = 1
        for i in 0..<bad where bytes[i] == 0x0A { line += 1 }
        return .malformed(path, line: line, column: CSVScanner.column(of: bad, in: bytes), "bytes that are not UTF-8 text (the XML must be UTF-8, as Excel writes it)")
    }
}

/// Bytes appended to a buffer that grows by doubling, then handed to a ``ByteStorage`` without a
/// copy (what is not handed over is freed with the object).
final class GrowingBytes {
    private var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 1 << 16) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    @inline(__always)
    func append(_ byte: UInt8) {
        if count == capacity { grow(count + 1) }
        base[count] = byte
        count += 1
    }

    func append(contentsOf bytes: some Collection<UInt8>) {
        if count + bytes.count > capacity { grow(count + bytes.count) }
        for byte in bytes {
            base[count] = byte
            count += 1
        }
    }

    /// The bytes, which the caller now owns; this object is left empty.
    func handOver() -> (buffer: UnsafeMutableBufferPointer<UInt8>, count: Int) {
        let taken = (UnsafeMutableBufferPointer(start: base, count: capacity), count)
        capacity = 1
        count = 0
        base = .allocate(capacity: 1)
        return taken
    }

    private func grow(_ needed: Int) {
        var size = capacity * 2
        while size < needed { size *= 2 }
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        larger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = larger
        capacity = size
    }

    deinit { base.deallocate() }
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

    /// The rows read so far, as CSV.
    let csv = GrowingBytes()
    var rowLines: [Int] = []
    /// The header's width, once it is read.
    private var width: Int?
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
            if row!.values.contains(where: { !$0.isEmpty }) { emit(row!) }
            row = nil
        case "Table" where inTable:
            inTable = false
            tableDone = true
        default:
            break
        }
    }

    /// A row as a CSV line. Excel leaves out the empty cells at the end of a row: a row is as wide
    /// as the header, and empty cells past the header's width are dropped.
    private func emit(_ row: Row) {
        var values = row.values
        let width = self.width ?? values.count
        self.width = width
        while values.count < width { values.append("") }
        while values.count > width, values.last == "" { values.removeLast() }
        for (index, value) in values.enumerated() {
            if index > 0 { csv.append(UInt8(ascii: ",")) }
            CSVEncoding.appendField(value, to: csv)
        }
        csv.append(UInt8(ascii: "\n"))
        rowLines.append(row.line)
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
