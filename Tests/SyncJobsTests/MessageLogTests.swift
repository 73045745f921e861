import Foundation
@testable import PASICore
import PasisyncTesting
import PostgresNIO
import SyncJobs
import SyncStore
import Testing

/// The Messages Log's group commit: every call's line is written, once, before the call returns,
/// however many calls end at the same time.
@Suite("Messages Log: lines of calls that end together are written together", .serialized)
struct MessageLogTests {
    static func call(_ id: UUID = UUID(), outcome: PASICallRecord.Outcome = .success, faultCode: Int? = nil,
                     detail: String? = nil, at sentAt: Date = Date()) -> PASICallRecord {
        PASICallRecord(clientMessageID: id, operation: "SubmitStudent", sentAt: sentAt, duration: .milliseconds(7),
                       outcome: outcome, faultCode: faultCode, detail: detail)
    }

    @Test("one statement for several lines keeps every column, its NULLs included")
    func batchRoundTrip() async throws {
        try await TestDatabase.with { database in
            let store = MessageLogStore(client: database.client, logger: TestEnvironment.logger)
            let sentAt = Date(timeIntervalSince1970: 1_796_000_000.123456)
            let entries = [
                MessageLogEntry(clientMessageID: UUID(), operation: "SubmitStudent", sentAt: sentAt, durationMilliseconds: 3,
                                outcome: "Success"),
                MessageLogEntry(clientMessageID: UUID(), operation: "GetStudents", sentAt: sentAt, durationMilliseconds: 0,
                                outcome: "Fault", faultCode: 9001, detail: "PASI Core is unavailable", jobID: 42),
                MessageLogEntry(clientMessageID: UUID(), operation: "SubmitStudent", sentAt: sentAt, durationMilliseconds: 12,
                                outcome: "Rejected", faultCode: 3004, detail: "stale"),
            ]
            try await store.append(entries)
            let read = try await store.recent(limit: 10).reversed()
            #expect(read.map(\.clientMessageID) == entries.map(\.clientMessageID))
            #expect(read.map(\.faultCode) == [nil, 9001, nil], "a fault code is kept for Fault only")
            #expect(read.map(\.detail) == [nil, "PASI Core is unavailable", "stale"])
            #expect(read.map(\.jobID) == [nil, 42, nil])
            #expect(read.map(\.durationMilliseconds) == [3, 0, 12])
            for entry in read { #expect(abs(entry.sentAt.timeIntervalSince(sentAt)) < 0.000_01) }
        }
    }

    @Test("50 calls ending at once: 50 lines, each written before its call returns; a duplicate fails alone")
    func concurrentCalls() async throws {
        try await TestDatabase.with { database in
            let log = DatabaseMessageLog(store: MessageLogStore(client: database.client, logger: TestEnvironment.logger))
            let used = UUID()
            try await log.record(Self.call(used))
            let client = database.client
            let results = await withTaskGroup(of: Bool.self) { group in
                for index in 0..<50 {
                    group.addTask {
                        let id = index == 25 ? used : UUID()
                        do {
                            try await log.record(Self.call(id))
                            // Written by now: the caller's own line is in the table when it returns.
                            let rows = try await client.query("SELECT count(*) FROM sync.message_log WHERE client_message_id = \(id)",
                                                              logger: TestEnvironment.logger)
                            for try await count in rows.decode(Int.self) { return count == 1 }
                            return false
                        } catch {
                            return index == 25  // the reused ClientMessageID, refused
                        }
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(results.allSatisfy { $0 }, "every call saw its own line written, and only the duplicate failed")
            #expect(try await database.scalar("SELECT count(*)::int FROM sync.message_log", as: Int.self) == 50)
        }
    }
}
