import PostgresNIO
import SyncStore
import Testing
import PasisyncTesting

@Suite("Initial Synchronization's store")
struct InitialSyncStoreTests {
    @Test("statistics are refreshed for tables never analyzed, and not again while they are fresh")
    func refreshesMissingStatistics() async throws {
        try await TestDatabase.with { database in
            let store = InitialSyncStore(client: database.client, logger: TestEnvironment.logger)
            let first = try await store.refreshStatistics()
            #expect(first.contains("pasi.students") && first.contains("pasi.school_enrolments") && first.contains("sis.students"))
            var analyzed: [String] = []
            for try await name in try await database.client.query("""
                SELECT schemaname || '.' || relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL ORDER BY 1
                """, logger: TestEnvironment.logger).decode(String.self) { analyzed.append(name) }
            #expect(analyzed == first.sorted())
            #expect(try await store.refreshStatistics() == [])
        }
    }
}
