@testable import JobQueue
import PasisyncTesting
import PostgresNIO
import Testing

/// A database error's text, as it reaches `queue.jobs.last_error` and the log (issue 22, item 4):
/// PostgreSQL's message, which names the rule, and none of the row's values.
@Suite("Error texts")
struct ErrorTextTests {
    @Test("a constraint violation's text names the constraint and not the row: no 'Failing row contains', no key value")
    func noRowValuesInErrorText() async throws {
        try await TestDatabase.with { database in
            try await database.execute("CREATE TABLE public.canaries (asn text PRIMARY KEY, name text CHECK (name <> 'Canary Zoë Tweety'))")
            try await database.execute("INSERT INTO public.canaries VALUES ('999000111', 'Someone')")
            for statement: PostgresQuery in [
                "INSERT INTO public.canaries VALUES ('999000222', 'Canary Zoë Tweety')",
                "INSERT INTO public.canaries VALUES ('999000111', 'Other')",
            ] {
                do {
                    try await database.client.query(statement, logger: TestEnvironment.logger)
                    Issue.record("\(statement.sql) was accepted")
                } catch {
                    // PostgreSQL did put the values in its DETAIL: the test would prove nothing otherwise.
                    let detail = (error as? PSQLError)?.serverInfo?[.detail] ?? ""
                    #expect(detail.contains("Canary Zoë Tweety") || detail.contains("999000111"), "\(detail)")
                    let text = Worker.describe(error)
                    #expect(text.contains("canaries"), "\(text)")
                    #expect(!text.contains("Canary") && !text.contains("999000"), "\(text)")
                }
            }
        }
    }
}
