import ArgumentParser
import JobQueue
import Migrations

/// `pasisync migrate`: brings the database's schemas up to this binary's migrations.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply pending migrations (one transaction, under an advisory lock) and register the job kinds.",
        discussion: """
            The migrations are built into the binary. A recorded migration whose text changed or \
            that this binary no longer has is reported as drift, and nothing is applied. The \
            function and view files (migrations/functions, views, upkeep) are applied again, all \
            of them, whenever one of them changed or a numbered migration ran.
            """)

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Only report applied and pending migrations and any drift.")
    var status = false

    func run() async throws {
        let status = self.status
        try await database.withClient(label: "pasisync.migrate") { client, logger in
            let migrator = Migrator(client: client, logger: logger)
            if status {
                let report = try await migrator.status()
                for name in report.applied { print("applied  \(name)") }
                for name in report.pending { print("pending  \(name)") }
                for name in report.repeatablePending { print("changed  \(name)") }
                if let drift = report.drift { throw CommandFailure(drift.description) }
                return
            }
            do {
                let outcome = try await migrator.migrate()
                print(outcome.summary)
            } catch let error as MigrationDrift {
                throw CommandFailure(error.description)
            } catch let error as MigrationFailed {
                throw CommandFailure(error.description)
            }
            try await QueueStore(client: client, logger: logger).register(kinds: JobKinds.registrations)
        }
    }
}
