import Foundation
import Migrations
import PostgresNIO
import Testing
import PasisyncTesting

@Suite("Migrations", .serialized)
struct MigrationTests {
    @Test("the migrations built into the binary are exactly the files in migrations/")
    func embeddedCopyIsCurrent() throws {
        let folder = TestEnvironment.repositoryRoot.appendingPathComponent("migrations")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sql") }.sorted()
        #expect(Migration.embedded.map(\.name) == files, "run scripts/embed-migrations")
        for migration in Migration.embedded {
            let text = try String(contentsOf: folder.appendingPathComponent(migration.name), encoding: .utf8)
            #expect(migration.sql == text.replacingOccurrences(of: "\\n+$", with: "", options: .regularExpression),
                    "\(migration.name) changed since it was embedded: run scripts/embed-migrations")
        }
    }

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
}
