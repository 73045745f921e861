internal import Foundation
public import Logging
public import PASIModel
public import PostgresNIO

/// A student found by the console's search box.
public struct StudentSearchHit: Sendable, Hashable {
    /// The SIS id (`sis.students.id`); `nil` for a student the local PASI copy has and the SIS has not.
    public let sisID: Int?
    public let studentNumber: Int64?
    /// The ASN's nine digits, if known.
    public let asn: String?
    /// "Last, First".
    public let name: String
    public let birthDate: String?
    /// The codes of the schools the SIS enrols the student in, any year.
    public let schools: [String]
}

/// One school enrolment on the student's page: the SIS's or the local PASI copy's.
public struct StudentEnrolmentLine: Sendable, Hashable {
    /// The SIS enrolment id, or PASI's RefId.
    public let key: String
    public let schoolCode: String
    /// `2024/2025`.
    public let schoolYear: String
    public let grade: String
    public let entryDate: String
    public let exitDate: String?
    /// The SIS's Enroll_Status; for PASI's copy "Is Deleted" when PASI holds it deleted (created in
    /// error), else empty: the 2020 endpoint has no Registration Status (migration 0036).
    public let status: String
    /// The record on the other side it is matched with (`sync.enrolment_matches`), if any.
    public let matchedWith: String?
}

/// A data event of the student's SIS rows and what became of it.
public struct StudentEventLine: Sendable, Hashable {
    public let id: Int64
    public let table: String
    public let rowKey: String
    /// I, U or D.
    public let operation: String
    public let changedColumns: [String]
    public let occurredLocal: String
    /// Pending, Sent, Rejected, Conflict, Failed or Skipped.
    public let status: String
    public let handledLocal: String?
    public let detail: String?
    /// Whether it has been archived (`sync.data_events_archive`).
    public let archived: Bool
}

/// A call to PASI Core that named the student (`sync.messages_about`), without its bodies.
public struct StudentMessageLine: Sendable, Hashable {
    public let id: Int64
    public let operation: String
    public let sentLocal: String
    public let durationMS: Int?
    public let outcome: String
    public let faultCode: Int?
    public let detail: String?
    public let jobID: Int64?
}

/// Everything the student's page shows.
public struct StudentRecordPage: Sendable {
    /// The SIS record with its enrolments; `nil` for a student only the local PASI copy has.
    public let sis: SISStudent?
    /// The local PASI copy; `nil` when unmatched or not downloaded.
    public let pasi: Student?
    /// The ASN the two sides are joined by: the SIS's, else the match's.
    public let asn: ASN?
    /// The match's quality (`sync.student_matches`), if matched.
    public let matchQuality: String?
    public let sisEnrolments: [StudentEnrolmentLine]
    public let pasiEnrolments: [StudentEnrolmentLine]
    public let alerts: [AlertListing]
    public let events: [StudentEventLine]
    public let messages: [StudentMessageLine]
    /// Whether Smart Address Match is on (how addresses are compared).
    public let smartAddressMatch: Bool
    /// The school codes of the student's enrolments, SIS and PASI (what a school-limited user is checked against).
    public var schoolCodes: Set<String> { Set(sisEnrolments.map(\.schoolCode) + pasiEnrolments.map(\.schoolCode)) }
}

/// The SQL of the console's student page and its search (`/students`). Personal data is read here
/// because showing it is the page's purpose; none of it is logged (statements bind their values).
public struct StudentPageStore: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The newest messages-log entries searched for a student's ASN (their bodies are searched).
    public static let messagesScanned = 5_000
    /// Alerts, events and messages shown at most, each.
    public static let listLimit = 100

    // MARK: Search

    /// The students an ASN (`123456789` or `1234-5678-9`), a student number, an SIS id or the words
    /// of a name (every word in the last, first or middle name) find, by name.
    /// - Parameters:
    ///   - text: What was typed.
    ///   - schools: Only students enrolled (SIS) in one of these schools; `nil` for all.
    ///   - limit: At most this many.
    public func search(_ text: String, schools: [String]? = nil, limit: Int = 50) async throws -> [StudentSearchHit] {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return [] }
        let digits = trimmed.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "-") } ? trimmed.filter(\.isNumber) : nil
        let number = digits.flatMap { Int64($0) }
        let asn = digits.flatMap { $0.count == 9 ? $0 : nil }
        // Words of a name, with LIKE's wildcards taken literally.
        let words: [String]? = digits == nil
            ? trimmed.split(whereSeparator: { $0 == " " || $0 == "," }).map {
                $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                    .replacingOccurrences(of: "_", with: "\\_")
            }
            : nil
        let rows = try await client.query("""
            SELECT s.id, s.student_number, s.asn::text, s.last_name || ', ' || s.first_name, to_char(s.dob, 'YYYY-MM-DD'),
                   coalesce((SELECT array_agg(DISTINCT sc.school_code::text ORDER BY sc.school_code::text)
                             FROM sis.enrolments AS e JOIN sis.schools AS sc ON sc.id = e.school_id
                             WHERE e.student_id = s.id), '{}')
            FROM sis.students AS s
            WHERE (s.id::int8 = \(number) OR s.student_number = \(number) OR s.asn = \(asn)
                   OR (\(words)::text[] IS NOT NULL AND NOT EXISTS (
                       SELECT 1 FROM unnest(\(words)::text[]) AS w
                       WHERE (s.last_name || ' ' || s.first_name || ' ' || coalesce(s.middle_name, '')) NOT ILIKE '%' || w || '%')))
              AND (\(schools)::text[] IS NULL OR EXISTS (
                   SELECT 1 FROM sis.enrolments AS e JOIN sis.schools AS sc ON sc.id = e.school_id
                   WHERE e.student_id = s.id AND sc.school_code = ANY(\(schools)::text[])))
            ORDER BY s.last_name, s.first_name, s.id
            LIMIT \(limit)
            """, logger: logger)
        var hits: [StudentSearchHit] = []
        for try await (id, studentNumber, asn, name, dob, codes) in rows.decode((Int, Int64, String?, String, String?, [String]).self) {
            hits.append(StudentSearchHit(sisID: id, studentNumber: studentNumber, asn: asn, name: name, birthDate: dob, schools: codes))
        }
        // An ASN the SIS does not hold may still be in the local PASI copy (a student of another
        // authority, or one not matched yet); a school-limited user sees only their schools' students.
        if let asn, !hits.contains(where: { $0.asn == asn }), let pasi = try await pasiOnly(asn: asn, schools: schools) {
            hits.append(pasi)
        }
        return hits
    }

    private func pasiOnly(asn: String, schools: [String]?) async throws -> StudentSearchHit? {
        let rows = try await client.query("""
            SELECT p.ref_id::text, coalesce(n.last_name || ', ' || coalesce(n.first_name, ''), ''), to_char(p.birth_date, 'YYYY-MM-DD'),
                   coalesce((SELECT array_agg(DISTINCT e.school_code::text ORDER BY e.school_code::text)
                             FROM pasi.school_enrolments AS e WHERE e.asn = p.ref_id), '{}')
            FROM pasi.students AS p
            LEFT JOIN pasi.student_names AS n ON n.asn = p.ref_id AND n.is_preferred
            WHERE p.ref_id = \(asn)
              AND (\(schools)::text[] IS NULL OR EXISTS (
                   SELECT 1 FROM pasi.school_enrolments AS e WHERE e.asn = p.ref_id AND e.school_code = ANY(\(schools)::text[])))
            """, logger: logger)
        for try await (asn, name, dob, codes) in rows.decode((String, String, String?, [String]).self) {
            return StudentSearchHit(sisID: nil, studentNumber: nil, asn: asn, name: name, birthDate: dob, schools: codes)
        }
        return nil
    }

    // MARK: The page

    /// The page of the SIS student with this id, or `nil` if the SIS has none.
    public func page(sisID: Int) async throws -> StudentRecordPage? {
        guard let sis = try await SISStore(client: client, logger: logger).student(id: sisID) else { return nil }
        var asn = sis.asn
        var quality: String?
        for try await (matched, q) in try await client.query(
            "SELECT asn::text, quality FROM sync.student_matches WHERE student_id = \(sisID)", logger: logger
        ).decode((String, String).self) {
            quality = q
            if asn == nil { asn = try? ASN(matched, checkDigit: .ignored) }
        }
        return try await page(sis: sis, asn: asn, quality: quality)
    }

    /// The page of a student the local PASI copy holds under `asn` and the SIS does not, or `nil`
    /// if neither has it (a student the SIS holds under that ASN has the SIS page: see ``sisID(asn:)``).
    public func page(asn: ASN) async throws -> StudentRecordPage? {
        guard let pasi = try await PASIStore(client: client, logger: logger).student(asn: asn) else { return nil }
        return try await page(sis: nil, asn: pasi.asn, quality: nil, pasi: pasi)
    }

    /// The SIS id of the student holding or matched to `asn`.
    public func sisID(asn: ASN) async throws -> Int? {
        let rows = try await client.query("""
            SELECT id FROM sis.students WHERE asn = \(asn.digits)
            UNION ALL SELECT student_id FROM sync.student_matches WHERE asn = \(asn.digits)
            LIMIT 1
            """, logger: logger)
        for try await id in rows.decode(Int.self) { return id }
        return nil
    }

    private func page(sis: SISStudent?, asn: ASN?, quality: String?, pasi known: Student? = nil) async throws -> StudentRecordPage {
        var pasi = known
        if pasi == nil, let asn { pasi = try await PASIStore(client: client, logger: logger).student(asn: asn) }
        let enrolmentIDs = sis?.enrolments.map(\.id) ?? []
        let sisMatches = try await enrolmentMatches(enrolmentIDs)
        let sisEnrolments = (sis?.enrolments ?? []).map { e in
            StudentEnrolmentLine(
                key: "\(e.id)", schoolCode: e.schoolCode.description, schoolYear: e.schoolYear.description, grade: e.grade.description,
                entryDate: e.entryDate.description, exitDate: e.exitDate?.description, status: Self.enrollStatus(e.enrollStatus),
                matchedWith: sisMatches[e.id])
        }
        let smart = try await SettingsStore(client: client, logger: logger).value(of: .smartAddressMatch) == .bool(true)
        return StudentRecordPage(
            sis: sis, pasi: pasi, asn: asn, matchQuality: quality, sisEnrolments: sisEnrolments,
            pasiEnrolments: try await pasiEnrolments(asn: asn),
            alerts: try await alerts(sisID: sis?.id, asn: asn),
            events: try await events(sisID: sis?.id, enrolmentIDs: enrolmentIDs),
            messages: try await messages(asn: asn), smartAddressMatch: smart)
    }

    /// PowerSchool's Enroll_Status, in words.
    static func enrollStatus(_ code: Int) -> String {
        switch code {
        case -1: "Pre-registered"
        case 0: "Active"
        case 2: "Transferred out"
        case 3: "Graduated"
        case 4: "Historical"
        default: "\(code)"
        }
    }

    private func enrolmentMatches(_ ids: [Int]) async throws -> [Int: String] {
        guard !ids.isEmpty else { return [:] }
        var matches: [Int: String] = [:]
        for try await (id, ref) in try await client.query(
            "SELECT enrolment_id, ref_id::text FROM sync.enrolment_matches WHERE enrolment_id = ANY(\(ids))", logger: logger
        ).decode((Int, String).self) { matches[id] = ref }
        return matches
    }

    private func pasiEnrolments(asn: ASN?) async throws -> [StudentEnrolmentLine] {
        guard let asn else { return [] }
        let rows = try await client.query("""
            SELECT p.ref_id::text, p.school_code::text, (p.school_year - 1) || '/' || p.school_year, p.grade,
                   to_char(p.entry_date, 'YYYY-MM-DD'), to_char(p.exit_date, 'YYYY-MM-DD'),
                   CASE WHEN p.is_deleted THEN 'Is Deleted' ELSE '' END,
                   m.enrolment_id::text
            FROM pasi.school_enrolments AS p LEFT JOIN sync.enrolment_matches AS m ON m.ref_id = p.ref_id
            WHERE p.asn = \(asn.digits)
            ORDER BY p.school_year, p.entry_date, p.ref_id
            """, logger: logger)
        var lines: [StudentEnrolmentLine] = []
        for try await (ref, school, year, grade, entry, exit, status, matched)
            in rows.decode((String, String, String, String, String, String?, String, String?).self) {
            lines.append(StudentEnrolmentLine(key: ref, schoolCode: school, schoolYear: year, grade: grade, entryDate: entry,
                                              exitDate: exit, status: status, matchedWith: matched))
        }
        return lines
    }

    private func alerts(sisID: Int?, asn: ASN?) async throws -> [AlertListing] {
        guard sisID != nil || asn != nil else { return [] }
        let query: PostgresQuery = """
            \(unescaped: AlertListingRow.select)
            WHERE a.student_id = \(sisID) OR a.asn = \(asn?.digits)
               -- PASI files a student's alert under the ASN as its RefId, the ASN column perhaps empty.
               OR (a.status_type = 'Student' AND a.ref_id = \(asn?.digits))
            ORDER BY a.resolved_at IS NOT NULL, a.created_at DESC, a.id DESC
            LIMIT \(Self.listLimit)
            """
        return try await client.jsonRows(AlertListingRow.self, query, table: "sync.core_alerts", logger: logger).map { try $0.model() }
    }

    private func events(sisID: Int?, enrolmentIDs: [Int]) async throws -> [StudentEventLine] {
        guard let sisID else { return [] }
        let keys = enrolmentIDs.map(String.init)
        let rows = try await client.query("""
            SELECT e.id, e.table_name, e.row_key, e.operation::text, e.changed_columns,
                   to_char(e.occurred_at AT TIME ZONE z.zone, 'YYYY-MM-DD HH24:MI:SS'), e.status,
                   to_char(e.handled_at AT TIME ZONE z.zone, 'YYYY-MM-DD HH24:MI:SS'), e.detail, e.archived
            FROM (SELECT id, table_name, row_key, operation, changed_columns, occurred_at, status, handled_at, detail, false AS archived
                  FROM sync.data_events
                  UNION ALL
                  SELECT id, table_name, row_key, operation, changed_columns, occurred_at, status, handled_at, detail, true
                  FROM sync.data_events_archive) AS e
            CROSS JOIN \(unescaped: AlertsStore.clusterZone) AS z
            WHERE (e.table_name = 'sis.students' AND e.row_key = \(String(sisID)))
               OR (e.table_name = 'sis.enrolments' AND e.row_key = ANY(\(keys)::text[]))
            ORDER BY e.id DESC
            LIMIT \(Self.listLimit)
            """, logger: logger)
        var lines: [StudentEventLine] = []
        for try await row in rows.decode((Int64, String, String, String, [String], String, String, String?, String?, Bool).self) {
            lines.append(StudentEventLine(id: row.0, table: row.1, rowKey: row.2, operation: row.3, changedColumns: row.4, occurredLocal: row.5,
                                          status: row.6, handledLocal: row.7, detail: row.8, archived: row.9))
        }
        return lines
    }

    private func messages(asn: ASN?) async throws -> [StudentMessageLine] {
        guard let asn else { return [] }
        let rows = try await client.query("""
            SELECT m.id, m.operation, to_char(m.sent_at AT TIME ZONE z.zone, 'YYYY-MM-DD HH24:MI:SS'), m.duration_ms, m.outcome,
                   m.fault_code, m.detail, m.job_id
            FROM sync.messages_about(\(asn.digits), \(Self.messagesScanned)::int) AS m
            CROSS JOIN \(unescaped: AlertsStore.clusterZone) AS z
            ORDER BY m.id DESC
            LIMIT \(Self.listLimit)
            """, logger: logger)
        var lines: [StudentMessageLine] = []
        for try await row in rows.decode((Int64, String, String, Int?, String, Int?, String?, Int64?).self) {
            lines.append(StudentMessageLine(id: row.0, operation: row.1, sentLocal: row.2, durationMS: row.3, outcome: row.4,
                                            faultCode: row.5, detail: row.6, jobID: row.7))
        }
        return lines
    }
}
