public import Foundation
public import Logging
public import PASIModel
public import PostgresNIO

/// What became of one record's change, as regular synchronization records it.
public enum OutboundOutcome: Sendable {
    /// PASI took the record (or already held exactly it): its events are Sent at `version`, the
    /// accepted record goes into the local store, the record's open alerts are resolved.
    case sent(RecordChange, Accepted)
    /// Not sent, and never will be as it stands (a one-way item, a switch that is off, …).
    case skipped(RecordChange, reason: String)
    /// Refused (by PASI's business rules, or by its data rules before sending): Rejected, with a
    /// Rejection alert.
    case rejected(RecordChange, alert: AlertRecord)
    /// PASI's copy changed since ours (3004): Conflict, with a Conflict alert; PASI's current
    /// record, when it could be read, refreshes the local store. Nothing is overwritten.
    case conflict(RecordChange, alert: AlertRecord, current: (any PASIRecord)?)
    /// A failure a retry may fix: the events stay Pending until `retryAt`.
    case retry(RecordChange, attempts: Int, retryAt: Date, error: String)
    /// Maximum Attempts spent: Failed, with a Failure alert.
    case failed(RecordChange, alert: AlertRecord)

    public var change: RecordChange {
        switch self {
        case .sent(let c, _), .skipped(let c, _), .rejected(let c, _), .conflict(let c, _, _), .retry(let c, _, _, _),
             .failed(let c, _): c
        }
    }
}

/// What PASI took: the version it answered, and what the local store keeps of it.
public struct Accepted: Sendable {
    /// The record's version in PASI now.
    public var version: Int64
    /// The record as PASI now holds it, for the local store.
    public var record: (any PASIRecord)?
    /// A note for the events' detail ("nothing PASI holds changed").
    public var detail: String?
    /// A record PASI deleted, to remove from the local store.
    public var removed: (type: RecordType, id: String)?
    /// An enrolment PASI took under the client's RefId, matched with it from now on.
    public var newMatch: (enrolmentID: Int, refId: RefId)?

    public init(version: Int64, record: (any PASIRecord)? = nil, detail: String? = nil,
                removed: (type: RecordType, id: String)? = nil, newMatch: (enrolmentID: Int, refId: RefId)? = nil) {
        self.version = version
        self.record = record
        self.detail = detail
        self.removed = removed
        self.newMatch = newMatch
    }
}

/// The outbound side of regular synchronization: the pending data events folded per record, the
/// records waiting to retry, and what became of each change, written in one transaction.
public struct OutboundStore: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    /// Who raises the alerts of this store's outcomes (`sync.core_alerts.raised_by`).
    public static let raiser = "regular_sync"

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The pending changes, folded per record: the records of the oldest pending events (at most
    /// `limit` events), each with all of its pending events, leaving out records waiting to retry.
    ///
    /// A record comes with its later events too, so the further Regular Sync falls behind a burst,
    /// the more edits one submit of a record's latest state carries.
    ///
    /// Events are read by their status, not after a remembered id: an event whose transaction
    /// commits late (with a lower id than one already read) is still Pending and is found.
    public func pendingChanges(limit: Int) async throws -> [RecordChange] {
        let rows = try await client.query("""
            WITH head AS (
                SELECT e.table_name, e.row_key
                FROM sync.data_events AS e
                WHERE e.status = 'Pending'
                  AND NOT EXISTS (SELECT 1 FROM sync.outbound_retries AS r
                                  WHERE r.table_name = e.table_name AND r.row_key = e.row_key AND r.retry_at > now())
                ORDER BY e.id LIMIT \(max(1, limit))
            )
            SELECT e.id, e.table_name, e.row_key, e.operation::text, e.changed_columns
            FROM (SELECT DISTINCT table_name, row_key FROM head) AS h
            JOIN sync.data_events AS e ON e.table_name = h.table_name AND e.row_key = h.row_key AND e.status = 'Pending'
            ORDER BY e.id
            """, logger: logger)
        var events: [(id: Int64, table: String, key: String, operation: Character, columns: [String])] = []
        for try await (id, table, key, operation, columns) in rows.decode((Int64, String, String, String, [String]).self) {
            events.append((id, table, key, operation.first ?? "U", columns))
        }
        return RecordChange.fold(events)
    }

    /// How many events are Pending, and when the soonest waiting record may be retried.
    public func backlog() async throws -> (pending: Int, nextRetry: Date?) {
        let rows = try await client.query("""
            SELECT (SELECT count(*)::int FROM sync.data_events WHERE status = 'Pending'),
                   (SELECT min(retry_at) FROM sync.outbound_retries)
            """, logger: logger)
        for try await (pending, next) in rows.decode((Int, Date?).self) { return (pending, next) }
        return (0, nil)
    }

    /// How many attempts each record has already spent (records not waiting: 0).
    public func attempts(of changes: [RecordChange]) async throws -> [String: Int] {
        guard !changes.isEmpty else { return [:] }
        let rows = try await client.query("""
            SELECT r.table_name || ':' || r.row_key, r.attempts FROM sync.outbound_retries AS r
            JOIN unnest(\(changes.map(\.table))::text[], \(changes.map(\.key))::text[]) AS c (t, k)
              ON r.table_name = c.t AND r.row_key = c.k
            """, logger: logger)
        var out: [String: Int] = [:]
        for try await (subject, attempts) in rows.decode((String, Int).self) { out[subject] = attempts }
        return out
    }

    /// The digests of what was sent for each record and not yet settled, by subject.
    public func inFlight(of changes: [RecordChange]) async throws -> [String: Set<String>] {
        guard !changes.isEmpty else { return [:] }
        let rows = try await client.query("""
            SELECT f.table_name || ':' || f.row_key, f.digest FROM sync.outbound_in_flight AS f
            JOIN unnest(\(changes.map(\.table))::text[], \(changes.map(\.key))::text[]) AS c (t, k)
              ON f.table_name = c.t AND f.row_key = c.k
            """, logger: logger)
        var out: [String: Set<String>] = [:]
        for try await (subject, digest) in rows.decode((String, String).self) { out[subject, default: []].insert(digest) }
        return out
    }

    /// Notes, before sending, what is about to be sent for each record (committed at once, so a
    /// crash during the submits still leaves it).
    public func noteInFlight(_ items: [(change: RecordChange, digest: String)]) async throws {
        guard !items.isEmpty else { return }
        try await client.query("""
            INSERT INTO sync.outbound_in_flight (table_name, row_key, digest)
            SELECT * FROM unnest(\(items.map(\.change.table))::text[], \(items.map(\.change.key))::text[], \(items.map(\.digest))::text[])
            ON CONFLICT DO NOTHING
            """, logger: logger)
    }

    /// The student of each SIS enrolment (deleted enrolments are left out).
    public func enrolmentStudents(ids: [Int]) async throws -> [Int: Int] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await client.query("SELECT id, student_id FROM sis.enrolments WHERE id = ANY(\(ids))", logger: logger)
        var out: [Int: Int] = [:]
        for try await (id, student) in rows.decode((Int, Int).self) { out[id] = student }
        return out
    }

    /// The RefId each enrolment is submitted under: the one it was matched with, else one made
    /// from the authority and the enrolment's id (the same every time, so a resubmit after a lost
    /// answer names the same record), with whether it was matched.
    public func enrolmentRefIds(ids: [Int], organization: String) async throws -> [Int: (refId: RefId, matched: Bool)] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await client.query("""
            SELECT i.id, coalesce(m.ref_id, md5('pasisync-enrolment:' || \(organization) || ':' || i.id)::uuid)::text, m.ref_id IS NOT NULL
            FROM unnest(\(ids)::int[]) AS i (id) LEFT JOIN sync.enrolment_matches AS m ON m.enrolment_id = i.id
            """, logger: logger)
        var out: [Int: (RefId, Bool)] = [:]
        for try await (id, text, matched) in rows.decode((Int, String, Bool).self) { out[id] = (try RefId(text), matched) }
        return out
    }

    /// Records what became of the changes, in one transaction: the events' status, the accepted
    /// records in the local store, the retries, the alerts raised and resolved.
    public func record(_ outcomes: [OutboundOutcome], jobID: Int64?) async throws {
        guard !outcomes.isEmpty else { return }
        try await client.inTransaction(logger: logger) { connection in
            try await record(outcomes, jobID: jobID, on: connection)
        }
    }

    func record(_ outcomes: [OutboundOutcome], jobID: Int64?, on connection: PostgresConnection) async throws {
        // Arrays of optionals do not bind: -1 and "" stand for NULL.
        var statusIDs: [Int64] = [], statuses: [String] = [], versions: [Int64] = [], details: [String] = []
        var records: [any PASIRecord] = []
        var settled: [RecordChange] = []
        var alerts: [(RecordChange, AlertRecord)] = []
        var retries: [(RecordChange, Int, Date, String)] = []
        var matches: [(Int, RefId)] = []
        var removals: [(type: RecordType, id: String)] = []
        var uploaded: [(refId: String, version: Int64)] = []
        func mark(_ change: RecordChange, _ status: String, _ version: Int64?, _ detail: String?) {
            for id in change.eventIDs {
                statusIDs.append(id); statuses.append(status); versions.append(version ?? -1); details.append(detail ?? "")
            }
        }
        for outcome in outcomes {
            switch outcome {
            case .sent(let change, let accepted):
                mark(change, "Sent", accepted.version, accepted.detail)
                if let record = accepted.record {
                    records.append(record)
                    if Self.uploadedTypes.contains(type(of: record).recordType) { uploaded.append((record.recordID, accepted.version)) }
                }
                if let match = accepted.newMatch { matches.append(match) }
                if let removed = accepted.removed { removals.append(removed) }
                settled.append(change)
            case .skipped(let change, let reason):
                mark(change, "Skipped", nil, reason)
                settled.append(change)
            case .rejected(let change, let alert):
                mark(change, "Rejected", nil, alert.message)
                settled.append(change)
                alerts.append((change, alert))
            case .conflict(let change, let alert, let current):
                mark(change, "Conflict", current?.pasiCoreVersion, alert.message)
                if let current { records.append(current) }
                settled.append(change)
                alerts.append((change, alert))
            case .failed(let change, let alert):
                mark(change, "Failed", nil, alert.message)
                settled.append(change)
                alerts.append((change, alert))
            case .retry(let change, let attempts, let at, let error):
                retries.append((change, attempts, at, error))
            }
        }
        let store = PASIStore(client: client, logger: logger)
        if !records.isEmpty { _ = try await store.store(records, on: connection) }
        for (type, group) in Dictionary(grouping: removals, by: \.type) {
            try await store.delete(type, ids: group.map(\.id), on: connection)
        }
        try await connection.query("""
            UPDATE sync.data_events AS e SET status = u.status, handled_at = now(), pasi_version = nullif(u.version, -1), detail = nullif(u.detail, '')
            FROM unnest(\(statusIDs)::bigint[], \(statuses)::text[], \(versions)::bigint[], \(details)::text[]) AS u (id, status, version, detail)
            WHERE e.id = u.id AND e.status = 'Pending'
            """, logger: logger)
        try await settle(settled, on: connection)
        try await InitialUploadStore(client: client, logger: logger)
            .noteAccepted(refIds: uploaded.map(\.refId), versions: uploaded.map(\.version), on: connection)
        try await wait(retries, on: connection)
        try await match(matches, on: connection)
        try await raise(alerts, jobID: jobID, on: connection)
    }

    /// The types whose RefIds the Initial Upload chooses (`sync.initial_upload_records`).
    static let uploadedTypes: Set<RecordType> = [.section, .courseEnrolment, .evaluatedMark]

    /// Settled records wait no more, and their earlier alerts are resolved (the ones raised again
    /// now are raised after this, so they stay open).
    private func settle(_ changes: [RecordChange], on connection: PostgresConnection) async throws {
        guard !changes.isEmpty else { return }
        try await connection.query("""
            DELETE FROM sync.outbound_retries AS r
            USING unnest(\(changes.map(\.table))::text[], \(changes.map(\.key))::text[]) AS c (t, k)
            WHERE r.table_name = c.t AND r.row_key = c.k
            """, logger: logger)
        try await connection.query("""
            DELETE FROM sync.outbound_in_flight AS f
            USING unnest(\(changes.map(\.table))::text[], \(changes.map(\.key))::text[]) AS c (t, k)
            WHERE f.table_name = c.t AND f.row_key = c.k
            """, logger: logger)
        try await connection.query("""
            UPDATE sync.core_alerts SET resolved_at = now(), updated_at = now()
            WHERE resolved_at IS NULL AND raised_by = \(Self.raiser) AND subject = ANY(\(changes.map(\.subject))::text[])
            """, logger: logger)
    }

    private func wait(_ retries: [(RecordChange, Int, Date, String)], on connection: PostgresConnection) async throws {
        guard !retries.isEmpty else { return }
        try await connection.query("""
            INSERT INTO sync.outbound_retries AS r (table_name, row_key, attempts, retry_at, last_error)
            SELECT * FROM unnest(\(retries.map(\.0.table))::text[], \(retries.map(\.0.key))::text[], \(retries.map(\.1))::int[],
                                 \(retries.map(\.2))::timestamptz[], \(retries.map(\.3))::text[])
            ON CONFLICT (table_name, row_key) DO UPDATE
            SET attempts = EXCLUDED.attempts, retry_at = EXCLUDED.retry_at, last_error = EXCLUDED.last_error
            """, logger: logger)
    }

    /// An enrolment PASI took under the client's RefId is matched with it from now on.
    private func match(_ matches: [(Int, RefId)], on connection: PostgresConnection) async throws {
        guard !matches.isEmpty else { return }
        try await connection.query("""
            INSERT INTO sync.enrolment_matches (enrolment_id, ref_id, quality, matched_by)
            SELECT id, ref::uuid, 'High', \(Self.raiser) FROM unnest(\(matches.map(\.0))::int[], \(matches.map(\.1.value))::text[]) AS m (id, ref)
            ON CONFLICT DO NOTHING
            """, logger: logger)
    }

    private func raise(_ alerts: [(RecordChange, AlertRecord)], jobID: Int64?, on connection: PostgresConnection) async throws {
        for (change, alert) in alerts {
            try await connection.query("""
                INSERT INTO sync.core_alerts (subject, raised_by, job_id, alert_type, status_type, conflict_type, alert_code, message,
                    ref_id, asn, student_id, enrolment_id, school_code, school_year, arguments)
                VALUES (\(change.subject), \(Self.raiser), \(jobID), \(alert.type.rawValue), \(alert.statusType.rawValue),
                    \(alert.conflictType?.rawValue), \(alert.alertCode), \(alert.message), \(alert.refId), \(alert.asn?.digits),
                    \(alert.studentID), \(alert.enrolmentID), \(alert.schoolCode?.description), \(alert.schoolYear?.endYear),
                    \(String(decoding: try JSONEncoder().encode(alert.arguments.values), as: UTF8.self))::jsonb)
                ON CONFLICT (subject, alert_code) WHERE resolved_at IS NULL AND subject IS NOT NULL
                DO UPDATE SET message = EXCLUDED.message, arguments = EXCLUDED.arguments, job_id = EXCLUDED.job_id, updated_at = now()
                """, logger: logger)
        }
    }
}
