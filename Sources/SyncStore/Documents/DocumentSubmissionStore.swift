import Foundation
public import Logging
public import PASIModel
public import PostgresNIO

/// A SIS student record document that Daily Document Submission has to send: changed since PASI
/// last accepted it (or never sent), of a student with an ASN, with the RefId this client chose.
public struct PendingDocument: Sendable, Hashable {
    /// `sis.student_record_documents.id`.
    public var documentID: Int
    /// `sis.students.id`.
    public var studentID: Int
    /// The record as it goes to PASI, on the version PASI last accepted (0 before); or why the
    /// SIS row cannot make one (a title breaking PASI's string rule): that document alone is refused.
    public var record: Result<StudentRecordDocument, PASIModelError>
    /// The digest of the SIS content (``DocumentSubmissionStore`` computes it in SQL).
    public var digest: String
    /// The digest of an earlier submit that was never answered, if any.
    public var inFlightDigest: String?

    public init(documentID: Int, studentID: Int, record: Result<StudentRecordDocument, PASIModelError>, digest: String, inFlightDigest: String? = nil) {
        self.documentID = documentID
        self.studentID = studentID
        self.record = record
        self.digest = digest
        self.inFlightDigest = inFlightDigest
    }

    /// `sync.core_alerts.subject` of this document's alerts.
    public var subject: String { DocumentSubmissionStore.subject(documentID) }
}

/// What PASI made of one document, as Daily Document Submission writes it down.
public enum DocumentOutcome: Sendable, Hashable {
    /// PASI holds the document at `record.pasiCoreVersion`.
    case accepted(PendingDocument, record: StudentRecordDocument)
    /// PASI refused it (a business rule, a 3004 someone else's change caused): its alert.
    case refused(PendingDocument, alert: AlertRecord)
}

/// The sync-side state of Daily Document Submission (`sync.document_submissions`, migration 0016).
public struct DocumentSubmissionStore: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    /// `sync.core_alerts.raised_by` of Daily Document Submission.
    public static let raiser = "document_submission"

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The subject of a document's alerts: `sis.student_record_documents:ID`.
    public static func subject(_ documentID: Int) -> String { "sis.student_record_documents:\(documentID)" }

    /// How many documents the next ``pending(after:limit:)`` calls will return, all told.
    public func pendingCount() async throws -> Int {
        let rows = try await client.query("SELECT count(*)::int FROM \(unescaped: Self.pendingFrom)", logger: logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }

    /// The next `limit` documents to send, by id after `after`, each given its RefId first (kept
    /// from then on, so every later submit of the document is under the same RefId).
    /// - Throws: Database errors.
    public func pending(after: Int, limit: Int) async throws -> [PendingDocument] {
        try await client.query("""
            INSERT INTO sync.document_submissions (document_id)
            SELECT d.id FROM \(unescaped: Self.pendingFrom) AND d.id > \(after) ORDER BY d.id LIMIT \(limit)
            ON CONFLICT (document_id) DO NOTHING
            """, logger: logger)
        let rows = try await client.query("""
            SELECT d.id, st.id, st.asn::text, d.document_type, d.title, sc.school_code::text, d.document_date::text,
                   ds.ref_id::text, ds.pasi_core_version, \(unescaped: Self.digest), ds.in_flight_digest
            FROM \(unescaped: Self.pendingFrom) AND d.id > \(after) ORDER BY d.id LIMIT \(limit)
            """, logger: logger)
        var out: [PendingDocument] = []
        for try await (id, student, asn, type, title, school, date, refId, version, digest, inFlight)
            in rows.decode((Int, Int, String, String, String, String?, String?, String, Int64, String, String?).self) {
            let record = Result { () throws(PASIModelError) in
                try StudentRecordDocument(
                    refId: RefId(refId), asn: ASN(asn, checkDigit: .ignored), documentType: type, title: title,
                    schoolCode: school.map { code throws(PASIModelError) in try OrganizationNumber(code, field: "StudentRecordDocument.schoolCode") },
                    documentDate: date.map { text throws(PASIModelError) in try PASIDate(text) }, pasiCoreVersion: version)
            }
            out.append(PendingDocument(documentID: id, studentID: student, record: record, digest: digest, inFlightDigest: inFlight))
        }
        return out
    }

    /// Notes the documents as sent and not yet answered, before they are sent.
    public func noteInFlight(_ documents: [PendingDocument]) async throws {
        try await client.query("""
            UPDATE sync.document_submissions AS ds SET in_flight_digest = f.digest
            FROM unnest(\(documents.map(\.documentID))::int[], \(documents.map(\.digest))::text[]) AS f (id, digest)
            WHERE ds.document_id = f.id
            """, logger: logger)
    }

    /// Writes down what PASI made of a batch, in one transaction: an accepted document's digest
    /// and version (and PASI's copy into the local store), its alerts resolved; a refused one's
    /// digest, so it is not sent again unchanged, and its alert raised (or brought up to date).
    /// - Returns: How many alerts are new.
    @discardableResult
    public func record(_ outcomes: [DocumentOutcome], jobID: Int64?) async throws -> Int {
        var acceptedIDs: [Int] = [], acceptedDigests: [String] = [], versions: [Int64] = []
        var records: [any PASIRecord] = []
        var refusedIDs: [Int] = [], refusedDigests: [String] = [], alerts: [SubjectAlert] = []
        for outcome in outcomes {
            switch outcome {
            case .accepted(let document, let record):
                acceptedIDs.append(document.documentID)
                acceptedDigests.append(document.digest)
                versions.append(record.pasiCoreVersion)
                records.append(record)
            case .refused(let document, let alert):
                refusedIDs.append(document.documentID)
                refusedDigests.append(document.digest)
                alerts.append(SubjectAlert(subject: document.subject, record: alert))
            }
        }
        let pasiStore = PASIStore(client: client, logger: logger)
        let alertsStore = AlertsStore(client: client, logger: logger)
        let logger = logger
        return try await client.inTransaction(logger: logger) { connection in
            try await connection.query("""
                UPDATE sync.document_submissions AS ds
                SET sent_digest = a.digest, pasi_core_version = a.version, in_flight_digest = NULL, rejected_digest = NULL,
                    sent_at = now(), job_id = \(jobID)
                FROM unnest(\(acceptedIDs)::int[], \(acceptedDigests)::text[], \(versions)::bigint[]) AS a (id, digest, version)
                WHERE ds.document_id = a.id
                """, logger: logger)
            try await connection.query("""
                UPDATE sync.document_submissions AS ds SET rejected_digest = r.digest, in_flight_digest = NULL, job_id = \(jobID)
                FROM unnest(\(refusedIDs)::int[], \(refusedDigests)::text[]) AS r (id, digest)
                WHERE ds.document_id = r.id
                """, logger: logger)
            _ = try await pasiStore.store(records, on: connection)
            try await connection.query("""
                UPDATE sync.core_alerts SET resolved_at = now(), updated_at = now()
                WHERE resolved_at IS NULL AND raised_by = \(Self.raiser) AND subject = ANY(\(acceptedIDs.map(Self.subject))::text[])
                """, logger: logger)
            // An empty scope: reconcile raises and refreshes only; acceptance resolves, above.
            return try await alertsStore.reconcile(alerts, raisedBy: Self.raiser, scope: AlertScope(), jobID: jobID, on: connection).raised
        }
    }

    /// The digest of a document's content as PASI receives it: what a change of any of it changes.
    static let digest = """
        md5(concat_ws('|', st.asn, d.document_type, d.title, coalesce(sc.school_code, ''), coalesce(d.document_date::text, '')))
        """

    /// Documents of students with an ASN whose content is not what PASI last accepted, nor what
    /// it last rejected. Ends in a WHERE clause the caller extends with AND.
    static let pendingFrom = """
        sis.student_record_documents d
        JOIN sis.students st ON st.id = d.student_id
        LEFT JOIN sis.schools sc ON sc.id = d.school_id
        LEFT JOIN sync.document_submissions ds ON ds.document_id = d.id
        WHERE st.asn IS NOT NULL
          AND ds.sent_digest IS DISTINCT FROM \(digest)
          AND ds.rejected_digest IS DISTINCT FROM \(digest)
        """
}
