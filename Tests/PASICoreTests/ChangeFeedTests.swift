import DistrictSynthesis
import Logging
import Foundation
import PASIContract
import PASICore
import PASIModel
import PASISimulator
import PasisyncTesting
import Testing

@Suite("PASI Core client and simulator: the change feed")
struct ChangeFeedTests {
    @Test("a feed larger than one page is followed page by page to every item, each once")
    func paging() async throws {
        try await SimulatorFixture.with(students: 300, pageLimit: 70) { fixture in
            let type = try NotificationType(.student)
            let first = try #require(try await fixture.client.isDataAvailable([.init(type)], wait: .zero).first)
            #expect(first.item.count == 70)
            #expect(first.hasMore)
            var pages = 0
            var ids: [String] = []
            _ = try await fixture.client.followFeed(type, after: 0) { items in
                pages += 1
                ids += items.map(\.id)
            }
            #expect(pages == 5)  // 300 items at 70 a page
            #expect(ids.count == 300)
            #expect(Set(ids).count == 300)
            #expect(Set(ids) == Set(await fixture.province.all(Student.self).map(\.recordID)))
        }
    }

    @Test("a change made behind the client's back appears above the version it held, once")
    func changesAppearOnce() async throws {
        try await SimulatorFixture.with { fixture in
            let type = try NotificationType(.student)
            let held = try await fixture.client.followFeed(type, after: 0) { _ in }
            #expect(try await fixture.client.isDataAvailable([.init(type, after: held)], wait: .zero).first?.item.isEmpty == true)
            var student = try #require(await fixture.province.all(Student.self).first)
            student.gender = student.gender == .male ? .female : .male
            let version = await fixture.province.change(student)
            let answer = try #require(try await fixture.client.isDataAvailable([.init(type, after: held)], wait: .zero).first)
            #expect(answer.item == [FeedItem(id: student.recordID, version: version)])
        }
    }

    @Test("hash equal: nothing is returned; hash different: the full list")
    func hashCheck() async throws {
        try await SimulatorFixture.with { fixture in
            let type = try NotificationType(.student)
            var held: [FeedItem] = []
            _ = try await fixture.client.followFeed(type, after: 0) { held += $0 }
            let same = try #require(try await fixture.client.isDataAvailable([.init(type, hash: VersionHash.of(held))], wait: .zero).first)
            #expect(same.hashMatched)
            #expect(same.item.isEmpty)

            // One record differs on the client's side: PASI answers everything it holds.
            var drifted = held
            drifted[0].version -= 1
            let different = try #require(try await fixture.client.isDataAvailable([.init(type, hash: VersionHash.of(drifted))], wait: .zero).first)
            #expect(!different.hashMatched)
            #expect(Set(different.item) == Set(held))
        }
    }

    @Test("the long poll answers as soon as something changes, not at the end of the wait")
    func longPoll() async throws {
        try await SimulatorFixture.with { fixture in
            let type = try NotificationType(.school)
            let held = try await fixture.client.followFeed(type, after: 0) { _ in }
            let school = try #require(await fixture.province.all(School.self).first)
            let changer = Task {
                try await Task.sleep(for: .milliseconds(500))
                await fixture.province.change(school)
            }
            let started = ContinuousClock.now
            let answer = try await fixture.client.isDataAvailable([.init(type, after: held)], wait: .seconds(20))
            let waited = ContinuousClock.now - started
            try await changer.value
            #expect(answer.first?.item.map(\.id) == [school.recordID])
            #expect(waited >= .milliseconds(400))
            #expect(waited < .seconds(10))
        }
    }

    @Test("year-scoped types are answered per school year")
    func yearScoped() async throws {
        try await SimulatorFixture.with { fixture in
            let year = fixture.generator.currentSchoolYear
            let current = try await fixture.client.isDataAvailable([.init(try NotificationType(.studentSchoolEnrolment, year: year))], wait: .zero)
            let expected = await fixture.province.all(SchoolEnrolment.self).filter { $0.schoolYear == year }.map(\.recordID)
            #expect(Set(current.first?.item.map(\.id) ?? []) == Set(expected))
            #expect(!expected.isEmpty)
        }
    }
}
