public import Foundation
import PostgresNIO

extension QueueStore {
    // MARK: Schedules

    /// Fires every due schedule of a registered kind, once per slot, in one transaction per pass
    /// (`queue.fire_due_schedules`; docs/schedules.md says why no slot fires twice or is skipped).
    /// - Parameter lease: how long a worker may go between heartbeats and still count as alive.
    public func fireDueSchedules(lease: Duration) async throws -> [FiredSlot] {
        try await timed {
            let rows = try await client.query("""
                SELECT schedule, scheduled_for, job_id
                FROM queue.fire_due_schedules(make_interval(secs => \(lease.seconds)))
                """, logger: logger)
            var fired: [FiredSlot] = []
            for try await (name, slot, job) in rows.decode((String, Date, Int64?).self) {
                fired.append(FiredSlot(schedule: name, scheduledFor: slot, jobID: job))
            }
            return fired
        }
    }

    /// When the next enabled schedule of a registered kind falls due, if any.
    public func nextScheduleDue() async throws -> Date? {
        try await timed {
            let rows = try await client.query("""
                SELECT min(next_run_at) FROM queue.schedules s
                WHERE enabled AND EXISTS (SELECT 1 FROM queue.job_kinds k WHERE k.name = s.kind)
                """, logger: logger)
            for try await next in rows.decode(Date?.self) { return next }
            return nil
        }
    }

    /// Every schedule, as `queue.schedule_list` shows it, by next run.
    public func schedules() async throws -> [ScheduleSummary] {
        let rows = try await client.query("""
            SELECT name, kind, title, rule, enabled, status, next_run_local, time_zone, last_job_id, follows
            FROM queue.schedule_list ORDER BY next_run_at NULLS LAST, name
            """, logger: logger)
        var list: [ScheduleSummary] = []
        for try await row in rows.decode((String, String, String, String, Bool, String, String?, String, Int64?, String?).self) {
            list.append(ScheduleSummary(
                name: row.0, kind: row.1, title: row.2, rule: row.3, enabled: row.4, status: row.5,
                nextRunLocal: row.6, timeZone: row.7, lastJobID: row.8, follows: row.9))
        }
        return list
    }

    /// The next `count` runs of a schedule, in the cluster's local time (`queue.upcoming_runs`).
    public func upcomingRuns(of name: String, count: Int, after: Date = Date()) async throws -> [String] {
        let rows = try await client.query("""
            SELECT to_char(local_time, 'YYYY-MM-DD HH24:MI') FROM queue.upcoming_runs(\(name), \(count)::int, \(after))
            """, logger: logger)
        var runs: [String] = []
        for try await run in rows.decode(String.self) { runs.append(run) }
        return runs
    }
}
