public import Logging
public import PASIModel
public import PostgresNIO
internal import Foundation

/// A SIS school as Initial Synchronization checks it before a school-by-school run.
public struct SISSchoolInfo: Sendable, Hashable {
    public let id: Int
    public let code: OrganizationNumber
    public let name: String
    /// School Type: `Active`, `Inactive` or `nil` (blank, which means Inactive).
    public let schoolType: String?
}

/// One line a batch of Initial Synchronization found, for one of its files.
public struct InitialSyncLine: Sendable, Hashable {
    public var file: String
    public var sortKey: String
    public var line: String

    public init(file: String, sortKey: String, line: String) {
        self.file = file
        self.sortKey = sortKey
        self.line = line
    }
}

/// What Initial Synchronization reads and writes beyond the stores of each side: which SIS
/// students are in scope, the PASI candidates for a batch of them, the matches it makes, and
/// the lines of its log and extract files. It never writes `sis.*` or `pasi.*` (it may refresh
/// their planner statistics: ``refreshStatistics()``).
public struct InitialSyncStore: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    // MARK: - Scope

    /// The SIS school with a code, if the SIS has one.
    public func school(code: OrganizationNumber) async throws -> SISSchoolInfo? {
        let rows = try await client.query(
            "SELECT id, name, school_type FROM sis.schools WHERE school_code = \(code.description)", logger: logger)
        for try await (id, name, type) in rows.decode((Int, String, String?).self) {
            return SISSchoolInfo(id: id, code: code, name: name, schoolType: type)
        }
        return nil
    }

    /// The authority a school belongs to as the local PASI store knows it, if it knows the school.
    public func authorityOfPASISchool(code: OrganizationNumber) async throws -> String? {
        let rows = try await client.query(
            "SELECT coalesce(authority_code, '') FROM pasi.schools WHERE ref_id = \(code.description)", logger: logger)
        for try await authority in rows.decode(String.self) { return authority }
        return nil
    }

    /// The SIS students with a school enrolment in one of `years` (at `school` only, when given),
    /// in id order.
    public func studentIDs(years: [SchoolYear], school: OrganizationNumber?) async throws -> [Int] {
        let starts = years.map(\.sisStartYear)
        let rows = try await client.query("""
            SELECT DISTINCT e.student_id FROM sis.enrolments e JOIN sis.schools s ON s.id = e.school_id
            WHERE e.school_year = ANY(\(starts)) AND (\(school?.description)::char(4) IS NULL OR s.school_code = \(school?.description))
            ORDER BY 1
            """, logger: logger)
        var ids: [Int] = []
        for try await id in rows.decode(Int.self) { ids.append(id) }
        return ids
    }

    /// Whether the local PASI store holds any student (Load Local Copy has run).
    public func localStoreHasStudents() async throws -> Bool {
        let rows = try await client.query("SELECT EXISTS (SELECT 1 FROM pasi.students)", logger: logger)
        for try await exists in rows.decode(Bool.self) { return exists }
        return false
    }

    // MARK: - Candidates

    /// The ASNs of PASI students whose legal last name (case-insensitive) and birth date are one
    /// of `pairs` and whose ASN no SIS student holds: the candidates of a demographic lookup. The
    /// answer does not depend on which batches ran before.
    public func candidateASNs(lastNamesAndBirthDates pairs: [(lastName: String, birthDate: PASIDate)]) async throws -> [ASN] {
        guard !pairs.isEmpty else { return [] }
        let names = pairs.map { $0.lastName.lowercased() }
        let dates = pairs.map { $0.birthDate.description }
        let rows = try await client.query("""
            SELECT DISTINCT s.ref_id::text
            FROM unnest(\(names)::text[], \(dates)::date[]) AS w (last_name, birth_date)
            JOIN pasi.students s ON s.birth_date = w.birth_date
            JOIN pasi.student_names n ON n.asn = s.ref_id AND n.name_type = 'Legal' AND lower(n.last_name) = w.last_name
            -- A PASI student whose ASN a SIS student holds is that student's (matched by ASN, which
            -- comes first), whichever batch it is in: not a candidate for anyone else.
            WHERE NOT EXISTS (SELECT 1 FROM sis.students o WHERE o.asn = s.ref_id)
            ORDER BY 1
            """, logger: logger)
        var asns: [ASN] = []
        for try await asn in rows.decode(String.self) { asns.append(try ASN(asn, checkDigit: .ignored)) }
        return asns
    }

    /// The SIS students each ASN is matched with (`sync.student_matches`).
    public func studentMatches(studentIDs: [Int]) async throws -> [Int: ASN] {
        let rows = try await client.query(
            "SELECT student_id, asn::text FROM sync.student_matches WHERE student_id = ANY(\(studentIDs))", logger: logger)
        var matches: [Int: ASN] = [:]
        for try await (id, asn) in rows.decode((Int, String).self) { matches[id] = try ASN(asn, checkDigit: .ignored) }
        return matches
    }

    /// Which of `asns` the local PASI store holds a student for.
    public func heldASNs(_ asns: [ASN]) async throws -> Set<String> {
        let rows = try await client.query(
            "SELECT ref_id::text FROM pasi.students WHERE ref_id = ANY(CAST(\(asns.map(\.digits)) AS char(9)[]))", logger: logger)
        var held: Set<String> = []
        for try await asn in rows.decode(String.self) { held.insert(asn) }
        return held
    }

    /// The student matches of these SIS students and of these ASNs (whoever holds them), SIS id → ASN.
    public func studentMatches(studentIDs: [Int], orASNs asns: [ASN]) async throws -> [Int: ASN] {
        let rows = try await client.query("""
            SELECT student_id, asn::text FROM sync.student_matches
            WHERE student_id = ANY(\(studentIDs)) OR asn = ANY(CAST(\(asns.map(\.digits)) AS char(9)[]))
            """, logger: logger)
        var matches: [Int: ASN] = [:]
        for try await (id, asn) in rows.decode((Int, String).self) { matches[id] = try ASN(asn, checkDigit: .ignored) }
        return matches
    }

    /// The enrolment matches of these SIS enrolments, SIS id → RefId.
    public func enrolmentMatches(enrolmentIDs: [Int]) async throws -> [Int: RefId] {
        let rows = try await client.query(
            "SELECT enrolment_id, ref_id::text FROM sync.enrolment_matches WHERE enrolment_id = ANY(\(enrolmentIDs))", logger: logger)
        var matches: [Int: RefId] = [:]
        for try await (id, refId) in rows.decode((Int, String).self) { matches[id] = try RefId(refId) }
        return matches
    }

    /// The authority's schools: those of the SIS, and those the local PASI store files under the authority.
    public func authoritySchools(authority: OrganizationNumber?) async throws -> Set<OrganizationNumber> {
        let rows = try await client.query("""
            SELECT school_code::text FROM sis.schools
            UNION SELECT ref_id::text FROM pasi.schools WHERE authority_code = \(authority?.description)
            """, logger: logger)
        var codes: Set<OrganizationNumber> = []
        for try await code in rows.decode(String.self) { codes.insert(try OrganizationNumber(code, field: "school_code")) }
        return codes
    }

    /// The ASNs among `asns` that a SIS student outside `studentIDs` is matched with.
    public func asnsMatchedElsewhere(_ asns: [ASN], notTo studentIDs: [Int]) async throws -> Set<String> {
        let rows = try await client.query("""
            SELECT asn::text FROM sync.student_matches WHERE asn = ANY(CAST(\(asns.map(\.digits)) AS char(9)[]))
              AND NOT student_id = ANY(\(studentIDs))
            """, logger: logger)
        var taken: Set<String> = []
        for try await asn in rows.decode(String.self) { taken.insert(asn) }
        return taken
    }

    /// The ASNs of PASI students with a school enrolment in `years` that no SIS student is matched
    /// with. An enrolment created in error (`is_deleted`) does not count.
    public func unmatchedPASIStudents(years: [SchoolYear]) async throws -> [ASN] {
        let rows = try await client.query("""
            SELECT DISTINCT e.asn::text FROM pasi.school_enrolments e
            WHERE e.school_year = ANY(\(years.map(\.endYear))) AND NOT e.is_deleted
              AND NOT EXISTS (SELECT 1 FROM sync.student_matches m WHERE m.asn = e.asn)
            ORDER BY 1
            """, logger: logger)
        var asns: [ASN] = []
        for try await asn in rows.decode(String.self) { asns.append(try ASN(asn, checkDigit: .ignored)) }
        return asns
    }

    // MARK: - Statistics

    /// The tables a batch reads, whose planner statistics must describe them.
    static let comparedTables = [
        "sis.students", "sis.enrolments", "sis.schools", "pasi.students", "pasi.student_names", "pasi.student_addresses",
        "pasi.student_phones", "pasi.school_enrolments", "sync.student_matches", "sync.enrolment_matches", "sync.core_alerts",
    ]

    /// Brings the planner's statistics of ``comparedTables`` up to date where they are missing or
    /// stale (never analyzed, or a tenth of the rows changed since). Load Local Copy fills the
    /// local store from nothing a moment before the first run, and autovacuum may not have got
    /// to it yet: without statistics the batches' reads were planned blind, and the
    /// first run took 55.7 s instead of 12–18 s, the database's CPU 89.6 s instead of 10–15 s
    /// (docs/getting-ready.md, "Benchmark"). It changes statistics only, never a row.
    /// - Returns: the tables analyzed.
    @discardableResult
    public func refreshStatistics() async throws -> [String] {
        let rows = try await client.query("""
            SELECT t.name FROM unnest(\(Self.comparedTables)::text[]) AS t (name)
            JOIN pg_stat_user_tables s ON s.relid = to_regclass(t.name)
            WHERE (s.last_analyze IS NULL AND s.last_autoanalyze IS NULL)
               OR s.n_mod_since_analyze > greatest(s.n_live_tup, 1000) / 10
            """, logger: logger)
        var stale: [String] = []
        for try await name in rows.decode(String.self) { stale.append(name) }
        // The names come from the list above, never from input: they are safe in the statement.
        // ANALYZE of a large district's tables may outlast the workers' statement_timeout
        // (SessionLimits, 600 s by default): it gets an hour of its own.
        if !stale.isEmpty {
            try await client.inTransaction(logger: logger) { connection in
                try await connection.query("SET LOCAL statement_timeout = '1h'", logger: logger)
                try await connection.query(PostgresQuery(unsafeSQL: "ANALYZE " + stale.joined(separator: ", ")), logger: logger)
            }
        }
        return stale
    }

    // MARK: - Matches

    /// Keeps the matches a batch made, in the caller's transaction. A student keeps an earlier
    /// match; an ASN or RefId another record already holds is left to that record.
    public func saveMatches(
        students: [(studentID: Int, asn: ASN, quality: MatchQuality)], enrolments: [(enrolmentID: Int, refId: RefId, quality: MatchQuality)],
        by process: String, on connection: PostgresConnection
    ) async throws {
        if !students.isEmpty {
            try await connection.query("""
                INSERT INTO sync.student_matches (student_id, asn, quality, matched_by)
                SELECT * FROM unnest(\(students.map(\.studentID))::int[], CAST(\(students.map(\.asn.digits)) AS char(9)[]),
                                     \(students.map(\.quality.rawValue))::text[], array_fill(\(process)::text, ARRAY[\(students.count)::int]))
                ON CONFLICT DO NOTHING
                """, logger: logger)
        }
        if !enrolments.isEmpty {
            try await connection.query("""
                INSERT INTO sync.enrolment_matches (enrolment_id, ref_id, quality, matched_by)
                SELECT * FROM unnest(\(enrolments.map(\.enrolmentID))::int[], CAST(\(enrolments.map(\.refId.value)) AS uuid[]),
                                     \(enrolments.map(\.quality.rawValue))::text[], array_fill(\(process)::text, ARRAY[\(enrolments.count)::int]))
                ON CONFLICT (enrolment_id) DO UPDATE SET ref_id = EXCLUDED.ref_id, quality = EXCLUDED.quality,
                    matched_by = EXCLUDED.matched_by, matched_at = now()
                WHERE NOT EXISTS (SELECT 1 FROM sync.enrolment_matches o WHERE o.ref_id = EXCLUDED.ref_id)
                """, logger: logger)
        }
    }

    /// How many alerts a process raised are open.
    public func openAlertCount(raisedBy process: String) async throws -> Int {
        let rows = try await client.query(
            "SELECT count(*)::int FROM sync.core_alerts WHERE raised_by = \(process) AND resolved_at IS NULL", logger: logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }

    // MARK: - Lines of the files

    /// Adds lines a batch found, in the caller's transaction; a batch run again replaces its own.
    public func addLines(_ lines: [InitialSyncLine], runID: Int64, batchKey: String, on connection: PostgresConnection) async throws {
        try await connection.query(
            "DELETE FROM sync.initial_sync_lines WHERE run_id = \(runID) AND sort_key LIKE \(batchKey + "/%")", logger: logger)
        guard !lines.isEmpty else { return }
        try await connection.query("""
            INSERT INTO sync.initial_sync_lines (run_id, file, sort_key, line)
            SELECT \(runID), * FROM unnest(\(lines.map(\.file))::text[], \(lines.map { batchKey + "/" + $0.sortKey })::text[],
                                          \(lines.map(\.line))::text[])
            """, logger: logger)
    }

    /// The lines of one file of a run, in order.
    public func lines(runID: Int64, file: String) async throws -> [String] {
        let rows = try await client.query("""
            SELECT line FROM sync.initial_sync_lines WHERE run_id = \(runID) AND file = \(file) ORDER BY sort_key
            """, logger: logger)
        var lines: [String] = []
        for try await line in rows.decode(String.self) { lines.append(line) }
        return lines
    }

    /// Forgets a run's lines once its files are written.
    public func clearLines(runID: Int64) async throws {
        try await client.query("DELETE FROM sync.initial_sync_lines WHERE run_id = \(runID)", logger: logger)
    }
}
