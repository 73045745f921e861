/// The format of an export, recognised by its content, not by its name.
public enum ExportFormat: String, Sendable, Hashable, CustomStringConvertible {
    /// The export of List Course Enrolments as of version 17.3.0.
    case csv = "CSV"
    /// The legacy XML Spreadsheet 2003 of PASIprep's Export to Excel.
    case spreadsheetML = "SpreadsheetML"

    public var description: String { rawValue }
}

/// One export opened for reading: its bytes as CSV (the XML already converted), its header, and
/// what the writer of the result copies from it (byte-order mark, line ends).
final class ExportFile {
    let path: String
    /// The last part of the path.
    let name: String
    let format: ExportFormat
    let storage: ByteStorage
    /// The column titles, exactly as written.
    let header: [String]
    /// The header row's fields.
    let headerFields: [CSVFieldRange]
    /// Where the first record may begin, and its line.
    let bodyOffset: Int
    let bodyLine: Int
    /// The file began with a UTF-8 byte-order mark.
    let hadByteOrderMark: Bool
    /// The header row ended with CRLF.
    let usesCRLF: Bool
    /// For SpreadsheetML: the XML line of each row (0 is the header).
    let rowLines: [Int]?
    /// For SpreadsheetML: cells of type Number per column.
    let numberCells: [Int: (count: Int, firstLine: Int)]
    /// The offset where the bytes of the CSV (after any byte-order mark) begin.
    let start: Int

    var bytes: UnsafeBufferPointer<UInt8> { storage.bytes }

    /// Opens the file at `path` and reads its header.
    init(path: String) throws(ReconciliationError) {
        self.path = path
        name = path.split(separator: "/").last.map(String.init) ?? path
        let mapped = try ByteStorage(mapping: path)
        let raw = mapped.bytes
        var offset = 0
        if raw.count >= 3 && raw[0] == 0xEF && raw[1] == 0xBB && raw[2] == 0xBF { offset = 3 }
        hadByteOrderMark = offset == 3
        if raw.count >= 2 && ((raw[0] == 0xFF && raw[1] == 0xFE) || (raw[0] == 0xFE && raw[1] == 0xFF)) {
            throw .malformed(path, line: 1, column: 1, "the file is UTF-16 text (a spreadsheet program's \"Unicode Text\"); export it again from PASIprep")
        }
        var first = offset
        while first < raw.count, raw[first] == 0x20 || raw[first] == 0x09 || raw[first] == 0x0A || raw[first] == 0x0D { first += 1 }
        if first < raw.count && raw[first] == UInt8(ascii: "<") {
            format = .spreadsheetML
            // Read as a stream from the file: its pages are not kept (only the first were touched).
            let sheet = try SpreadsheetMLReader(path: path)
            storage = ByteStorage(adopting: sheet.csv)
            rowLines = sheet.rowLines
            numberCells = sheet.numberCells
            start = 0
        } else {
            format = .csv
            storage = mapped
            rowLines = nil
            numberCells = [:]
            start = offset
        }
        var scanner = CSVScanner(bytes: storage.bytes, offset: start)
        let found: Bool
        do { found = try scanner.nextRow() } catch { throw .malformed(path, error) }
        guard found else {
            throw .malformed(path, line: 1, column: 1, "the file is empty: it has no header row")
        }
        headerFields = scanner.fields
        let content = storage.bytes
        header = scanner.fields.map { CSVScanner.value(of: $0, in: content) }
        usesCRLF = format == .spreadsheetML ? true : scanner.rowEndedWithCRLF
        bodyOffset = scanner.offset
        bodyLine = scanner.nextLine
    }

    /// A scanner over the records, after the header.
    func makeScanner() -> CSVScanner {
        CSVScanner(bytes: storage.bytes, offset: bodyOffset, line: bodyLine)
    }

    /// The line to report for a record: the CSV line, or the XML line of the row.
    func line(ofRecord ordinal: Int, scannerLine: Int) -> Int {
        guard let rowLines else { return scannerLine }
        return ordinal + 1 < rowLines.count ? rowLines[ordinal + 1] : scannerLine
    }

    /// The index of every column title (the first, if a title appears twice).
    func columnIndex() -> [String: Int] {
        var index: [String: Int] = [:]
        for (i, title) in header.enumerated() where index[title] == nil { index[title] = i }
        return index
    }
}
