/// The checks of the validation tool, run by `pasisync reconcile validate` and, first, by
/// `pasisync reconcile`: the seed's required columns for the type, the file's name, and the signs
/// of a file that was opened and saved again by a spreadsheet program.
enum ExportValidator {
    /// Checks the header: every required column, spelled as PASIprep spells it; the type by content;
    /// no column of a reconciliation result.
    static func checkHeader(_ header: [String], type: ExportType, into report: inout ValidationReport) {
        let present = Set(header)
        var missing: [String] = []
        for column in type.requiredColumns where !present.contains(column) {
            missing.append(column)
            let key = normalised(column)
            if let near = header.first(where: { normalised($0) == key }) {
                report.add(.error, "required column \"\(column)\" is missing (found \"\(near)\": PASIprep spells it \"\(column)\")")
            } else {
                report.add(.error, "required column \"\(column)\" is missing")
            }
        }
        for column in type.requiredColumns where header.filter({ $0 == column }).count > 1 {
            report.add(.error, "column \"\(column)\" appears \(header.filter { $0 == column }.count) times")
        }
        if !missing.isEmpty {
            let others = ExportType.allCases.filter { $0 != type && $0.requiredColumns.allSatisfy(present.contains) }
            if let other = others.first {
                report.add(.error, "this looks like a \(other) export, not \(type): it holds every column \(other.code) requires")
            }
        }
        if present.contains(MatchStatus.columnTitle) {
            report.add(.error, "it has a \"\(MatchStatus.columnTitle)\" column: this is a reconciliation result, not a PASIprep export")
        }
    }

    /// Checks the file's name against the seed's form, the type and the role it is used in.
    static func checkName(_ path: String, type: ExportType, role: ExportRole?, into report: inout ValidationReport) {
        guard let name = ExportFileName(path: path) else {
            let roles = role.map { [$0] } ?? [.beforeDelete, .afterUpload]
            let forms = roles.map { "YYYY-NNNN-\(type.code)-\($0.rawValue).csv" }.joined(separator: " or ")
            report.add(.warning, "the file name is not of the form \(forms)")
            return
        }
        if name.typeCode != type.code {
            if let named = name.type {
                report.add(.error, "the file name says \(named), but the file is checked as \(type)")
            } else {
                report.add(.warning, "the file name's type \"\(name.typeCode)\" is none of CM, EM, SE")
            }
        }
        if let role, name.role != role {
            report.add(.error, "the file name says \(name.role), but the file is given as the \(role) file")
        }
    }

    /// Lower case letters and digits only: "Mark Value Approved" and "mark value approved?" meet.
    static func normalised(_ title: String) -> String {
        String(title.lowercased().unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) })
    }
}

/// Looks at every record of an export for the signs of a file saved again, as it is read.
struct RecordInspector {
    private let asnColumn: Int?
    private let dateColumns: [(index: Int, title: String)]
    private let checksQuoting: Bool
    private let path: String

    private var bareASNs = Tally(), groupedASNs = Tally(), shortASNs = Tally(), numericASNs = Tally(), otherASNs = Tally()
    private var rewrittenDates: [Tally]
    private var rewrittenExample: [String]
    private var fullyQuotedRows = Tally(), partlyQuotedRows = Tally()
    private var emptyRows = Tally()
    private let headerFullyQuoted: Bool
    private let numberASNCells: (count: Int, firstLine: Int)?

    struct Tally {
        var count = 0
        var firstLine = 0
        var firstColumn = 0
        mutating func add(line: Int, column: Int = 0) {
            if count == 0 { firstLine = line; firstColumn = column }
            count += 1
        }
    }

    init(file: ExportFile, type: ExportType) {
        let index = file.columnIndex()
        asnColumn = type.asnColumn.flatMap { index[$0] }
        dateColumns = type.dateColumns.compactMap { title in index[title].map { ($0, title) } }
        rewrittenDates = Array(repeating: Tally(), count: dateColumns.count)
        rewrittenExample = Array(repeating: "", count: dateColumns.count)
        checksQuoting = file.format == .csv
        headerFullyQuoted = file.headerFields.allSatisfy(\.quoted)
        path = file.path
        numberASNCells = asnColumn.flatMap { file.numberCells[$0] }
    }

    /// Looks at one record; false when it is a row of empty fields only, which is not a record.
    @inline(__always)
    mutating func inspect(_ scanner: CSVScanner, line: Int) -> Bool {
        let fields = scanner.fields
        let bytes = scanner.bytes
        var quoted = 0
        var empty = true
        for field in fields {
            if field.quoted { quoted += 1 }
            if field.end > field.start { empty = false }
        }
        if empty {
            emptyRows.add(line: line)
            return false
        }
        if checksQuoting {
            if quoted == fields.count { fullyQuotedRows.add(line: line) } else { partlyQuotedRows.add(line: line) }
        }
        if let asnColumn {
            let field = fields[asnColumn]
            classifyASN(bytes, field, line: line)
        }
        for (k, column) in dateColumns.enumerated() {
            let field = fields[column.index]
            if field.end > field.start && !Self.isISODate(bytes, field) {
                if rewrittenDates[k].count == 0 { rewrittenExample[k] = CSVScanner.value(of: field, in: bytes) }
                rewrittenDates[k].add(line: line, column: CSVScanner.column(of: field.rawStart, in: bytes))
            }
        }
        return true
    }

    @inline(__always)
    private mutating func classifyASN(_ bytes: UnsafeBufferPointer<UInt8>, _ field: CSVFieldRange, line: Int) {
        let length = field.end - field.start
        if length == 0 { return }
        var digits = 0, dashes = 0, other = 0, dots = 0, exponent = 0
        for i in field.start..<field.end {
            let b = bytes[i]
            if b >= 0x30 && b <= 0x39 { digits += 1 } else if b == 0x2D { dashes += 1 } else if b == 0x2E { dots += 1 } else if b == 0x45 || b == 0x65 || b == 0x2B { exponent += 1 } else { other += 1 }
        }
        let column = { CSVScanner.column(of: field.rawStart, in: bytes) }
        if other == 0 && dots == 0 && exponent == 0 {
            if digits == 9 && dashes == 0 { bareASNs.add(line: line); return }
            if digits == 9 && dashes == 2 && length == 11 && bytes[field.start + 4] == 0x2D && bytes[field.start + 9] == 0x2D {
                groupedASNs.add(line: line)
                return
            }
            if dashes == 0 && digits < 9 { shortASNs.add(line: line, column: column()); return }
        }
        if other == 0 && dashes == 0 && (dots > 0 || exponent > 0) && digits > 0 { numericASNs.add(line: line, column: column()); return }
        otherASNs.add(line: line, column: column())
    }

    /// `YYYY-MM-DD`.
    @inline(__always)
    static func isISODate(_ bytes: UnsafeBufferPointer<UInt8>, _ field: CSVFieldRange) -> Bool {
        guard field.end - field.start == 10 else { return false }
        for k in 0..<10 {
            let b = bytes[field.start + k]
            if k == 4 || k == 7 {
                if b != 0x2D { return false }
            } else if b < 0x30 || b > 0x39 {
                return false
            }
        }
        return true
    }

    /// What was seen, as findings.
    func findings(into report: inout ValidationReport) {
        func at(_ tally: Tally) -> String {
            tally.firstColumn > 0 ? "first at line \(tally.firstLine), column \(tally.firstColumn)" : "first at line \(tally.firstLine)"
        }
        if shortASNs.count > 0 {
            report.add(.savedAgain, "\(shortASNs.count) ASN\(plural(shortASNs.count)) with fewer than nine digits: leading zeros lost (\(at(shortASNs)))")
        }
        if numericASNs.count > 0 {
            report.add(.savedAgain, "\(numericASNs.count) ASN\(plural(numericASNs.count)) written as a number (scientific notation or decimals) (\(at(numericASNs)))")
        }
        if let numberASNCells, numberASNCells.count > 0 {
            report.add(.savedAgain, "\(numberASNCells.count) ASN cell\(plural(numberASNCells.count)) of ss:Type Number, not String (first at line \(numberASNCells.firstLine))")
        }
        if bareASNs.count > 0 && groupedASNs.count > 0 {
            let minority = bareASNs.count < groupedASNs.count ? bareASNs : groupedASNs
            report.add(.savedAgain, "ASNs are reformatted: \(bareASNs.count) as nine digits, \(groupedASNs.count) as 1234-5678-9 (the fewer first at line \(minority.firstLine))")
        }
        if otherASNs.count > 0 {
            report.add(.warning, "\(otherASNs.count) ASN value\(plural(otherASNs.count)) that are not an ASN (\(at(otherASNs)))")
        }
        for (k, column) in dateColumns.enumerated() where rewrittenDates[k].count > 0 {
            let tally = rewrittenDates[k]
            report.add(.savedAgain, "\(tally.count) date\(plural(tally.count)) of \"\(column.title)\" rewritten, not YYYY-MM-DD (\"\(rewrittenExample[k])\", \(at(tally)))")
        }
        if checksQuoting {
            let headerCounts = headerFullyQuoted ? (1, 0) : (0, 1)
            let full = fullyQuotedRows.count + headerCounts.0, partly = partlyQuotedRows.count + headerCounts.1
            if full > 0 && partly > 0 {
                let minority = fullyQuotedRows.count > 0 && fullyQuotedRows.count < partlyQuotedRows.count ? fullyQuotedRows : partlyQuotedRows
                report.add(.savedAgain, "quoting changed: \(full) row\(plural(full)) quote every field, \(partly) only some (\(minority.count > 0 ? "the fewer first at line \(minority.firstLine)" : "the header differs from the records"))")
            }
        }
        if emptyRows.count > 0 {
            report.add(.savedAgain, "\(emptyRows.count) row\(plural(emptyRows.count)) of empty fields only, as a spreadsheet program writes them (first at line \(emptyRows.firstLine))")
        }
    }

    private func plural(_ n: Int) -> String { n == 1 ? "" : "s" }
}
