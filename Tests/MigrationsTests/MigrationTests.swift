import Foundation
import Migrations
import PostgresNIO
import Testing
import PasisyncTesting

@Suite("Migrations", .serialized)
struct MigrationTests {
    @Test("two processes migrating an empty database at once both succeed, and each migration is applied once")
    func concurrentMigrateIsSafe() async throws {
        try await TestDatabase.with(migrated: false) { database in
            let first = try PasisyncProcess(["migrate"], database: database)
            let second = try PasisyncProcess(["migrate"], database: database)
            let statuses = [await first.waitForExit(), await second.waitForExit()]
            #expect(statuses == [0, 0], "logs:\n\(first.log)\n\(second.log)")
            let applied = try await database.scalar("SELECT count(*)::int FROM public.pasisync_migrations", as: Int.self)
            #expect(applied == Migration.embedded.count)
            let noops = try await database.scalar("SELECT count(*)::int FROM queue.job_kinds WHERE name = 'noop'", as: Int.self)
            #expect(noops == 1)
        }
    }

    @Test("a migration that fails is named with PostgreSQL's own message, and nothing of it is applied")
    func failingMigrationIsNamed() async throws {
        try await TestDatabase.with(migrated: false) { database in
            let broken = Migration.embedded.prefix(1) + [Migration(
                version: 999, name: "0999_broken.sql",
                sql: "CREATE TABLE public.half_done (id int);\nCREATE FUNCTION public.f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN IF (x := 1) THEN RETURN 1; END IF; END $$;")]
            let migrator = Migrator(client: database.client, logger: TestEnvironment.logger, migrations: Array(broken))
            do {
                try await migrator.migrate()
                Issue.record("the broken migration was applied")
            } catch let error as MigrationFailed {
                #expect(error.name == "0999_broken.sql")
                #expect(error.description.contains("syntax error at or near"), "\(error)")
            }
            #expect(try await database.scalar("SELECT to_regclass('public.half_done') IS NULL", as: Bool.self))
            #expect(try await database.scalar("SELECT to_regclass('queue.jobs') IS NULL", as: Bool.self))
        }
    }

    @Test("a recorded migration whose text changed is reported as drift, and nothing is applied")
    func changedMigrationIsDrift() async throws {
        try await TestDatabase.with { database in
            try await database.execute("UPDATE public.pasisync_migrations SET checksum = 'edited' WHERE version = 1")
            let migrate = try PasisyncProcess(["migrate"], database: database)
            #expect(await migrate.waitForExit() != 0)
            #expect(migrate.log.contains("0001_queue.sql: changed since it was applied"), "\(migrate.log)")
        }
    }

    @Test("a recorded migration the binary no longer has is reported as drift")
    func vanishedMigrationIsDrift() async throws {
        try await TestDatabase.with { database in
            try await database.execute(
                "INSERT INTO public.pasisync_migrations (version, name, checksum) VALUES (9999, '9999_gone.sql', 'x')")
            let status = try PasisyncProcess(["migrate", "--status"], database: database)
            #expect(await status.waitForExit() != 0)
            #expect(status.log.contains("9999_gone.sql: applied, but no longer among the migrations"), "\(status.log)")
            #expect(status.log.contains("applied  0001_queue.sql"))
        }
    }

    @Test("the function and view files are applied after the numbered migrations, each recorded with its checksum, and not again while none changed")
    func repeatableFilesAreRecorded() async throws {
        try await TestDatabase.with(migrated: false) { database in
            let migrator = Migrator(client: database.client, logger: TestEnvironment.logger)
            try await migrator.migrate()
            let recorded = try await database.scalar(
                "SELECT count(*)::int FROM public.pasisync_repeatable_migrations", as: Int.self)
            #expect(recorded == RepeatableMigration.embedded.count)
            #expect(RepeatableMigration.embedded.contains { $0.name == "functions/queue.before_insert_job.sql" })
            #expect(try await database.scalar(
                "SELECT count(*)::int FROM pg_trigger WHERE tgname = 'jobs_before_insert'", as: Int.self) == 1)
            let firstApplied = try await database.scalar(
                "SELECT max(applied_at)::text FROM public.pasisync_repeatable_migrations", as: String.self)
            #expect(try await migrator.migrate().isEmpty)
            #expect(try await migrator.status().repeatablePending.isEmpty)
            #expect(try await database.scalar(
                "SELECT max(applied_at)::text FROM public.pasisync_repeatable_migrations", as: String.self) == firstApplied)
        }
    }

    @Test("a function whose file changed since it was applied is applied again, triggers included")
    func changedFunctionFileIsReapplied() async throws {
        try await TestDatabase.with { database in
            try await database.execute("DROP FUNCTION queue.notify_jobs() CASCADE")   // takes its trigger along
            try await database.execute("""
                UPDATE public.pasisync_repeatable_migrations SET checksum = 'edited'
                WHERE name = 'functions/queue.notify_jobs.sql'
                """)
            let migrator = Migrator(client: database.client, logger: TestEnvironment.logger)
            #expect(try await migrator.status().repeatablePending == ["functions/queue.notify_jobs.sql"])
            try await migrator.migrate()
            #expect(try await database.scalar(
                "SELECT count(*)::int FROM pg_trigger WHERE tgname = 'jobs_notify_insert'", as: Int.self) == 1)
            #expect(try await migrator.status().repeatablePending.isEmpty)
        }
    }

    @Test("a database that applied an earlier text of a rewritten migration is not drifted, and records the current text")
    func earlierTextIsNotDrift() async throws {
        let earlier = try #require(Migration.embeddedEarlierChecksums.first { $0.version == 1 })
        try await TestDatabase.with { database in
            try await database.execute(
                "UPDATE public.pasisync_migrations SET checksum = \(earlier.checksum) WHERE version = 1")
            let status = try PasisyncProcess(["migrate", "--status"], database: database)
            #expect(await status.waitForExit() == 0, "\(status.log)")
            try await Migrator(client: database.client, logger: TestEnvironment.logger).migrate()
            let recorded = try await database.scalar(
                "SELECT checksum FROM public.pasisync_migrations WHERE version = 1", as: String.self)
            #expect(recorded != earlier.checksum)
            #expect(recorded.count == 64)
        }
    }

    @Test("a function file that fails is named with PostgreSQL's own message, and nothing is applied")
    func failingFunctionFileIsNamed() async throws {
        try await TestDatabase.with(migrated: false) { database in
            let broken = RepeatableMigration.embedded + [RepeatableMigration(
                name: "functions/public.broken.sql",
                sql: "CREATE OR REPLACE FUNCTION public.broken() RETURNS int LANGUAGE plpgsql AS $$ BEGIN IF (x := 1) THEN RETURN 1; END IF; END $$;")]
            let migrator = Migrator(client: database.client, logger: TestEnvironment.logger, repeatable: broken)
            do {
                try await migrator.migrate()
                Issue.record("the broken function file was applied")
            } catch let error as MigrationFailed {
                #expect(error.name == "functions/public.broken.sql")
                #expect(error.description.contains("syntax error at or near"), "\(error)")
            }
            #expect(try await database.scalar("SELECT to_regclass('queue.jobs') IS NULL", as: Bool.self))
        }
    }
}
