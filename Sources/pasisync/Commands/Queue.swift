import ArgumentParser
import Foundation
import JobQueue

/// `pasisync queue`: the queue as a table.
struct Queue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the queue: unfinished jobs first, then the newest finished ones.",
        discussion: "In psql the same is in the views queue.job_list, queue.kind_counts and queue.live_workers.")

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Redraw every second, with progress bars for running jobs (Ctrl-C to stop).")
    var watch = false

    @Flag(help: "Include finished jobs.")
    var all = false

    @Option(help: "Rows to show.")
    var limit: Int = 30

    func run() async throws {
        let (watch, all, limit) = (self.watch, self.all, self.limit)
        try await database.withClient(label: "pasisync.queue") { client, logger in
            let store = QueueStore(client: client, logger: logger)
            repeat {
                let jobs = try await store.list(limit: limit, includeFinished: all || !watch)
                let counts = try await store.countsByState()
                let screen = QueueTable.render(jobs: jobs, counts: counts, bars: watch)
                print(watch ? "\u{1B}[H\u{1B}[2J" + screen : screen, terminator: "")
                if watch { try await Task.sleep(for: .seconds(1)) }
            } while watch
        }
    }
}

/// Text rendering of the queue, kept apart from I/O so it can be tested.
enum QueueTable {
    static func render(jobs: [JobSummary], counts: [(kind: String, counts: [JobState: Int])], bars: Bool) -> String {
        var rows = [["ID", "KIND", "STATUS", "ATTEMPTS", "PROGRESS", "AGE", "RUNTIME", "WORKER", "LAST ERROR"]]
        for job in jobs {
            rows.append([
                "\(job.id)", job.title == job.kind ? job.kind : "\(job.title) (\(job.kind))", job.state.rawValue,
                job.attempts, progress(job, bar: bars && job.state == .running), job.age, job.runtime ?? "",
                job.worker ?? "", String((job.lastError ?? "").prefix(60)),
            ])
        }
        var text = table(rows)
        text += "\n"
        let states = JobState.allCases
        var summary = [["KIND"] + states.map { $0.rawValue.uppercased() }]
        for (kind, byState) in counts {
            summary.append([kind] + states.map { "\(byState[$0] ?? 0)" })
        }
        text += table(summary)
        return text
    }

    static func progress(_ job: JobSummary, bar: Bool) -> String {
        guard let done = job.progressDone else { return "" }
        guard let total = job.progressTotal, total > 0 else { return "\(done)" }
        let fraction = min(1, Double(done) / Double(total))
        let percent = "\(Int((fraction * 100).rounded()))%"
        let message = job.progressMessage.map { " \($0)" } ?? ""
        guard bar else { return "\(done)/\(total) \(percent)\(message)" }
        let width = 20
        let filled = Int((fraction * Double(width)).rounded())
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] \(percent)\(message)"
    }

    static func table(_ rows: [[String]]) -> String {
        guard let header = rows.first else { return "" }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.indices.map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n") + "\n"
    }
}
