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
    /// The technical page of IsDataAvailable: at most 150,000 items per type and about 600,000 in
    /// all, no "more" flag, the client asks again from the highest version it received.
    static let feedPage = "https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/4e51f707-4e1c-3dd0-eec9-aa2c7fb43393.htm"

    @Test("a feed larger than one page is followed page by page to every item, each once, with no flag on the wire")
    func paging() async throws {
        // feedPage: a full page (the per-type limit, here 70) is asked again from its highest version.
        try await SimulatorFixture.with(students: 300, feedLimits: FeedLimits(perType: 70, overall: 600_000)) { fixture in
            let type = try NotificationType(.student)
            let first = try #require(try await fixture.client.isDataAvailable([.init(type)], wait: .zero).first)
            #expect(first.item.count == 70)
            var pages = 0
            var ids: [String] = []
            _ = try await fixture.client.followFeed(type, after: 0) { items in
                pages += 1
                ids += items.map(\.id)
            }
            #expect(pages == 5)  // 300 items at 70 a page: four full pages and one of 20
            #expect(ids.count == 300)
            #expect(Set(ids).count == 300)
            #expect(Set(ids) == Set(await fixture.province.all(Student.self).map(\.recordID)))
            // The answer as the simulator writes it carries no "more" element.
            let document = String(decoding: FeedCoding.encode(IsDataAvailableResponse(notification: [first])), as: UTF8.self)
            #expect(!document.contains("More"))
        }
    }

    @Test("the overall limit: types are filled in the order asked until the answer is full; the rest comes on asking again")
    func overallLimit() async throws {
        // feedPage: "IsDataAvailable will also limit the overall response to approximately 600000 total
        // objects"; here 50 per type and 80 in all.
        let limits = FeedLimits(perType: 50, overall: 80)
        try await SimulatorFixture.with(students: 300, feedLimits: limits) { fixture in
            let year = fixture.generator.currentSchoolYear
            let types = [try NotificationType(.student), try NotificationType(.studentSchoolEnrolment, year: year),
                         try NotificationType(.studentStatus), try NotificationType(.school)]
            await fixture.province.setFeedLimits(.documented)
            let whole = await fixture.province.answer(types.map { .init($0) })
            await fixture.province.setFeedLimits(limits)
            let totals = whole.notification.map(\.item.count)
            try #require(totals[0] >= 50 && totals[1] >= 30)
            // Each type takes up to 50 of what room the types before it left.
            var room = 80
            let expected = totals.map { total in
                let taken = min(50, room, total)
                room -= taken
                return taken
            }
            let response = await fixture.province.answer(types.map { .init($0) })
            #expect(response.notification.map(\.item.count) == expected)
            #expect(expected == [50, 30, 0, 0])
            #expect(response.full(under: limits) == types)
            // Over HTTPS, a client that knows the limits follows every type to its end.
            var cursors = Dictionary(uniqueKeysWithValues: types.map { ($0, Int64(0)) })
            var seen: [NotificationType: Set<String>] = [:]
            var calls = 0
            while true {
                calls += 1
                let answers = try await fixture.client.isDataAvailable(types.map { .init($0, after: cursors[$0]!) }, wait: .zero)
                #expect(answers.reduce(0) { $0 + $1.item.count } <= 80)
                for answer in answers {
                    seen[answer.notificationType, default: []].formUnion(answer.item.map(\.id))
                    cursors[answer.notificationType] = answer.highestVersion ?? cursors[answer.notificationType]!
                }
                if IsDataAvailableResponse(notification: answers).full(under: limits).isEmpty { break }
                try #require(calls < 100)
            }
            #expect(calls > 1)
            for answer in whole.notification {
                #expect(seen[answer.notificationType, default: []] == Set(answer.item.map(\.id)), "\(answer.notificationType)")
            }
        }
    }

    @Test("rules 3005, 3006, 3007 and 3008: answered over HTTPS as fault 3001 naming the rule and the types")
    func requestRules() async throws {
        // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_3005.html (unknown type, wrong case, year 1905–2100),
        // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_3006.html (a year on a type without one),
        // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_3008.html (a year-scoped type without one,
        // StudentRecordDocument included), rule 3007 (validation_rules_between_1_and_9999.html: the wait time),
        // each "returned as a Rule 3001 - Request Doesn't Match Schema exception".
        try await SimulatorFixture.with(students: 20) { fixture in
            func refusal(_ written: [String], wait: Duration = .zero) async -> PASICoreError? {
                do {
                    _ = try await fixture.client.isDataAvailable(written.map { .init(written: $0) }, wait: wait)
                    return nil
                } catch { return error }
            }
            let cases: [([String], String, [String])] = [
                (["Studen"], "Rule 3005", ["Studen"]),
                (["student", "Student"], "Rule 3005", ["student"]),
                (["courseEnrolment.2012", "courseenrolment.2012"], "Rule 3005", ["courseEnrolment.2012", "courseenrolment.2012"]),
                (["Section.1904"], "Rule 3005", ["Section.1904"]),
                (["Student.2026", "School.2026", "Course"], "Rule 3006", ["Student", "School"]),
                (["StudentSchoolEnrolment", "StudentRecordDocument", "Section.2026"], "Rule 3008", ["StudentSchoolEnrolment", "StudentRecordDocument"]),
            ]
            for (written, rule, named) in cases {
                let error = await refusal(written)
                #expect(error?.faultCode == 3001, "\(written): \(String(describing: error))")
                #expect(error?.message.contains(rule + " - ") == true, "\(written): \(String(describing: error))")
                for type in named { #expect(error?.message.contains(type) == true, "\(type) in \(String(describing: error))") }
            }
            let wait = await refusal(["Student"], wait: .seconds(31 * 60))
            #expect(wait?.faultCode == 3001 && wait?.message.contains("Rule 3007 - ") == true, "\(String(describing: wait))")
            // The rule is read back from the fault's text (what a client sorting faults by rule needs).
            #expect(ChangeFeedRules.rule(of: ChangeFeedRules.fault(.missingSchoolYearFilter, ["Section"])) == .missingSchoolYearFilter)
            #expect(ChangeFeedRules.rule(of: PASIFault(code: 3001, message: "Invalid Request. The following errors were found in the request: x")) == nil)
            // What the rules allow is answered.
            let allowed = ["Student", "SchoolCalendarYear", "SchoolCalendarYear.2026", "StudentRecordDocument.2026", "Section.2100"]
            #expect(await refusal(allowed) == nil)
        }
    }

    @Test("the accepted school years follow the calendar year, −2 … +1, whatever the school year")
    func window() async throws {
        // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/synchronizing_data_with_pasi.html:
        // September 1 and December 31, 2018 synchronize 2015/2016 … 2018/2019; January 1 to August 31,
        // 2019 synchronize 2016/2017 … 2019/2020. Older years are historical, later ones too far ahead.
        func years(_ year: Int, _ month: Int, _ day: Int) async throws -> [String] {
            let province = Province(organization: try OrganizationCode("A.0001"), today: try PASIDate(year: year, month: month, day: day))
            return await province.codeValues(since: 0).acceptedSchoolYear.map { "\($0.schoolYear) \($0.status.rawValue)" }
        }
        let autumn = ["2015/2016 Historical", "2016/2017 Historical", "2017/2018 Historical", "2018/2019 Current"]
        #expect(try await years(2018, 9, 1) == autumn)
        #expect(try await years(2018, 12, 31) == autumn)
        let spring = ["2016/2017 Historical", "2017/2018 Historical", "2018/2019 Current", "2019/2020 Future"]
        #expect(try await years(2019, 1, 1) == spring)
        #expect(try await years(2019, 8, 31) == spring)
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
