import JobQueue
import Logging
import PasisyncTesting
import PostgresNIO
import SyncStore
import Testing
@testable import SyncJobs

/// A sync handler's transaction (`SyncEnvironment.withTransaction`, the path of every sync
/// handler's transactional writes), on a real PostgreSQL.
@Suite("A sync handler's transaction")
struct SyncTransactionTests {
    @Test("a transaction whose connection the server closes does not outlive it: it fails, nothing committed")
    func doesNotOutliveItsConnection() async throws {
        try await TestDatabase.with { (database: TestDatabase) async throws in
            let environment = SyncEnvironment(client: database.client, logger: Logger(label: "sync-transaction-test"),
                                              endpoint: .failure(.init(variables: [])))
            await #expect(throws: ConnectionClosedInTransaction.self) {
                // The deadline only keeps a regression from hanging the suite.
                try await withDeadline(.seconds(20), timeout: TestFailure("the transaction outlived its connection")) {
                    try await environment.withTransaction(parent: nil) { transaction in
                        try await transaction.connection.query("CREATE TABLE public.outlived (id int)", logger: environment.logger)
                        var backend: Int32 = 0
                        for try await pid in try await transaction.connection.query("SELECT pg_backend_pid()", logger: environment.logger)
                            .decode(Int32.self) { backend = pid }
                        _ = try await database.scalar("SELECT pg_terminate_backend(\(backend))::int", as: Int.self)
                        try? await Task.sleep(for: .seconds(1))
                        // Written on the closed channel: PostgresNIO 1.33 never answers it.
                        try await transaction.connection.query("SELECT 1", logger: environment.logger)
                        return 0
                    }
                }
            }
            #expect(try await database.scalar("SELECT count(*)::int FROM pg_tables WHERE tablename = 'outlived'", as: Int.self) == 0)
        }
    }
}
