import DistrictSynthesis
import Logging
import PASIContract
import PASICore
import PASIModel
import PASISimulator
import PasisyncTesting
import SyncStore
import Testing

@Suite("The seeded local PASI store and the simulator hold the same province")
struct AgreementTests {
    @Test("the hash of the local store's Student and current-year enrolment versions matches the simulator's; a changed record breaks the match")
    func hashesAgree() async throws {
        try await SimulatorFixture.with { fixture in
            _ = try await DistrictLoader(client: fixture.database.client, logger: TestEnvironment.logger).load(fixture.generator)
            let store = PASIStore(client: fixture.database.client, logger: TestEnvironment.logger)
            let year = fixture.generator.currentSchoolYear

            let students = try await store.versions(of: .student)
            let enrolments = try await store.versions(of: .schoolEnrolment, schoolYear: year)
            #expect(students.count == fixture.generator.studentCount)
            #expect(!enrolments.isEmpty)
            let queries: [IsDataAvailableRequest.Query] = [
                .init(try NotificationType(.student), hash: VersionHash.of(students)),
                .init(try NotificationType(.studentSchoolEnrolment, year: year), hash: VersionHash.of(enrolments)),
            ]
            let same = try await fixture.client.isDataAvailable(queries, wait: .zero)
            #expect(same.map(\.hashMatched) == [true, true])

            // Another authority changes one student: the hash no longer matches, and the full
            // list names exactly that student with a newer version than the store holds.
            let student = try #require(await fixture.province.all(Student.self).first)
            let version = await fixture.province.change(student)
            let after = try await fixture.client.isDataAvailable([queries[0]], wait: .zero)
            #expect(after.first?.hashMatched == false)
            let held = Dictionary(uniqueKeysWithValues: students.map { ($0.id, $0.version) })
            let newer = (after.first?.item ?? []).filter { held[$0.id] != $0.version }
            #expect(newer == [FeedItem(id: student.recordID, version: version)])
        }
    }
}
