public import DistrictSynthesis
public import Logging
public import PostgresNIO
internal import PASIModel

/// How many rows one table of a load received.
public struct LoadedTable: Sendable, Hashable {
    /// The table, schema-qualified, e.g. `sis.students`.
    public let name: String
    /// Rows copied into it.
    public let rows: Int
}

/// What ``DistrictLoader/load(_:)`` did.
public struct DistrictLoad: Sendable, Hashable {
    /// Every table loaded, in load order, with its row count.
    public let tables: [LoadedTable]
    /// The generator's account of the discrepancies it planted between the two sides.
    public let report: DiscrepancyReport

    /// All rows copied.
    public var totalRows: Int { tables.reduce(0) { $0 + $1.rows } }

    /// How many discrepancies of each kind were planted, in the generator's order.
    public var plantedDiscrepancies: [PlantedDiscrepancies] {
        DiscrepancyKind.allCases.map { kind in
            PlantedDiscrepancies(kind: kind.rawValue, conflictType: kind.conflictType.rawValue, count: report.counts[kind] ?? 0)
        }
    }
}

/// One line of ``DistrictLoad/plantedDiscrepancies``.
public struct PlantedDiscrepancies: Sendable, Hashable {
    /// The discrepancy kind, e.g. `legalName`.
    public let kind: String
    /// The conflict type the initial synchronization should raise for it.
    public let conflictType: String
    /// How many were planted.
    public let count: Int
}

/// Loads a synthetic district (``DistrictSynthesis/DistrictGenerator``) into the `sis` tables
/// and the local PASI store (`pasi`), with COPY.
///
/// One transaction replaces what was there: every `sis` table and the `pasi` tables it
/// loads are truncated first, so loading the same seed twice leaves the same rows. Event
/// monitoring writes no events for the load: if it is on, it is switched off inside the
/// transaction and switched back on before the commit, so no other session sees it off.
/// Rows stream from the generator in chunks; the district is never held in memory.
public struct DistrictLoader: Sendable {
    /// The client the load runs on.
    public let client: PostgresClient
    /// The logger statements log to.
    public let logger: Logger

    /// Bytes gathered before a chunk is sent to the server.
    static let chunkBytes = 256 * 1024

    /// Creates a loader.
    /// - Parameters:
    ///   - client: A running client.
    ///   - logger: The logger statements log to.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The tables a load writes, schema-qualified, in load order.
    public static var tableNames: [String] { DistrictColumnMap.loads.map(\.qualifiedName) }

    /// Replaces the SIS district and the local PASI store with a generated one.
    /// - Parameters:
    ///   - students: 1 … 2,000,000 students.
    ///   - seed: The same seed gives the same district.
    /// - Returns: As ``load(_:)``.
    public func load(students: Int, seed: UInt64, sisOnly: Bool = false) async throws -> DistrictLoad {
        try await load(DistrictGenerator(students: students, seed: seed), sisOnly: sisOnly)
    }

    /// Replaces the SIS district and the local PASI store with `generator`'s.
    /// - Parameters:
    ///   - generator: The district to load.
    ///   - sisOnly: Load the SIS side only and leave the local PASI store empty, as on a new
    ///     installation (every `pasi` table, the SIS ↔ PASI matches and the feed cursors are
    ///     emptied): the first day, when the PASI side comes from PASI (or its simulator).
    /// - Returns: Rows per table and the planted discrepancies.
    /// - Throws: The failing statement's own error (a refused row names the constraint it broke);
    ///   nothing is changed then.
    public func load(_ generator: DistrictGenerator, sisOnly: Bool = false) async throws -> DistrictLoad {
        let logger = logger
        let loads = DistrictColumnMap.loads.filter { !sisOnly || $0.schema == "sis" }
        let tables = try await client.inTransaction(logger: logger) { connection -> [LoadedTable] in
            let sisTables = DistrictColumnMap.sisTablesToTruncate.map { "sis.\($0)" }
            var pasiTables = DistrictColumnMap.loads.filter { $0.schema == "pasi" }.map(\.qualifiedName)
            if sisOnly {
                pasiTables = ["sync.student_matches", "sync.enrolment_matches", "sync.feed_cursors"]
                let rows = try await connection.query(
                    "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables WHERE schemaname = 'pasi' ORDER BY 1", logger: logger)
                for try await table in rows.decode(String.self) { pasiTables.append(table) }
            }
            try await connection.query(
                "TRUNCATE \(unescaped: (sisTables + pasiTables).joined(separator: ", ")) RESTART IDENTITY", logger: logger)

            // Event monitoring off for this transaction only (the setting is read-only: software sets it).
            try await connection.query("SELECT set_config('pasisync.system', 'on', true)", logger: logger)
            let switchedOff = try await connection.query("""
                UPDATE sync.settings AS s SET value = 'off', updated_by = old.updated_by
                FROM (SELECT key, updated_by FROM sync.settings WHERE key = 'event_monitoring' AND value = 'on' FOR UPDATE) AS old
                WHERE s.key = old.key
                RETURNING old.updated_by
                """, logger: logger)
            var restoreBy: String?
            for try await by in switchedOff.decode(String.self) { restoreBy = by }

            var loaded: [LoadedTable] = []
            for load in loads {
                let rows = try await Self.copy(load, from: generator, on: connection, logger: logger)
                loaded.append(LoadedTable(name: load.qualifiedName, rows: rows))
                logger.debug("table loaded", metadata: ["table": "\(load.qualifiedName)", "rows": "\(rows)"])
            }

            // Identity columns continue after the loaded ids.
            for load in loads where load.hasIdentity {
                try await connection.query("""
                    SELECT setval(pg_get_serial_sequence(\(load.qualifiedName), \(load.key)),
                                  coalesce(max(\(unescaped: load.key)), 0) + 1, false)
                    FROM \(unescaped: load.qualifiedName)
                    """, logger: logger)
            }

            if let restoreBy {
                try await connection.query(
                    "UPDATE sync.settings SET value = 'on', updated_by = \(restoreBy) WHERE key = 'event_monitoring'",
                    logger: logger)
            }
            try await connection.query("SELECT set_config('pasisync.system', 'off', true)", logger: logger)
            return loaded
        }
        return DistrictLoad(tables: tables, report: generator.discrepancyReport)
    }

    /// An md5 per loaded table of its rows in key order (`fetched_at` left out, since it is the
    /// time of the load), for checking that two loads left the same data.
    /// - Returns: Digests by schema-qualified table name.
    public func digests() async throws -> [String: String] {
        var digests: [String: String] = [:]
        for load in DistrictColumnMap.loads {
            let rows = try await client.query("""
                SELECT coalesce(md5(string_agg((to_jsonb(t) - 'fetched_at')::text, E'\\n' ORDER BY t.\(unescaped: load.key))), '')
                FROM \(unescaped: load.qualifiedName) AS t
                """, logger: logger)
            for try await digest in rows.decode(String.self) { digests[load.qualifiedName] = digest }
        }
        return digests
    }

    // MARK: - COPY

    /// Streams one generator table into one SQL table, rewriting each line to the table's columns.
    private static func copy(
        _ load: TableLoad, from generator: DistrictGenerator, on connection: PostgresConnection, logger: Logger
    ) async throws -> Int {
        let plan = try RowRewrite(load)
        // copyFrom quotes the table name whole, so the schema comes from the search path.
        try await connection.query("SELECT set_config('search_path', \(load.schema), true)", logger: logger)
        var rows = 0
        try await connection.copyFrom(table: load.table, columns: load.columns.map(\.sql), logger: logger) { writer in
            let lines = generator.lines(of: load.source)
            var done = false
            while !done {
                var buffer = ByteBufferAllocator().buffer(capacity: chunkBytes + 4096)
                while buffer.readableBytes < chunkBytes {
                    guard let line = lines.next() else {
                        done = true
                        break
                    }
                    plan.write(line, into: &buffer)
                    rows += 1
                }
                if buffer.readableBytes > 0 { try await writer.write(buffer) }
            }
        }
        return rows
    }
}

/// A mapping that names a generator column the generator does not have.
public struct DistrictLoadError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public let description: String
}

/// A ``TableLoad``'s columns resolved to field positions of the generator's lines.
struct RowRewrite {
    enum Step {
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
                throw DistrictLoadError(description: "\(load.qualifiedName): the generator's \(load.source.rawValue) has no column \(column)")
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

    /// Appends `line`'s fields for the SQL table, tab-separated, and a line break.
    func write(_ line: String, into buffer: inout ByteBuffer) {
        var line = line
        line.withUTF8 { bytes in
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
            for (number, step) in steps.enumerated() {
                if number > 0 { buffer.writeInteger(UInt8(0x09)) }
                switch step {
                case .copy(let index):
                    buffer.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[starts[index]..<ends[index]])))
                case .transform(let index, let transform):
                    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[starts[index]..<ends[index]]), as: UTF8.self)
                    buffer.writeString(transform(Substring(text)))
                case .constant(let text):
                    buffer.writeBytes(text)
                }
            }
            buffer.writeInteger(UInt8(0x0A))
        }
    }
}

extension DistrictGenerator {
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
