import ArgumentParser
import JobQueue

/// `pasisync cancel ID`.
struct Cancel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Cancel a job: at once if it is not running, or by stopping it in whichever worker runs it.")

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "The job's id.")
    var id: Int64

    func run() async throws {
        let id = self.id
        try await database.withClient(label: "pasisync.cancel") { client, logger in
            switch try await QueueStore(client: client, logger: logger).cancel(id: id) {
            case nil: throw CommandFailure("no job \(id)")
            case .running?: print("job \(id) is running: its worker has been asked to stop it")
            case .cancelled?: print("job \(id) cancelled")
            case let state?: throw CommandFailure("job \(id) is already \(state.rawValue); nothing to cancel")
            }
        }
    }
}

/// `pasisync retry ID`.
struct Retry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a failed or cancelled job again, with a fresh set of attempts (its error history is kept).")

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "The job's id.")
    var id: Int64

    func run() async throws {
        let id = self.id
        try await database.withClient(label: "pasisync.retry") { client, logger in
            let store = QueueStore(client: client, logger: logger)
            guard let before = try await store.state(of: id) else { throw CommandFailure("no job \(id)") }
            guard before == .failed || before == .cancelled else {
                throw CommandFailure("job \(id) is \(before.rawValue); only failed or cancelled jobs can be retried")
            }
            _ = try await store.retry(id: id)
            print("job \(id) queued again")
        }
    }
}
