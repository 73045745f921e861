import ArgumentParser
import Logging
import PostgresNIO

/// `pasisync`: keeps a school authority's SIS in step with Alberta's PASI Core.
@main
struct Pasisync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pasisync",
        abstract: "Keep a school authority's SIS in step with Alberta's PASI Core.",
        discussion: """
            Work runs as jobs in a PostgreSQL queue, drained by `pasisync cluster` (or single \
            `pasisync worker` processes). Start work with `pasisync enqueue` or a plain SQL INSERT \
            into queue.jobs; watch it with `pasisync queue` or the views of the queue schema in psql.
            The database is named by --database-url or PASISYNC_DATABASE_URL.
            """,
        subcommands: [
            Migrate.self, Roles.self, Worker.self, Cluster.self, Enqueue.self, Queue.self, Cancel.self, Retry.self, Run.self, Schedules.self,
            Settings.self, Alerts.self, Files.self, Schools.self, Validate.self, Seed.self, Simulator.self, Certs.self, BenchPASI.self, Reconcile.self,
            ConsoleCommand.self, Users.self,
        ]
    )

    /// Logs go to stderr, so that stdout carries only what a command answers (ids, tables), at
    /// `--log-level` or else at the Runtime Log setting's level (``RuntimeLog``).
    static func main() async {
        LoggingSystem.bootstrap { RuntimeLogHandler(label: $0) }
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch let error as PSQLError {
            // PostgreSQL's own words (the check or trigger that refused), not PostgresNIO's generic text.
            exit(withError: CommandFailure(describe(error)))
        } catch {
            exit(withError: error)
        }
    }
}
