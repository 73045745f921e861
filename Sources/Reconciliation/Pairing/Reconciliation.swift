import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a reconciliation found: the count per match status, the differences per column, and the
/// validation reports of both files.
public struct ReconciliationSummary: Sendable {
    /// Records per ``MatchStatus``.
    public var counts: [MatchStatus: Int]
    /// For each compared column, how many pairs differ in it (columns without differences left out).
    public var differencesByColumn: [(column: String, count: Int)]
    /// The Before Delete file's report, then the After Upload file's.
    public var reports: [ValidationReport]
    /// The path of the result file.
    public var output: String
}

/// The Reconciliation Process of the seed: pairs the records of a Before Delete export with those
/// of the After Upload export by key, compares each pair, and writes every record of either file
/// with its `Match Status`.
public enum Reconciliation {
    /// Runs the validation tool on one export.
    /// - Parameters:
    ///   - path: The export, CSV or SpreadsheetML.
    ///   - type: The type it should be.
    ///   - role: The role it is used in, if known (else the name's role is taken as it is).
    /// - Returns: The report; a file that cannot be read or is malformed gives an error finding
    ///   with its line and column.
    public static func validate(path: String, type: ExportType, role: ExportRole? = nil) -> ValidationReport {
        var report = ValidationReport(file: path, type: type)
        do throws(ReconciliationError) {
            let file = try ExportFile(path: path)
            report.format = file.format
            ExportValidator.checkName(path, type: type, role: role, into: &report)
            ExportValidator.checkHeader(file.header, type: type, into: &report)
            try forEachRecord(of: file, type: type, report: &report) { _ in }
        } catch {
            report.add(.error, error.description)
        }
        return report
    }

    /// Reconciles two exports and writes the result file.
    /// - Parameters:
    ///   - type: Course Marks, Evaluated Marks or Sections.
    ///   - before: The Before Delete export.
    ///   - after: The After Upload export.
    ///   - output: Where the result goes (CSV); written to a temporary file and renamed at the end.
    ///   - allowSavedAgain: Accept files that show signs of having been saved again.
    /// - Throws: ``ReconciliationError``: a malformed file (with line and column), a file that fails
    ///   the validation tool (with both reports), or a file that cannot be read or written. Nothing
    ///   is left at `output` then.
    public static func reconcile(type: ExportType, before: String, after: String, output: String, allowSavedAgain: Bool = false) throws(ReconciliationError) -> ReconciliationSummary {
        if sameFile(output, before) || sameFile(output, after) {
            throw .invalidArguments(output, "the result would overwrite an export; give another --out")
        }
        let beforeFile = try ExportFile(path: before)
        let afterFile = try ExportFile(path: after)
        var beforeReport = ValidationReport(file: before, type: type)
        var afterReport = ValidationReport(file: after, type: type)
        beforeReport.acceptsSavedAgain = allowSavedAgain
        afterReport.acceptsSavedAgain = allowSavedAgain
        beforeReport.format = beforeFile.format
        afterReport.format = afterFile.format
        ExportValidator.checkName(before, type: type, role: .beforeDelete, into: &beforeReport)
        ExportValidator.checkName(after, type: type, role: .afterUpload, into: &afterReport)
        if let b = ExportFileName(path: before), let a = ExportFileName(path: after), (b.schoolYear, b.school) != (a.schoolYear, a.school) {
            afterReport.add(.error, "the file names are of different school years or schools (\(b.schoolYear)-\(b.school) and \(a.schoolYear)-\(a.school))")
        }
        ExportValidator.checkHeader(beforeFile.header, type: type, into: &beforeReport)
        ExportValidator.checkHeader(afterFile.header, type: type, into: &afterReport)
        if !beforeReport.passes || !afterReport.passes {
            throw .failedValidation([beforeReport, afterReport])
        }
        // Pass 1, on two threads: the Before file indexed, the After file scanned (both inspected).
        let beforeLayout = Layout(file: beforeFile, type: type), afterLayout = Layout(file: afterFile, type: type)
        let (b, a) = (beforeReport, afterReport)
        let indexing = Job { () throws(ReconciliationError) in try Engine.indexBefore(beforeFile, beforeLayout, type, report: b) }
        let scanning = Job { () throws(ReconciliationError) in try Engine.scanAfter(afterFile, afterLayout, type, report: a) }
        DispatchQueue.concurrentPerform(iterations: 2) { $0 == 0 ? indexing.execute() : scanning.execute() }
        let (index, indexedReport) = try indexing.take()
        let (scan, scannedReport) = try scanning.take()
        beforeReport = indexedReport
        afterReport = scannedReport
        var engine = Engine(type: type, before: beforeFile, after: afterFile, index: consume index, scan: consume scan)
        let out = try OutputFile(path: output)
        do throws(ReconciliationError) {
            try engine.writeHeader(out)
            try engine.pairAfter(out)
            try engine.writeMissing(out)
            if !beforeReport.passes || !afterReport.passes {
                throw ReconciliationError.failedValidation([beforeReport, afterReport])
            }
            try out.commit()
        } catch {
            out.discard()
            throw error
        }
        return ReconciliationSummary(
            counts: engine.counts, differencesByColumn: engine.differencesByColumn(),
            reports: [beforeReport, afterReport], output: output)
    }

    /// Reads every record of `file`: refuses a malformed one, inspects each for the validation
    /// tool (findings and the record count go into `report`), and gives each to `body` (rows of
    /// empty fields only are skipped).
    @inline(__always)
    static func forEachRecord(of file: ExportFile, type: ExportType, report: inout ValidationReport, _ body: (CSVScanner) -> Void) throws(ReconciliationError) {
        var inspector = RecordInspector(file: file, type: type)
        var scanner = file.makeScanner()
        var ordinal = 0
        while try next(&scanner, file) {
            let line = file.line(ofRecord: ordinal, scannerLine: scanner.rowLine)
            ordinal += 1
            if scanner.fields.count != file.header.count {
                throw fieldCount(file, scanner, line, expected: file.header.count)
            }
            guard inspector.inspect(scanner, line: line) else { continue }
            report.records += 1
            body(scanner)
        }
        inspector.findings(into: &report)
    }

    /// The next row of a file, with a syntax error turned into a refusal naming the file.
    @inline(__always)
    static func next(_ scanner: inout CSVScanner, _ file: ExportFile) throws(ReconciliationError) -> Bool {
        do {
            return try scanner.nextRow()
        } catch {
            throw .malformed(file.path, error)
        }
    }

    static func fieldCount(_ file: ExportFile, _ scanner: CSVScanner, _ line: Int, expected: Int) -> ReconciliationError {
        let fields = scanner.fields
        let place = fields.count > expected ? fields[expected].rawStart : scanner.rowEnd
        let column = file.format == .csv ? CSVScanner.column(of: place, in: scanner.bytes) : 1
        return .malformed(file.path, line: file.format == .csv ? lineOf(place, scanner) : line, column: column,
                          "this record has \(fields.count) fields, the header has \(expected)")
    }

    private static func lineOf(_ offset: Int, _ scanner: CSVScanner) -> Int {
        var line = scanner.rowLine
        var i = scanner.rowStart
        while i < offset {
            if scanner.bytes[i] == 0x0A { line += 1 }
            i += 1
        }
        return line
    }

    private static func sameFile(_ a: String, _ b: String) -> Bool {
        var sa = stat(), sb = stat()
        guard stat(a, &sa) == 0, stat(b, &sb) == 0 else { return false }
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
    }
}

/// Where the type's columns are in one file.
struct Layout {
    let key: [Int]
    let asnKeyPosition: Int?
    let compared: [Int]

    init(file: ExportFile, type: ExportType) {
        let index = file.columnIndex()
        key = type.keyColumns.compactMap { index[$0] }
        asnKeyPosition = type.keyColumns.firstIndex(of: "ASN")
        compared = type.comparedColumns.compactMap { index[$0] }
    }

    /// The fingerprint of the compared values of the scanner's row (unquoted), each followed by its
    /// length.
    @inline(__always)
    func fingerprint(of scanner: CSVScanner) -> Fingerprint {
        var fingerprint = Fingerprint()
        for column in compared {
            let field = scanner.fields[column]
            fingerprint.add(scanner.bytes, from: field.start, to: field.end, escaped: field.escaped)
        }
        return fingerprint
    }

    /// The key of the scanner's row: the key columns' values, trimmed, the ASN reduced to its
    /// digits (padded with leading zeros to nine), joined by a unit separator.
    @inline(__always)
    func key(of scanner: CSVScanner, into key: inout [UInt8]) {
        key.removeAll(keepingCapacity: true)
        let bytes = scanner.bytes
        for (position, column) in self.key.enumerated() {
            if position > 0 { key.append(0x1F) }
            let field = scanner.fields[column]
            if position == asnKeyPosition {
                // Digits only, and the leading zeros a spreadsheet program drops put back.
                var digits = 0
                for i in field.start..<field.end where bytes[i] >= 0x30 && bytes[i] <= 0x39 { digits += 1 }
                for _ in digits..<max(digits, 9) { key.append(0x30) }
                for i in field.start..<field.end where bytes[i] >= 0x30 && bytes[i] <= 0x39 { key.append(bytes[i]) }
                continue
            }
            var start = field.start, end = field.end
            while start < end && (bytes[start] == 0x20 || bytes[start] == 0x09) { start += 1 }
            while end > start && (bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09) { end -= 1 }
            if field.escaped {
                var i = start
                while i < end {
                    key.append(bytes[i])
                    i += bytes[i] == 0x22 ? 2 : 1
                }
            } else {
                key.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<end]))
            }
        }
    }
}

/// Runs a piece of work on another thread and keeps its result (one writer, read after the
/// threads are joined).
final class Job<T>: @unchecked Sendable {
    private let work: () throws(ReconciliationError) -> T
    private var result: Result<T, ReconciliationError>?

    init(_ work: @escaping () throws(ReconciliationError) -> T) { self.work = work }

    func execute() {
        do throws(ReconciliationError) { result = .success(try work()) } catch { result = .failure(error) }
    }

    /// The result, handed over: the job keeps no reference, so the caller's first change to it
    /// copies nothing.
    func take() throws(ReconciliationError) -> T {
        defer { result = nil }
        return try result!.get()
    }
}

/// The passes of one reconciliation.
struct Engine {
    let type: ExportType
    let before: ExportFile
    let after: ExportFile
    let beforeLayout: Layout
    let afterLayout: Layout
    var index: KeyIndex
    let scan: AfterScan
    /// Records per status, in the order of `MatchStatus.allCases`.
    private var tally = [0, 0, 0, 0]
    var counts: [MatchStatus: Int] {
        Dictionary(uniqueKeysWithValues: MatchStatus.allCases.enumerated().map { ($0.element, tally[$0.offset]) })
    }
    var differences: [Int]
    /// For each column of the result: its index in each file, or -1.
    let outBefore: [Int]
    let outAfter: [Int]
    let sameHeader: Bool
    /// The Before Delete file quotes every field (as PASIprep does): the cells the result adds are
    /// quoted too, so that the result keeps one quoting style.
    let quoteAll: Bool
    let lineEnd: [UInt8]
    private var key: [UInt8] = []
    private var beforeScanner: CSVScanner
    private var afterScanner: CSVScanner
    private var deferred: [Int] = []

    init(type: ExportType, before: ExportFile, after: ExportFile, index: KeyIndex, scan: AfterScan) {
        self.type = type
        self.before = before
        self.after = after
        self.index = index
        self.scan = scan
        beforeLayout = Layout(file: before, type: type)
        afterLayout = Layout(file: after, type: type)
        differences = Array(repeating: 0, count: type.comparedColumns.count)
        let afterIndex = after.columnIndex()
        var outBefore: [Int] = [], outAfter: [Int] = []
        for (i, title) in before.header.enumerated() {
            outBefore.append(i)
            outAfter.append(afterIndex[title] ?? -1)
        }
        let beforeTitles = Set(before.header)
        for (i, title) in after.header.enumerated() where !beforeTitles.contains(title) {
            outBefore.append(-1)
            outAfter.append(i)
        }
        self.outBefore = outBefore
        self.outAfter = outAfter
        sameHeader = before.header == after.header
        quoteAll = before.format == .csv && before.headerFields.allSatisfy(\.quoted)
        lineEnd = before.usesCRLF ? [0x0D, 0x0A] : [0x0A]
        beforeScanner = before.makeScanner()
        afterScanner = after.makeScanner()
    }

    func differencesByColumn() -> [(column: String, count: Int)] {
        zip(type.comparedColumns, differences).filter { $0.1 > 0 }.map { ($0.0, $0.1) }
    }

    /// Pass 1a: every record of the Before Delete file into the index, inspected as it goes.
    static func indexBefore(_ file: ExportFile, _ layout: Layout, _ type: ExportType, report: ValidationReport) throws(ReconciliationError) -> (KeyIndex, ValidationReport) {
        var report = report
        var index = KeyIndex(expected: max(1024, file.bytes.count / 160))
        var key: [UInt8] = []
        try Reconciliation.forEachRecord(of: file, type: type, report: &report) { scanner in
            layout.key(of: scanner, into: &key)
            index.append(key: key, offset: scanner.rowStart, line: scanner.rowLine, fingerprint: layout.fingerprint(of: scanner))
        }
        index.buildTable()
        file.storage.adviseRandomAccess()
        return (index, report)
    }

    /// Pass 1b: every record of the After Upload file found, keyed and fingerprinted, inspected as
    /// it goes; its pages are handed back every 16 MiB.
    static func scanAfter(_ file: ExportFile, _ layout: Layout, _ type: ExportType, report: ValidationReport) throws(ReconciliationError) -> (AfterScan, ValidationReport) {
        var report = report
        var scan = AfterScan(expected: max(1024, file.bytes.count / 160))
        var key: [UInt8] = []
        var released = 0
        try Reconciliation.forEachRecord(of: file, type: type, report: &report) { scanner in
            layout.key(of: scanner, into: &key)
            scan.append(key: key, offset: scanner.rowStart, end: scanner.rowEnd, line: scanner.rowLine, fingerprint: layout.fingerprint(of: scanner))
            if scanner.rowStart - released > 1 << 24 {
                file.storage.release(before: scanner.rowStart)
                released = scanner.rowStart
            }
        }
        return (scan, report)
    }

    func writeHeader(_ out: OutputFile) throws(ReconciliationError) {
        if before.hadByteOrderMark || before.format == .spreadsheetML { out.append([0xEF, 0xBB, 0xBF]) }
        for column in 0..<outBefore.count {
            if column > 0 { out.append(0x2C) }
            if outBefore[column] >= 0 {
                let field = before.headerFields[outBefore[column]]
                out.append(UnsafeBufferPointer(rebasing: before.bytes[field.rawStart..<field.rawEnd]))
            } else {
                appendCell(out, Array(after.header[outAfter[column]].utf8))
            }
        }
        out.append(0x2C)
        appendCell(out, Array(MatchStatus.columnTitle.utf8))
        out.append(0x2C)
        appendCell(out, Array(MatchStatus.differencesColumnTitle.utf8))
        out.append(lineEnd)
    }

    /// The first Before record with the key of After record `r`, or -1.
    @inline(__always)
    private func firstCandidate(_ r: Int) -> Int {
        scan.keys.withUnsafeBufferPointer { keys in
            index.first(hash: scan.hashes[r], key: UnsafeBufferPointer(rebasing: keys[scan.keyStarts[r]..<scan.keyStarts[r + 1]]))
        }
    }

    private mutating func parseAfter(_ r: Int) throws(ReconciliationError) {
        afterScanner.seek(to: scan.offsets[r], line: Int(scan.lines[r]))
        _ = try Reconciliation.next(&afterScanner, after)
    }

    /// Pass 2: each record of the After Upload file with an unused Before record of the same key
    /// and the same fingerprint is Perfectly Matched and written at once; the others wait for pass
    /// 3, so that no record takes a partner that another record matches perfectly.
    mutating func pairAfter(_ out: OutputFile) throws(ReconciliationError) {
        var released = 0
        var previous = -1
        for r in 0..<scan.count {
            var perfect = -1
            let fingerprint = scan.fingerprints[r]
            // Exports of one school usually list their records in the same order: the Before record
            // after the last one paired is tried first, and taken only when it is the one record of
            // this key (so the lookup below would find it too).
            let guess = previous + 1
            if guess < index.count, !index.isUsed(guess), index.fingerprint(guess) == fingerprint,
               scan.keys.withUnsafeBufferPointer({ keys in
                   index.isOnlyRecord(guess, hash: scan.hashes[r], key: UnsafeBufferPointer(rebasing: keys[scan.keyStarts[r]..<scan.keyStarts[r + 1]]))
               }) {
                perfect = guess
            }
            var candidate = perfect >= 0 ? -1 : firstCandidate(r)
            while candidate >= 0 {
                if !index.isUsed(candidate) && index.fingerprint(candidate) == fingerprint {
                    perfect = candidate
                    break
                }
                candidate = index.next(after: candidate)
            }
            if perfect >= 0 {
                previous = perfect
                index.markUsed(perfect)
                tally[2] += 1
                if sameHeader {
                    out.append(UnsafeBufferPointer(rebasing: after.bytes[scan.offsets[r]..<scan.ends[r]]))
                    try writeTail(out, status: .perfectlyMatched, differences: nil)
                } else {
                    try parseAfter(r)
                    try parseBefore(perfect)
                    try writeAfterRecord(out, paired: true, status: .perfectlyMatched, differences: nil)
                }
            } else {
                deferred.append(r)
            }
            if scan.offsets[r] - released > 1 << 24 {
                after.storage.release(before: scan.offsets[r])
                released = scan.offsets[r]
            }
        }
        // Pass 3: the rest, each with the unused Before record of its key that differs in the fewest
        // columns (the first in file order on a tie), or Added New to PASI.
        var text: [UInt8] = []
        released = 0
        for r in deferred {
            // In file order: their pages go back as in pass 2 (the kernel maps pages around each one
            // read, so 1 % of the records would touch most of the file).
            if scan.offsets[r] - released > 1 << 24 {
                after.storage.release(before: scan.offsets[r])
                released = scan.offsets[r]
            }
            try parseAfter(r)
            var best = -1, bestCount = Int.max
            var candidate = firstCandidate(r)
            while candidate >= 0 {
                if !index.isUsed(candidate) {
                    try parseBefore(candidate)
                    let n = countDifferences(afterScanner, limit: bestCount)
                    if n < bestCount { best = candidate; bestCount = n }
                }
                candidate = index.next(after: candidate)
            }
            if best >= 0 {
                index.markUsed(best)
                try parseBefore(best)
                describeDifferences(afterScanner, into: &text)
                tally[1] += 1
                try writeAfterRecord(out, paired: true, status: .matchedWithDataDifferences, differences: text)
            } else {
                tally[0] += 1
                try writeAfterRecord(out, paired: false, status: .addedNewToPASI, differences: nil)
            }
        }
    }

    /// Pass 4: the Before records left over, in file order.
    mutating func writeMissing(_ out: OutputFile) throws(ReconciliationError) {
        for record in 0..<index.count where !index.isUsed(record) {
            try parseBefore(record)
            for column in 0..<outBefore.count {
                if column > 0 { out.append(0x2C) }
                let source = outBefore[column]
                if source >= 0 { appendRaw(out, beforeScanner, source) } else if quoteAll { out.append(Self.emptyQuoted) }
            }
            try writeTail(out, status: .missingFromPASI, differences: nil)
            tally[3] += 1
        }
    }

    @inline(__always)
    private mutating func parseBefore(_ record: Int) throws(ReconciliationError) {
        beforeScanner.seek(to: index.offset(record), line: index.line(record))
        _ = try Reconciliation.next(&beforeScanner, before)
    }

    /// The compared columns in which the after row differs from the parsed before row, counting up
    /// to `limit`.
    @inline(__always)
    private func countDifferences(_ afterRow: CSVScanner, limit: Int) -> Int {
        var n = 0
        for k in 0..<beforeLayout.compared.count {
            if !Self.sameValue(beforeScanner, beforeLayout.compared[k], afterRow, afterLayout.compared[k]) {
                n += 1
                if n >= limit { return n }
            }
        }
        return n
    }

    /// `Value: 78 → 85; Status: Active → Completed`, blank values shown as `(blank)`; counts them.
    private mutating func describeDifferences(_ afterRow: CSVScanner, into text: inout [UInt8]) {
        text.removeAll(keepingCapacity: true)
        let titles = type.comparedColumns
        for k in 0..<beforeLayout.compared.count {
            let b = beforeLayout.compared[k], a = afterLayout.compared[k]
            if Self.sameValue(beforeScanner, b, afterRow, a) { continue }
            differences[k] += 1
            if !text.isEmpty { text.append(contentsOf: "; ".utf8) }
            let old = beforeScanner.string(b), new = afterRow.string(a)
            text.append(contentsOf: "\(titles[k]): \(old.isEmpty ? "(blank)" : old) → \(new.isEmpty ? "(blank)" : new)".utf8)
        }
    }

    @inline(__always)
    static func sameValue(_ x: CSVScanner, _ i: Int, _ y: CSVScanner, _ j: Int) -> Bool {
        let fx = x.fields[i], fy = y.fields[j]
        if !fx.escaped && !fy.escaped {
            let n = fx.end - fx.start
            guard n == fy.end - fy.start else { return false }
            if n == 0 { return true }
            return memcmp(x.bytes.baseAddress! + fx.start, y.bytes.baseAddress! + fy.start, n) == 0
        }
        return x.string(i) == y.string(j)
    }

    @inline(__always)
    private func appendRaw(_ out: OutputFile, _ scanner: CSVScanner, _ column: Int) {
        let field = scanner.fields[column]
        out.append(UnsafeBufferPointer(rebasing: scanner.bytes[field.rawStart..<field.rawEnd]))
    }

    /// The parsed After record: its values (a column only the Before file has takes the paired
    /// Before value), the status, the differences.
    private func writeAfterRecord(_ out: OutputFile, paired: Bool, status: MatchStatus, differences: [UInt8]?) throws(ReconciliationError) {
        let scanner = afterScanner
        if sameHeader {
            out.append(UnsafeBufferPointer(rebasing: scanner.bytes[scanner.rowStart..<scanner.rowEnd]))
        } else {
            for column in 0..<outAfter.count {
                if column > 0 { out.append(0x2C) }
                if outAfter[column] >= 0 {
                    appendRaw(out, scanner, outAfter[column])
                } else if paired && outBefore[column] >= 0 {
                    appendRaw(out, beforeScanner, outBefore[column])
                } else if quoteAll {
                    out.append(Self.emptyQuoted)
                }
            }
        }
        try writeTail(out, status: status, differences: differences)
    }

    /// `,Match Status,Differences` and the line end.
    @inline(__always)
    private func writeTail(_ out: OutputFile, status: MatchStatus, differences: [UInt8]?) throws(ReconciliationError) {
        out.append(0x2C)
        appendCell(out, status.bytes)
        out.append(0x2C)
        appendCell(out, differences ?? [])
        out.append(lineEnd)
        try out.flushIfFull()
    }

    private static let emptyQuoted: [UInt8] = [0x22, 0x22]

    /// A cell the result adds: quoted when the Before file quotes every field or the value needs it.
    @inline(__always)
    private func appendCell(_ out: OutputFile, _ value: [UInt8]) {
        guard quoteAll || CSVEncoding.needsQuotes(value) else {
            out.append(value)
            return
        }
        out.append(0x22)
        if value.contains(0x22) {
            for b in value {
                if b == 0x22 { out.append(0x22) }
                out.append(b)
            }
        } else {
            out.append(value)
        }
        out.append(0x22)
    }
}

extension MatchStatus {
    private static let allBytes = allCases.map { Array($0.rawValue.utf8) }

    /// The status's UTF-8 bytes, made once.
    @inline(__always)
    var bytes: [UInt8] {
        switch self {
        case .addedNewToPASI: Self.allBytes[0]
        case .matchedWithDataDifferences: Self.allBytes[1]
        case .perfectlyMatched: Self.allBytes[2]
        case .missingFromPASI: Self.allBytes[3]
        }
    }
}
