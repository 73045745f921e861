import PASIModel
import PostgresNIO
import SyncStore
import Testing
import PasisyncTesting

@Suite("The SIS-PASI matches repository")
struct MatchesStoreTests {
    static func store(_ database: TestDatabase) -> MatchesStore { MatchesStore(client: database.client, logger: TestEnvironment.logger) }

    @Test("a student match reads back from either side, is replaced by a new one and removed")
    func studentMatches() async throws {
        try await TestDatabase.with { database in
            let store = Self.store(database)
            try await store.matchStudent(1, to: PASIFixtures.asn(1), quality: .high, by: "initial sync")
            let match = try #require(try await store.studentMatch(studentID: 1))
            #expect((match.studentID, match.asn, match.quality, match.matchedBy) == (1, PASIFixtures.asn(1), .high, "initial sync"))
            #expect(try await store.studentMatch(asn: PASIFixtures.asn(1)) == match)

            try await store.matchStudent(1, to: PASIFixtures.asn(2), quality: .low, by: "jdoe")
            #expect(try await store.studentMatch(studentID: 1)?.asn == PASIFixtures.asn(2))
            #expect(try await store.studentMatch(asn: PASIFixtures.asn(1)) == nil)

            #expect(try await store.unmatchStudent(1))
            #expect(try await !store.unmatchStudent(1))
            #expect(try await store.studentMatch(studentID: 1) == nil)
        }
    }

    @Test("an ASN or RefId matched with one SIS record is refused for another, naming the holder")
    func oneToOne() async throws {
        try await TestDatabase.with { database in
            let store = Self.store(database)
            try await store.matchStudent(1, to: PASIFixtures.asn(1), quality: .high, by: "test")
            let student = await #expect(throws: SyncStoreError.self) {
                try await store.matchStudent(2, to: PASIFixtures.asn(1), quality: .medium, by: "test")
            }
            #expect(student?.code == .alreadyMatched)
            #expect(student?.description == "ASN \(PASIFixtures.asn(1)) is already matched with SIS student 1")
            #expect(try await store.studentMatch(studentID: 2) == nil)

            let refId = PASIFixtures.refId(1, 3)
            try await store.matchEnrolment(10, to: refId, quality: .high, by: "test")
            let enrolment = await #expect(throws: SyncStoreError.self) {
                try await store.matchEnrolment(11, to: refId, quality: .high, by: "test")
            }
            #expect(enrolment?.code == .alreadyMatched)
            // Matching the same pair again is allowed.
            try await store.matchEnrolment(10, to: refId, quality: .medium, by: "test")
            #expect(try await store.enrolmentMatch(enrolmentID: 10)?.quality == .medium)
        }
    }

    @Test("an enrolment match reads back from either side and is removed")
    func enrolmentMatches() async throws {
        try await TestDatabase.with { database in
            let store = Self.store(database)
            let refId = PASIFixtures.refId(4, 3)
            try await store.matchEnrolment(40, to: refId, quality: .medium, by: "initial sync")
            let match = try #require(try await store.enrolmentMatch(refId: refId))
            #expect((match.enrolmentID, match.refId, match.quality, match.matchedBy) == (40, refId, .medium, "initial sync"))
            #expect(try await store.enrolmentMatch(enrolmentID: 40) == match)
            #expect(try await store.unmatchEnrolment(40))
            #expect(try await store.enrolmentMatch(refId: refId) == nil)
        }
    }
}
