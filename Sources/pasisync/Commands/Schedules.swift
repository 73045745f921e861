import ArgumentParser
import Foundation
import JobQueue

/// `pasisync schedules`: the periodic schedules, with their next run in the authority's time.
struct Schedules: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the schedules and when each runs next, in the cluster's time zone.",
        discussion: """
            psql shows the same in queue.schedule_list; INSERT, UPDATE or DELETE queue.schedules to \
            change them (the seed's own schedules follow their settings instead). A calendar rule is one of: \
            daily at HH:MM; hourly at :MM from HH to HH; weekly on WEEKDAY at HH:MM; monthly on DAY at HH:MM. \
            The time zone is queue.cluster.time_zone (default America/Edmonton).
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Also list the next N runs of each enabled schedule.")
    var next: Int = 0

    func run() async throws {
        let next = next
        try await database.withClient(label: "pasisync.schedules") { client, logger in
            let store = QueueStore(client: client, logger: logger)
            let schedules = try await store.schedules()
            var rows = [["NAME", "KIND", "RULE", "NEXT RUN (\(schedules.first?.timeZone ?? "local"))", "STATUS", "FOLLOWS"]]
            for schedule in schedules {
                rows.append([schedule.name, schedule.kind, schedule.rule, schedule.nextRunLocal ?? "—",
                             schedule.status, schedule.follows ?? ""])
            }
            print(QueueTable.table(rows), terminator: "")
            guard next > 0 else { return }
            for schedule in schedules where schedule.enabled {
                let runs = try await store.upcomingRuns(of: schedule.name, count: next)
                print("\n\(schedule.name): " + runs.joined(separator: ", "))
            }
        }
    }
}
