/// One SQL table of a synthetic district, as the repository's `DistrictLoader` takes it: the
/// table, its columns, and its rows as COPY text lines in the order of the columns.
public struct SQLTableRows: Sendable {
    /// `sis` or `pasi`.
    public let schema: String
    /// The table, unqualified.
    public let table: String
    /// The SQL columns, in the order of each line's fields.
    public let columns: [String]
    private let makeLines: @Sendable () -> AnyIterator<String>

    /// The table, schema-qualified, e.g. `sis.students`.
    public var qualifiedName: String { "\(schema).\(table)" }

    /// The rows, one COPY text line each (tab-separated, `\N` for NULL, no line break), pulled one
    /// at a time: the district is never held in memory.
    public func lines() -> AnyIterator<String> { makeLines() }

    init(schema: String, table: String, columns: [String], lines: @escaping @Sendable () -> AnyIterator<String>) {
        self.schema = schema
        self.table = table
        self.columns = columns
        makeLines = lines
    }
}

/// A mapping that names a generator column the generator does not have.
public struct SQLMappingError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public let description: String
}

extension DistrictGenerator {
    /// The district as the rows of the SQL tables `pasisync seed` loads, in load order (a table
    /// before the tables that refer to it).
    /// - Throws: ``SQLMappingError`` when the mapping names a column the generator lacks.
    public func sqlTables() throws -> [SQLTableRows] {
        try DistrictColumnMap.loads.map { load in
            let rewrite = try RowRewrite(load)
            let generator = self
            return SQLTableRows(schema: load.schema, table: load.table, columns: load.columns.map(\.sql)) {
                let lines = generator.lines(of: load.source)
                return AnyIterator { lines.next().map(rewrite.rewrite) }
            }
        }
    }

    /// A table's rows as COPY text lines, pulled one at a time.
    func lines(of table: DistrictTable) -> AnyIterator<String> {
        switch table {
        case .sisSchools: AnyIterator(schools().lazy.map(\.line).makeIterator())
        case .sisCourses: AnyIterator(courses().lazy.map(\.line).makeIterator())
        case .sisTerms: AnyIterator(terms().lazy.map(\.line).makeIterator())
        case .sisSections: AnyIterator(sections().lazy.map(\.line).makeIterator())
        case .sisStudents: AnyIterator(students().lazy.map(\.line).makeIterator())
        case .sisEnrolments: AnyIterator(enrolments().lazy.map(\.line).makeIterator())
        case .sisCourseEnrolments: AnyIterator(courseEnrolments().lazy.map(\.line).makeIterator())
        case .sisStoredGrades: AnyIterator(storedGrades().lazy.map(\.line).makeIterator())
        case .pasiSchools: AnyIterator(pasiSchools().lazy.map(\.line).makeIterator())
        case .pasiStudents: AnyIterator(pasiStudents().lazy.map(\.line).makeIterator())
        case .pasiEnrolments: AnyIterator(pasiEnrolments().lazy.map(\.line).makeIterator())
        }
    }
}

/// A ``TableLoad``'s columns resolved to field positions of the generator's lines.
struct RowRewrite: Sendable {
    enum Step: Sendable {
        case copy(Int)
        case transform(Int, @Sendable (Substring) -> String)
        case constant([UInt8])
    }

    let steps: [Step]
    let fieldCount: Int

    init(_ load: TableLoad) throws {
        let header = load.source.header
        func position(_ column: String) throws -> Int {
            guard let index = header.firstIndex(of: column) else {
                throw SQLMappingError(description: "\(load.qualifiedName): the generator's \(load.source.rawValue) has no column \(column)")
            }
            return index
        }
        steps = try load.columns.map { column in
            switch column.from {
            case .column(let name): .copy(try position(name))
            case .transformed(let name, let transform): .transform(try position(name), transform)
            case .constant(let text): .constant(Array(text.utf8))
            }
        }
        fieldCount = header.count
    }

    /// `line`'s fields for the SQL table, tab-separated.
    func rewrite(_ line: String) -> String {
        var line = line
        return line.withUTF8 { bytes in
            // Field boundaries: starts[i] ..< ends[i].
            var starts = [Int](repeating: 0, count: fieldCount)
            var ends = [Int](repeating: 0, count: fieldCount)
            var field = 0
            var start = 0
            for index in 0..<bytes.count where bytes[index] == 0x09 {
                if field < fieldCount {
                    starts[field] = start
                    ends[field] = index
                }
                field += 1
                start = index + 1
            }
            if field < fieldCount {
                starts[field] = start
                ends[field] = bytes.count
            }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 16)
            for (number, step) in steps.enumerated() {
                if number > 0 { out.append(0x09) }
                switch step {
                case .copy(let index):
                    out.append(contentsOf: bytes[starts[index]..<ends[index]])
                case .transform(let index, let transform):
                    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[starts[index]..<ends[index]]), as: UTF8.self)
                    out.append(contentsOf: transform(Substring(text)).utf8)
                case .constant(let text):
                    out.append(contentsOf: text)
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }
}
