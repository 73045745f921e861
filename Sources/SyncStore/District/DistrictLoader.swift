public import Logging
public import PostgresNIO

/// How many rows one table of a load received.
public struct LoadedTable: Sendable, Hashable {
    /// The table, schema-qualified, e.g. `sis.students`.
    public let name: String
    /// Rows copied into it (or, for a table a load empties, the rows it held).
    public let rows: Int

    /// - Parameters:
    ///   - name: The table, schema-qualified.
    ///   - rows: Its row count.
    public init(name: String, rows: Int) {
        self.name = name
        self.rows = rows
    }
}

/// What a load did: the rows it wrote, and what it emptied to write them.
public struct DistrictLoadSummary: Sendable {
    /// Rows per loaded table, in load order.
    public let tables: [LoadedTable]
    /// Every emptied table that held rows, with the rows it held.
    public let emptied: [LoadedTable]
    /// The refusal `replacingRealData` overrode; nil when the check found only what a load wrote.
    public let overridden: DistrictReplacementRefusal?
}

/// One table's rows for ``DistrictLoader``: plain values, so the repository knows nothing of
/// where they come from (`pasisync seed` makes them from the synthetic district generator).
public struct DistrictRows: Sendable {
    /// The table, schema-qualified: one of ``DistrictLoader/tableNames``.
    public let table: String
    /// The columns the lines fill, in order.
    public let columns: [String]
    /// The rows, one COPY text line each (tab-separated fields, `\N` for NULL, no line break).
    public let lines: @Sendable () -> AnyIterator<String>

    /// - Parameters:
    ///   - table: The table, schema-qualified.
    ///   - columns: The columns the lines fill, in order.
    ///   - lines: Makes the rows, pulled one at a time, so a large district is never held in memory.
    public init(table: String, columns: [String], lines: @escaping @Sendable () -> AnyIterator<String>) {
        self.table = table
        self.columns = columns
        self.lines = lines
    }
}

/// Loads a district (``DistrictRows``, e.g. a synthetic one) into the `sis` tables and the local
/// PASI store (`pasi`), with COPY.
///
/// One transaction replaces what was there: every `sis` table and the `pasi` tables it
/// loads are truncated first, so loading the same seed twice leaves the same rows. It refuses,
/// unless told, a database holding data no load wrote (``DistrictReplacement``). Event
/// monitoring writes no events for the load: if it is on, it is switched off inside the
/// transaction and switched back on before the commit, so no other session sees it off.
/// Rows stream from their source in chunks; the district is never held in memory.
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
    public static var tableNames: [String] { tables.map(\.qualifiedName) }

    /// Replaces the SIS district and the local PASI store with `rows`, unless the tables hold data
    /// no load wrote (``DistrictReplacement``: checked in the same transaction, before anything is
    /// emptied). The load is recorded in `sync.district_loads`, for the next load's check.
    /// - Parameters:
    ///   - rows: The tables' rows, in load order (a table before those that refer to it); each
    ///     table one of ``tableNames``.
    ///   - source: What is loaded, in words, for `sync.district_loads`, e.g. "synthetic district:
    ///     1000 students, seed 1".
    ///   - sisOnly: Load the SIS side only and leave the local PASI store empty, as on a new
    ///     installation (every `pasi` table, the SIS ↔ PASI matches and the feed cursors are
    ///     emptied): the first day, when the PASI side comes from PASI (or its simulator).
    ///   - replacingRealData: Load even where the check finds data no load wrote, or Regular
    ///     Synchronization has been on (the summary says what was overridden and emptied).
    /// - Returns: Rows per table, in load order, and what the load emptied.
    /// - Throws: ``DistrictLoadRefused`` when the check refuses and `replacingRealData` is false;
    ///   ``DistrictLoadError`` for a table the loader does not load; the failing statement's own
    ///   error (a refused row names the constraint it broke). Nothing is changed then.
    public func load(
        _ rows: [DistrictRows], source: String, sisOnly: Bool = false, replacingRealData: Bool
    ) async throws -> DistrictLoadSummary {
        let logger = logger
        let loads = try rows.map { rows in
            guard let table = Self.tables.first(where: { $0.qualifiedName == rows.table }) else {
                throw DistrictLoadError(description: "\(rows.table) is not a table a district load writes")
            }
            return (table, rows)
        }.filter { !sisOnly || $0.0.schema == "sis" }
        return try await client.inTransaction(logger: logger) { connection -> DistrictLoadSummary in
            let sisTables = Self.sisTablesToTruncate.map { "sis.\($0)" }
            var pasiTables = Self.tables.filter { $0.schema == "pasi" }.map(\.qualifiedName)
            if sisOnly {
                pasiTables = ["sync.student_matches", "sync.enrolment_matches", "sync.feed_cursors"]
                let rows = try await connection.query(
                    "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables WHERE schemaname = 'pasi' ORDER BY 1", logger: logger)
                for try await table in rows.decode(String.self) { pasiTables.append(table) }
            }
            let emptiedTables = sisTables + pasiTables
            let before = try await Self.check(emptiedTables, on: connection, logger: logger)
            var overridden: DistrictReplacementRefusal?
            if case .refused(let reason) = before.decision {
                guard replacingRealData else { throw DistrictLoadRefused(reason: reason) }
                overridden = reason
                logger.warning("district load replaces data no load wrote", metadata: ["reason": "\(reason)"])
            }
            try await connection.query(
                "TRUNCATE \(unescaped: emptiedTables.joined(separator: ", ")) RESTART IDENTITY", logger: logger)

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
            for (table, rows) in loads {
                let count = try await Self.copy(rows, into: table, on: connection, logger: logger)
                loaded.append(LoadedTable(name: table.qualifiedName, rows: count))
                logger.debug("table loaded", metadata: ["table": "\(table.qualifiedName)", "rows": "\(count)"])
            }

            // Identity columns continue after the loaded ids.
            for (table, _) in loads where table.hasIdentity {
                try await connection.query("""
                    SELECT setval(pg_get_serial_sequence(\(table.qualifiedName), \(table.key)),
                                  coalesce(max(\(unescaped: table.key)), 0) + 1, false)
                    FROM \(unescaped: table.qualifiedName)
                    """, logger: logger)
            }

            if let restoreBy {
                try await connection.query(
                    "UPDATE sync.settings SET value = 'on', updated_by = \(restoreBy) WHERE key = 'event_monitoring'",
                    logger: logger)
            }
            try await connection.query("SELECT set_config('pasisync.system', 'off', true)", logger: logger)

            // What the next load compares with: every sis table's count, now the loaded rows alone.
            let after = sisTables.map { name in loaded.first { $0.name == name }?.rows ?? 0 }
            try await connection.query("""
                INSERT INTO sync.district_loads (source, sis_only, replaced_real_data, rows_by_table, emptied)
                SELECT \(source), \(sisOnly), \(overridden != nil),
                       (SELECT jsonb_object_agg(t, n) FROM unnest(\(sisTables)::text[], \(after)::bigint[]) AS a(t, n)),
                       (SELECT jsonb_object_agg(t, n) FROM unnest(\(before.rows.map(\.name))::text[], \(before.rows.map(\.rows))::bigint[]) AS b(t, n))
                """, logger: logger)
            return DistrictLoadSummary(tables: loaded, emptied: before.rows.filter { $0.rows > 0 }, overridden: overridden)
        }
    }

    /// The facts ``DistrictReplacement`` decides on, read after locking the tables the load will
    /// empty (as its TRUNCATE would), so nothing changes between the check and the TRUNCATE.
    private static func check(
        _ tables: [String], on connection: PostgresConnection, logger: Logger
    ) async throws -> (rows: [LoadedTable], decision: DistrictReplacement) {
        try await connection.query(
            "LOCK TABLE \(unescaped: tables.joined(separator: ", ")) IN ACCESS EXCLUSIVE MODE", logger: logger)
        // Counted by position: the names are identifiers, not literals.
        let counting = tables.enumerated().map { "SELECT \($0.offset), count(*) FROM \($0.element)" }.joined(separator: " UNION ALL ")
        var counts = [Int](repeating: 0, count: tables.count)
        for try await (index, count) in try await connection.query(PostgresQuery(unsafeSQL: counting), logger: logger).decode((Int, Int).self) {
            counts[index] = count
        }
        let rows = zip(tables, counts).map { LoadedTable(name: $0, rows: $1) }
        var lastLoad: [String: Int]?
        let recorded = try await connection.query("""
            SELECT l.id, e.key, e.value::bigint
            FROM (SELECT id, rows_by_table FROM sync.district_loads ORDER BY id DESC LIMIT 1) AS l
            LEFT JOIN LATERAL jsonb_each_text(l.rows_by_table) AS e ON true
            """, logger: logger)
        for try await (_, table, count) in recorded.decode((Int64, String?, Int?).self) {
            var counts = lastLoad ?? [:]
            if let table, let count { counts[table] = count }
            lastLoad = counts
        }
        let wasOn = try await connection.query(
            "SELECT EXISTS (SELECT 1 FROM sync.regular_synchronization_switched_on)", logger: logger)
        var regularSynchronizationWasOn = false
        for try await on in wasOn.decode(Bool.self) { regularSynchronizationWasOn = on }
        return (rows, DistrictReplacement.decide(rows: rows, lastLoad: lastLoad, regularSynchronizationWasOn: regularSynchronizationWasOn))
    }

    /// An md5 per loaded table of its rows in key order (`fetched_at` left out, since it is the
    /// time of the load), for checking that two loads left the same data.
    /// - Returns: Digests by schema-qualified table name.
    public func digests() async throws -> [String: String] {
        var digests: [String: String] = [:]
        for table in Self.tables {
            let rows = try await client.query("""
                SELECT coalesce(md5(string_agg((to_jsonb(t) - 'fetched_at')::text, E'\\n' ORDER BY t.\(unescaped: table.key))), '')
                FROM \(unescaped: table.qualifiedName) AS t
                """, logger: logger)
            for try await digest in rows.decode(String.self) { digests[table.qualifiedName] = digest }
        }
        return digests
    }

    // MARK: - COPY

    /// Streams one table's lines into it.
    private static func copy(
        _ rows: DistrictRows, into table: LoadedSQLTable, on connection: PostgresConnection, logger: Logger
    ) async throws -> Int {
        // copyFrom quotes the table name whole, so the schema comes from the search path.
        try await connection.query("SELECT set_config('search_path', \(table.schema), true)", logger: logger)
        var count = 0
        try await connection.copyFrom(table: table.name, columns: rows.columns, logger: logger) { writer in
            let lines = rows.lines()
            var done = false
            while !done {
                var buffer = ByteBufferAllocator().buffer(capacity: chunkBytes + 4096)
                while buffer.readableBytes < chunkBytes {
                    guard let line = lines.next() else {
                        done = true
                        break
                    }
                    buffer.writeString(line)
                    buffer.writeInteger(UInt8(0x0A))
                    count += 1
                }
                if buffer.readableBytes > 0 { try await writer.write(buffer) }
            }
        }
        return count
    }

    // MARK: - The tables

    /// A table a district load writes.
    struct LoadedSQLTable: Sendable {
        /// `sis` or `pasi`.
        let schema: String
        /// The table, unqualified.
        let name: String
        /// The SQL key, for ordering digests and for moving identity sequences past the loaded ids.
        let key: String
        /// Whether `key` is an identity column whose sequence must follow the loaded ids.
        let hasIdentity: Bool

        var qualifiedName: String { "\(schema).\(name)" }
    }

    /// The tables of `migrations/0003_sis.sql` and `0004_pasi_store.sql` a load writes, in load order.
    static let tables: [LoadedSQLTable] = [
        LoadedSQLTable(schema: "sis", name: "schools", key: "id", hasIdentity: false),
        LoadedSQLTable(schema: "sis", name: "courses", key: "course_number", hasIdentity: false),
        LoadedSQLTable(schema: "sis", name: "terms", key: "id", hasIdentity: true),
        LoadedSQLTable(schema: "sis", name: "sections", key: "id", hasIdentity: true),
        LoadedSQLTable(schema: "sis", name: "students", key: "id", hasIdentity: true),
        LoadedSQLTable(schema: "sis", name: "enrolments", key: "id", hasIdentity: true),
        LoadedSQLTable(schema: "sis", name: "course_enrolments", key: "id", hasIdentity: true),
        LoadedSQLTable(schema: "sis", name: "stored_grades", key: "id", hasIdentity: true),
        LoadedSQLTable(schema: "pasi", name: "schools", key: "ref_id", hasIdentity: false),
        LoadedSQLTable(schema: "pasi", name: "students", key: "ref_id", hasIdentity: false),
        LoadedSQLTable(schema: "pasi", name: "student_names", key: "ref_id", hasIdentity: false),
        LoadedSQLTable(schema: "pasi", name: "student_addresses", key: "ref_id", hasIdentity: false),
        LoadedSQLTable(schema: "pasi", name: "student_phones", key: "ref_id", hasIdentity: false),
        LoadedSQLTable(schema: "pasi", name: "school_enrolments", key: "ref_id", hasIdentity: false),
    ]

    /// Every `sis` table, loaded or not: the replaced district must not leave documents or
    /// accommodations of students that no longer exist (and TRUNCATE needs the whole family).
    static let sisTablesToTruncate = [
        "schools", "students", "enrolments", "courses", "terms", "sections", "course_enrolments",
        "stored_grades", "student_record_documents", "classroom_accommodations",
    ]
}

/// A table ``DistrictLoader`` does not load.
public struct DistrictLoadError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public let description: String
}
