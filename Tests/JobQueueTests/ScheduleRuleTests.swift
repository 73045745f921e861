import Foundation
import JobQueue
import PostgresNIO
import PasisyncTesting
import Testing

/// The schedules as psql sees them: rules, their next runs in the cluster's time zone, refusals.
@Suite("Schedule rules")
struct ScheduleRuleTests {
    /// The next `count` runs of `rule` after `after` (UTC text), as UTC `YYYY-MM-DD HH:MI` and local `HH:MI`.
    private func runs(_ database: TestDatabase, calendar rule: String, after: String, count: Int) async throws -> [String] {
        try await database.execute("INSERT INTO queue.schedules (name, kind, calendar) VALUES ('probe', 'noop', \(rule))")
        let text = try await database.scalar("""
            SELECT string_agg(to_char(slot AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || 'Z=' || to_char(local_time, 'HH24:MI'), ',' ORDER BY slot)
            FROM queue.upcoming_runs('probe', \(count)::int, \(after)::timestamptz)
            """, as: String.self)
        try await database.execute("DELETE FROM queue.schedules WHERE name = 'probe'")
        return text.split(separator: ",").map(String.init)
    }

    @Test("daily at 01:00 across both daylight-saving changes of 2026 in America/Edmonton")
    func dailyAcrossDaylightSaving() async throws {
        try await TestDatabase.with { database in
            // Clocks spring forward on 2026-03-08 at 02:00 and fall back on 2026-11-01 at 02:00.
            let r1 = try await runs(database, calendar: "daily at 01:00", after: "2026-03-07 00:00Z", count: 3)
            #expect(r1 == [
                "2026-03-07 08:00Z=01:00", "2026-03-08 08:00Z=01:00", "2026-03-09 07:00Z=01:00"])
            let r2 = try await runs(database, calendar: "daily at 01:00", after: "2026-10-31 00:00Z", count: 3)
            #expect(r2 == [
                "2026-10-31 07:00Z=01:00", "2026-11-01 08:00Z=01:00", "2026-11-02 08:00Z=01:00"])
        }
    }

    @Test("a time the spring-forward day skips runs an hour later, once; a time the fall-back day repeats runs once")
    func skippedAndRepeatedTimes() async throws {
        try await TestDatabase.with { database in
            let r3 = try await runs(database, calendar: "daily at 02:30", after: "2026-03-07 12:00Z", count: 2)
            #expect(r3 == [
                "2026-03-08 09:30Z=03:30", "2026-03-09 08:30Z=02:30"])
            let fallBack = try await runs(database, calendar: "hourly at :30 from 00 to 03", after: "2026-11-01 06:00Z", count: 5)
            #expect(fallBack == ["2026-11-01 06:30Z=00:30", "2026-11-01 08:30Z=01:30", "2026-11-01 09:30Z=02:30",
                                 "2026-11-01 10:30Z=03:30", "2026-11-02 07:30Z=00:30"])
        }
    }

    @Test("hourly at :30 from 04 to 21 (the Hourly hash schedule): 18 runs a day, 04:30 to 21:30 local")
    func hourlyWindow() async throws {
        try await TestDatabase.with { database in
            let day = try await runs(database, calendar: "hourly at :30 from 04 to 21", after: "2026-12-01 07:00Z", count: 19)
            #expect(day.first == "2026-12-01 11:30Z=04:30")
            #expect(day[17] == "2026-12-02 04:30Z=21:30")
            #expect(day[18] == "2026-12-02 11:30Z=04:30")
        }
    }

    @Test("weekly on a weekday, monthly on a day (the last day of a shorter month)")
    func weeklyAndMonthly() async throws {
        try await TestDatabase.with { database in
            // 2026-12-01 is a Tuesday.
            let r4 = try await runs(database, calendar: "weekly on sunday at 03:00", after: "2026-12-01 12:00Z", count: 2)
            #expect(r4 == [
                "2026-12-06 10:00Z=03:00", "2026-12-13 10:00Z=03:00"])
            let r5 = try await runs(database, calendar: "Weekly on Fri at 03:00", after: "2026-12-01 12:00Z", count: 1)
            #expect(r5 == [
                "2026-12-04 10:00Z=03:00"])
            let r6 = try await runs(database, calendar: "monthly on 31 at 00:00", after: "2027-01-01 00:00Z", count: 3)
            #expect(r6 == [
                "2027-01-31 07:00Z=00:00", "2027-02-28 07:00Z=00:00", "2027-03-31 06:00Z=00:00"])
        }
    }

    @Test("every N on a grid from the epoch; next_run_at is always filled in while enabled")
    func everyGrid() async throws {
        try await TestDatabase.with { database in
            try await database.execute("INSERT INTO queue.schedules (name, kind, every) VALUES ('tick', 'noop', '15 minutes')")
            let next = try await database.scalar("SELECT next_run_at FROM queue.schedules WHERE name = 'tick'", as: Date.self)
            #expect(next.timeIntervalSince1970.truncatingRemainder(dividingBy: 900) == 0)
            #expect(next > Date() && next <= Date().addingTimeInterval(900))
            try await database.execute("UPDATE queue.schedules SET enabled = false WHERE name = 'tick'")
            #expect(try await database.scalar("SELECT next_run_at IS NULL FROM queue.schedules WHERE name = 'tick'", as: Bool.self))
            try await database.execute("UPDATE queue.schedules SET enabled = true WHERE name = 'tick'")
            #expect(try await database.scalar("SELECT next_run_at > now() FROM queue.schedules WHERE name = 'tick'", as: Bool.self))
        }
    }

    @Test("a bad rule, interval or time zone is refused with a message that names it")
    func refusals() async throws {
        try await TestDatabase.with { database in
            let badRule = await database.refusal(
                "INSERT INTO queue.schedules (name, kind, calendar) VALUES ('nightly', 'noop', 'daily at 25:00')")
            #expect(badRule == #"schedule "nightly": calendar rule "daily at 25:00" is not valid"#)
            let badDay = await database.refusal(
                "INSERT INTO queue.schedules (name, kind, calendar) VALUES ('weekly', 'noop', 'weekly on someday at 03:00')")
            #expect(badDay?.contains(#"calendar rule "weekly on someday at 03:00""#) == true)
            let badEvery = await database.refusal(
                "INSERT INTO queue.schedules (name, kind, every) VALUES ('fast', 'noop', '100 milliseconds')")
            #expect(badEvery?.hasPrefix(#"schedule "fast": every must be at least 1 second"#) == true)
            let both = await database.refusal(
                "INSERT INTO queue.schedules (name, kind, every, calendar) VALUES ('both', 'noop', '1 hour', 'daily at 01:00')")
            #expect(both?.contains("every_or_calendar") == true)
            let zone = await database.refusal("UPDATE queue.cluster SET time_zone = 'Mars/Olympus'")
            #expect(zone == #"time zone "Mars/Olympus" is not known to PostgreSQL"#)
            let written = try await database.scalar("SELECT count(*)::int FROM queue.schedules WHERE follows IS NULL", as: Int.self)
            #expect(written == 0, "a refused schedule was written")
        }
    }

    @Test("a new time zone moves every calendar rule")
    func timeZoneChange() async throws {
        try await TestDatabase.with { database in
            try await database.execute("INSERT INTO queue.schedules (name, kind, calendar) VALUES ('probe', 'noop', 'daily at 12:00')")
            let local = "SELECT to_char(next_run_at AT TIME ZONE 'UTC', 'HH24:MI') FROM queue.schedules WHERE name = 'probe'"
            #expect(try await database.scalar(PostgresQuery(unsafeSQL: local), as: String.self) == "19:00")
            try await database.execute("UPDATE queue.cluster SET time_zone = 'America/Toronto'")
            #expect(try await database.scalar(PostgresQuery(unsafeSQL: local), as: String.self) == "17:00")
        }
    }

    @Test("a schedule of a kind no worker has registered stays visible but does not fire")
    func unregisteredKind() async throws {
        try await TestDatabase.with { database in
            try await database.execute("INSERT INTO queue.schedules (name, kind, every) VALUES ('future', 'not_built_yet', '1 second')")
            try await database.execute("UPDATE queue.schedules SET next_run_at = now() - interval '1 minute' WHERE name = 'future'")
            let fired = try await database.store.fireDueSchedules(lease: .seconds(30))
            #expect(fired.isEmpty)
            #expect(try await database.scalar("SELECT status FROM queue.schedule_list WHERE name = 'future'", as: String.self)
                    == "kind not registered: does not fire")
            #expect(try await database.scalar("SELECT count(*)::int FROM queue.jobs", as: Int.self) == 0)
        }
    }

    @Test("firing: one job per slot carrying its schedule and slot; a second firer finds nothing due")
    func firingOnce() async throws {
        try await TestDatabase.with { database in
            try await database.execute(#"INSERT INTO queue.schedules (name, kind, args, every) VALUES ('tick', 'noop', '{"sleep_ms": 1}', '1 hour')"#)
            try await database.execute("UPDATE queue.schedules SET next_run_at = date_trunc('hour', now()) WHERE name = 'tick'")
            let slot = try await database.scalar("SELECT next_run_at FROM queue.schedules WHERE name = 'tick'", as: Date.self)
            async let first = database.store.fireDueSchedules(lease: .seconds(30))
            async let second = database.store.fireDueSchedules(lease: .seconds(30))
            let fired = try await first + second
            #expect(fired.count == 1)
            #expect(fired.first?.scheduledFor == slot)
            #expect(try await database.scalar("SELECT count(*)::int FROM queue.jobs WHERE schedule = 'tick' AND scheduled_for = \(slot)", as: Int.self) == 1)
            #expect(try await database.scalar("SELECT args->>'sleep_ms' FROM queue.jobs", as: String.self) == "1")
            #expect(try await database.scalar("SELECT next_run_at = \(slot) + interval '1 hour' FROM queue.schedules WHERE name = 'tick'", as: Bool.self))
            #expect(try await database.store.fireDueSchedules(lease: .seconds(30)).isEmpty)
        }
    }

    @Test("after the whole cluster was down, the missed slots fire once, not once per slot")
    func missedSlotsCollapse() async throws {
        try await TestDatabase.with { database in
            try await database.execute("INSERT INTO queue.schedules (name, kind, every) VALUES ('tick', 'noop', '1 minute')")
            // Down for an hour: no worker was alive at any of the 60 slots.
            try await database.execute("UPDATE queue.schedules SET next_run_at = date_trunc('minute', now()) - interval '1 hour' WHERE name = 'tick'")
            let fired = try await database.store.fireDueSchedules(lease: .seconds(30))
            #expect(fired.count == 1)
            #expect(try await database.store.fireDueSchedules(lease: .seconds(30)).isEmpty)
            #expect(try await database.scalar("SELECT next_run_at > now() FROM queue.schedules WHERE name = 'tick'", as: Bool.self))
        }
    }

    @Test("a slot missed while a worker was alive is fired at once, one by one, none skipped")
    func missedWhileAliveCatchUp() async throws {
        try await TestDatabase.with { database in
            try await database.execute("INSERT INTO queue.schedules (name, kind, every) VALUES ('tick', 'noop', '1 minute')")
            try await database.execute("UPDATE queue.schedules SET next_run_at = date_trunc('minute', now()) - interval '3 minutes' WHERE name = 'tick'")
            // A worker alive since before the missed slots, beating now, and the kind registered before them.
            try await database.execute("""
                INSERT INTO queue.workers (id, host, pid, slots, kinds, started_at, heartbeat_at)
                VALUES ('alive', 'test', 1, 1, '{noop}', now() - interval '10 minutes', now())
                """)
            try await database.execute("UPDATE queue.job_kinds SET registered_at = now() - interval '1 hour' WHERE name = 'noop'")
            var slots: [Date] = []
            for _ in 0..<6 {
                slots += try await database.store.fireDueSchedules(lease: .seconds(30)).map(\.scheduledFor)
            }
            #expect(slots.count == 4, "\(slots)")
            #expect(zip(slots, slots.dropFirst()).allSatisfy { $1.timeIntervalSince($0) == 60 })
        }
    }

    @Test("slots that passed before the kind was registered fire once, even while workers were alive")
    func kindRegisteredLate() async throws {
        try await TestDatabase.with { database in
            try await database.execute("INSERT INTO queue.schedules (name, kind, every) VALUES ('tick', 'noop', '1 minute')")
            try await database.execute("UPDATE queue.schedules SET next_run_at = date_trunc('minute', now()) - interval '5 minutes' WHERE name = 'tick'")
            try await database.execute("""
                INSERT INTO queue.workers (id, host, pid, slots, kinds, started_at, heartbeat_at)
                VALUES ('alive', 'test', 1, 1, '{noop}', now() - interval '1 hour', now())
                """)
            // A new version registered the kind just now, long after its slots began.
            try await database.execute("UPDATE queue.job_kinds SET registered_at = now() WHERE name = 'noop'")
            var fired = 0
            for _ in 0..<4 { fired += try await database.store.fireDueSchedules(lease: .seconds(30)).count }
            #expect(fired == 1)
        }
    }
}
