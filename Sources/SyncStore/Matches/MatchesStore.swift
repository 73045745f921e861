public import Foundation
public import Logging
public import PASIModel
public import PostgresNIO

/// A SIS student matched with a PASI student (`sync.student_matches`).
public struct StudentMatch: Sendable, Hashable {
    /// The SIS student's id.
    public let studentID: Int
    /// The PASI student's ASN.
    public let asn: ASN
    /// How sure the match is.
    public let quality: MatchQuality
    /// When it was made.
    public let matchedAt: Date
    /// Who made it: a person's name or the process's.
    public let matchedBy: String
}

/// A SIS school enrolment matched with a PASI school enrolment (`sync.enrolment_matches`).
public struct EnrolmentMatch: Sendable, Hashable {
    /// The SIS enrolment's id.
    public let enrolmentID: Int
    /// The PASI enrolment's RefId.
    public let refId: RefId
    /// How sure the match is.
    public let quality: MatchQuality
    /// When it was made.
    public let matchedAt: Date
    /// Who made it.
    public let matchedBy: String
}

/// The SIS ↔ PASI matches: student ↔ ASN and school enrolment ↔ RefId, one to one each way.
/// They hold no foreign keys into `sis`, so a deleted SIS record's match still finds its PASI record.
public struct MatchesStore: Sendable {
    /// The client every statement runs on.
    public let client: PostgresClient
    /// The logger statements log to.
    public let logger: Logger

    /// Creates a store.
    /// - Parameters:
    ///   - client: A running client.
    ///   - logger: The logger statements log to.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    // MARK: - Students

    /// Matches a SIS student with an ASN, replacing the student's earlier match.
    /// - Parameters:
    ///   - studentID: The SIS student's id.
    ///   - asn: The PASI student's ASN.
    ///   - quality: How sure the match is.
    ///   - by: Who matched them.
    /// - Throws: ``SyncStoreError`` with code `alreadyMatched` when another SIS student holds the
    ///   ASN; database errors.
    public func matchStudent(_ studentID: Int, to asn: ASN, quality: MatchQuality, by: String) async throws {
        let rows = try await client.query("""
            INSERT INTO sync.student_matches (student_id, asn, quality, matched_by)
            SELECT \(studentID), \(asn.digits), \(quality.rawValue), \(by)
            WHERE NOT EXISTS (SELECT 1 FROM sync.student_matches WHERE asn = \(asn.digits) AND student_id <> \(studentID))
            ON CONFLICT (student_id) DO UPDATE
                SET asn = EXCLUDED.asn, quality = EXCLUDED.quality, matched_by = EXCLUDED.matched_by, matched_at = now()
            RETURNING student_id
            """, logger: logger)
        for try await _ in rows.decode(Int.self) { return }
        let holder = try await studentMatch(asn: asn)?.studentID
        throw SyncStoreError(.alreadyMatched, "ASN \(asn) is already matched with SIS student \(holder.map(String.init) ?? "?")")
    }

    /// The match of a SIS student, if any.
    /// - Parameter studentID: The SIS student's id.
    /// - Throws: ``SyncStoreError`` for an unreadable row; database errors.
    public func studentMatch(studentID: Int) async throws -> StudentMatch? {
        try await studentMatches("SELECT student_id, asn::text, quality, extract(epoch FROM matched_at)::float8, matched_by FROM sync.student_matches WHERE student_id = \(studentID)").first
    }

    /// The match of a PASI student, if any.
    /// - Parameter asn: The ASN.
    /// - Throws: ``SyncStoreError`` for an unreadable row; database errors.
    public func studentMatch(asn: ASN) async throws -> StudentMatch? {
        try await studentMatches("SELECT student_id, asn::text, quality, extract(epoch FROM matched_at)::float8, matched_by FROM sync.student_matches WHERE asn = \(asn.digits)").first
    }

    /// Removes a SIS student's match.
    /// - Parameter studentID: The SIS student's id.
    /// - Returns: Whether there was one.
    /// - Throws: Database errors.
    @discardableResult
    public func unmatchStudent(_ studentID: Int) async throws -> Bool {
        let rows = try await client.query(
            "DELETE FROM sync.student_matches WHERE student_id = \(studentID) RETURNING student_id", logger: logger)
        for try await _ in rows.decode(Int.self) { return true }
        return false
    }

    // MARK: - Enrolments

    /// Matches a SIS school enrolment with a PASI enrolment's RefId, replacing its earlier match.
    /// - Parameters:
    ///   - enrolmentID: The SIS enrolment's id.
    ///   - refId: The PASI enrolment's RefId.
    ///   - quality: How sure the match is.
    ///   - by: Who matched them.
    /// - Throws: ``SyncStoreError`` with code `alreadyMatched` when another SIS enrolment holds the
    ///   RefId; database errors.
    public func matchEnrolment(_ enrolmentID: Int, to refId: RefId, quality: MatchQuality, by: String) async throws {
        let rows = try await client.query("""
            INSERT INTO sync.enrolment_matches (enrolment_id, ref_id, quality, matched_by)
            SELECT \(enrolmentID), \(refId.value)::uuid, \(quality.rawValue), \(by)
            WHERE NOT EXISTS (SELECT 1 FROM sync.enrolment_matches WHERE ref_id = \(refId.value)::uuid AND enrolment_id <> \(enrolmentID))
            ON CONFLICT (enrolment_id) DO UPDATE
                SET ref_id = EXCLUDED.ref_id, quality = EXCLUDED.quality, matched_by = EXCLUDED.matched_by, matched_at = now()
            RETURNING enrolment_id
            """, logger: logger)
        for try await _ in rows.decode(Int.self) { return }
        let holder = try await enrolmentMatch(refId: refId)?.enrolmentID
        throw SyncStoreError(.alreadyMatched, "RefId \(refId) is already matched with SIS enrolment \(holder.map(String.init) ?? "?")")
    }

    /// The match of a SIS enrolment, if any.
    /// - Parameter enrolmentID: The SIS enrolment's id.
    /// - Throws: ``SyncStoreError`` for an unreadable row; database errors.
    public func enrolmentMatch(enrolmentID: Int) async throws -> EnrolmentMatch? {
        try await enrolmentMatches("SELECT enrolment_id, ref_id::text, quality, extract(epoch FROM matched_at)::float8, matched_by FROM sync.enrolment_matches WHERE enrolment_id = \(enrolmentID)").first
    }

    /// The match of a PASI enrolment, if any.
    /// - Parameter refId: The PASI enrolment's RefId.
    /// - Throws: ``SyncStoreError`` for an unreadable row; database errors.
    public func enrolmentMatch(refId: RefId) async throws -> EnrolmentMatch? {
        try await enrolmentMatches("SELECT enrolment_id, ref_id::text, quality, extract(epoch FROM matched_at)::float8, matched_by FROM sync.enrolment_matches WHERE ref_id = \(refId.value)::uuid").first
    }

    /// Removes a SIS enrolment's match.
    /// - Parameter enrolmentID: The SIS enrolment's id.
    /// - Returns: Whether there was one.
    /// - Throws: Database errors.
    @discardableResult
    public func unmatchEnrolment(_ enrolmentID: Int) async throws -> Bool {
        let rows = try await client.query(
            "DELETE FROM sync.enrolment_matches WHERE enrolment_id = \(enrolmentID) RETURNING enrolment_id", logger: logger)
        for try await _ in rows.decode(Int.self) { return true }
        return false
    }

    // MARK: -

    private func studentMatches(_ query: PostgresQuery) async throws -> [StudentMatch] {
        var matches: [StudentMatch] = []
        for try await (id, asn, quality, at, by) in try await client.query(query, logger: logger)
            .decode((Int, String, String, Double, String).self)
        {
            let reader = RowReader(table: "sync.student_matches", key: String(id))
            matches.append(StudentMatch(
                studentID: id, asn: try reader.required(reader.asn(asn), "asn"),
                quality: try reader.required(reader.enumValue(quality, as: MatchQuality.self), "quality"),
                matchedAt: Date(timeIntervalSince1970: at), matchedBy: by))
        }
        return matches
    }

    private func enrolmentMatches(_ query: PostgresQuery) async throws -> [EnrolmentMatch] {
        var matches: [EnrolmentMatch] = []
        for try await (id, refId, quality, at, by) in try await client.query(query, logger: logger)
            .decode((Int, String, String, Double, String).self)
        {
            let reader = RowReader(table: "sync.enrolment_matches", key: String(id))
            matches.append(EnrolmentMatch(
                enrolmentID: id, refId: try reader.read { () throws(PASIModelError) in try RefId(refId) },
                quality: try reader.required(reader.enumValue(quality, as: MatchQuality.self), "quality"),
                matchedAt: Date(timeIntervalSince1970: at), matchedBy: by))
        }
        return matches
    }
}
