import ArgumentParser
import Foundation
import JobQueue
import SyncJobs
import SyncStore

/// `pasisync run NAME`: the seed's "Run Now".
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a process of the seed now (its \"Run Now\"): enqueue its job, and with --wait follow it.",
        discussion: """
            The job is exactly the one `INSERT INTO queue.jobs (kind, args) …` of its kind makes; \
            the cluster's workers run it. A process the seed disables is refused with the seed's reason.
            Processes:
            """ + "\n" + RunNow.all.map { process in
                "  \(process.name)\(process.usage.isEmpty ? "" : " " + process.usage)  — \(process.process)"
            }.joined(separator: "\n"))

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "The process, e.g. code-values.")
    var name: String

    @Option(help: "The school (initial-sync school by school, initial-upload).")
    var school: String?

    @Option(help: "What to upload (initial-upload): sections, course-enrolments or evaluated-marks.")
    var type: String?

    @Flag(help: "Follow the job with a progress bar; exit non-zero with its error if it fails.")
    var wait = false

    @Option(help: "With --wait: give up after this many seconds (the job goes on).")
    var timeout: Double = 86_400

    func validate() throws {
        guard RunNow.named(name) != nil else {
            throw ValidationError("no process is named \"\(name)\"; the names are: \(RunNow.all.map(\.name).joined(separator: ", "))")
        }
    }

    func run() async throws {
        let (name, options, wait, timeout) = (name, RunNowOptions(school: school, type: type), wait, timeout)
        try await database.withClient(label: "pasisync.run") { client, logger in
            let queue = QueueStore(client: client, logger: logger)
            let result: EnqueueResult
            do {
                result = try await RunNow.enqueue(name, options, settings: SettingsStore(client: client, logger: logger), queue: queue)
            } catch let refused as RunNowRefused {
                throw CommandFailure(refused.description)
            }
            if case .duplicate(let id) = result { print("job \(id) of \(name) is already queued") } else { print(result.id) }
            if wait { try await follow(result.id, queue: queue, timeout: .seconds(timeout)) }
        }
    }

    /// Draws the job's progress until it finishes; throws its error if it failed or was cancelled.
    private func follow(_ id: Int64, queue: QueueStore, timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        let terminal = isatty(STDERR_FILENO) == 1
        var lastLine = ""
        while ContinuousClock.now < deadline {
            guard let job = try await queue.summary(of: id) else { throw CommandFailure("job \(id) is gone from the queue") }
            let line = "job \(id) \(job.title): \(job.state.rawValue) \(QueueTable.progress(job, bar: true))"
            if line != lastLine {
                FileHandle.standardError.write(Data(((terminal ? "\r\u{1B}[K" : "") + line + (terminal ? "" : "\n")).utf8))
                lastLine = line
            }
            switch job.state {
            case .completed:
                if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
                return
            case .failed, .cancelled:
                if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
                throw CommandFailure("job \(id) \(job.state.rawValue): \(job.lastError ?? "no error recorded")")
            default:
                try await Task.sleep(for: .milliseconds(250))
            }
        }
        throw CommandFailure("job \(id) did not finish within \(timeout); it goes on in the queue (pasisync queue)")
    }
}
