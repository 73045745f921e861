import Foundation
import Hummingbird
import JobQueue
import SyncStore

/// The Schedules and Workers pages: what `pasisync schedules` prints (each schedule, its rule, its
/// next runs in the authority's time zone, the settings it follows) and the workers alive now with
/// their host, pid, jobs running and last heartbeat (`queue.live_workers`). Both only read: the seed's
/// schedules follow their settings (changed on Synchronization Settings), and workers are started
/// and stopped on their hosts (`pasisync cluster`).
extension ConsoleServer {
    /// Next runs listed per enabled schedule (`pasisync schedules --next 3`).
    static let upcomingRunsShown = 3

    var clusterStore: ClusterPageStore { ClusterPageStore(client: client, logger: logger) }

    func schedulesPage(_ session: ConsoleSession) async throws -> Response {
        let schedules = try await queue.schedules()
        var rows: [[String: Any]] = []
        for schedule in schedules {
            let upcoming = schedule.enabled ? try await queue.upcomingRuns(of: schedule.name, count: Self.upcomingRunsShown) : []
            rows.append([
                "name": schedule.name, "title": schedule.title, "kind": schedule.kind, "rule": schedule.rule,
                "status": schedule.status, "enabled": schedule.enabled, "next": schedule.nextRunLocal ?? "—",
                "upcoming": upcoming.joined(separator: ", "), "follows": schedule.follows ?? "",
                "lastJob": schedule.lastJobID.map { "\($0)" } ?? "", "hasLastJob": schedule.lastJobID != nil,
            ])
        }
        let context: [String: Any] = [
            "schedules": rows, "timeZone": schedules.first?.timeZone ?? "the cluster's time zone", "upcomingCount": Self.upcomingRunsShown,
        ]
        return Page.html(Templates.render("schedules", context, layout: Self.frame(
            session, title: "Schedules", current: .schedules, live: "/schedules")))
    }

    func workersPage(_ session: ConsoleSession) async throws -> Response {
        let workers = try await clusterStore.liveWorkers()
        let orphaned = try await clusterStore.runningWithoutLiveWorker()
        let context: [String: Any] = [
            "workers": workers.map { worker in
                [
                    "id": worker.id, "host": worker.host, "pid": "\(worker.pid)", "slots": "\(worker.slots)", "running": "\(worker.running)",
                    "stopping": worker.stopping, "up": worker.up, "heartbeat": worker.lastHeartbeatLocal,
                    "heartbeatAgo": String(format: "%.1f s ago", worker.lastHeartbeatSeconds),
                ] as [String: Any]
            },
            "count": "\(workers.count)", "workersWord": workers.count == 1 ? "worker" : "workers",
            "hosts": Self.counted(Set(workers.map(\.host)).count, "host"),
            "slots": Self.counted(workers.reduce(0) { $0 + $1.slots }, "slot"),
            "running": Self.counted(workers.reduce(0) { $0 + $1.running }, "job"),
            "orphaned": "\(orphaned)", "hasOrphaned": orphaned > 0,
        ]
        return Page.html(Templates.render("workers", context, layout: Self.frame(
            session, title: "Workers", current: .workers, live: "/workers")))
    }

    /// "1 host", "2 hosts".
    static func counted(_ count: Int, _ noun: String) -> String { count == 1 ? "1 \(noun)" : "\(count) \(noun)s" }
}
