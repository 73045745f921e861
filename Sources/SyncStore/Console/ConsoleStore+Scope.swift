import Foundation
public import PostgresNIO

/// What a console user limited to some schools may see of the queue and of the audit log.
extension ConsoleStore {
    /// Whether job `id` exists, and the school it names (`args.school`), if any.
    /// - Returns: `nil` for no such job; `.some(nil)` for a job that names no school.
    public func jobSchool(id: Int64) async throws -> String?? {
        let rows = try await client.query("SELECT args ->> 'school' FROM queue.jobs WHERE id = \(id)", logger: logger)
        for try await school in rows.decode(String?.self) { return .some(school) }
        return nil
    }

    /// The newest `limit` entries of the audit log written by `user` (`console.audit_trail`).
    public func auditTrail(limit: Int, user: String) async throws -> [AuditEntry] {
        let rows = try await client.query("""
            SELECT id, at_local, user_name, action, target, outcome, detail FROM console.audit_trail
            WHERE user_name = \(user) ORDER BY id DESC LIMIT \(limit)
            """, logger: logger)
        var entries: [AuditEntry] = []
        for try await row in rows.decode((Int64, String, String, String, String?, String, String?).self) {
            entries.append(AuditEntry(id: row.0, atLocal: row.1, userName: row.2, action: row.3, target: row.4,
                                      outcome: row.5, detail: row.6))
        }
        return entries
    }
}
