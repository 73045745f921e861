import JobQueue
import PasisyncTesting

extension TestDatabase {
    /// The queue's SQL over this database.
    var store: QueueStore { QueueStore(client: client, logger: TestEnvironment.logger) }

    func state(of job: Int64) async throws -> JobState? {
        try await store.state(of: job)
    }

    /// Waits until `job` reaches `state`, failing after `timeout`.
    func wait(for job: Int64, toBe state: JobState, within timeout: Duration = .seconds(30)) async throws {
        try await eventually(within: timeout, "job \(job) to be \(state)") {
            try await self.state(of: job) == state
        }
    }
}
