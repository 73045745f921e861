import Foundation
import PASIContract
import PASIModel
@testable import SyncJobs
@testable import SyncStore
import Testing

@Suite("Regular Sync: a round's plan, without PostgreSQL or PASI")
struct RegularSyncRoundPlanTests {
    typealias Fixture = RegularSyncFixture

    static let now = Date(timeIntervalSince1970: 1_760_000_000)

    static func planner(_ edit: (inout RegularSyncSettings) -> Void = { _ in }) -> RegularSyncRoundPlan {
        var settings = RegularSyncSettings()
        settings.isOn = true
        settings.currentYear = Fixture.current
        settings.historicalYears = 1
        edit(&settings)
        return RegularSyncRoundPlan(settings: settings, now: now)
    }

    /// The round's input for student 7 and its enrolment 71, with PASI's copies in the local store.
    static func input(sis: SISStudent = Fixture.sis(), pasiStudent: Bool = true, pasiEnrolment: Bool = true) throws -> RoundInput {
        var input = RoundInput()
        input.students[sis.id] = sis
        input.enrolments[71] = (sis.enrolments[0], sis)
        if pasiStudent { input.pasiStudents[Fixture.asn.digits] = try Fixture.pasi() }
        input.refIds[71] = (Fixture.enrolmentRef, true)
        if pasiEnrolment { input.pasiEnrolments[Fixture.enrolmentRef.value] = try Fixture.pasiEnrolment() }
        return input
    }

    static func skipReason(_ plan: RegularSyncRoundPlan.Plan) -> String? {
        guard case .done(.skipped(_, let reason)) = plan else { return nil }
        return reason
    }

    static func rejection(_ plan: RegularSyncRoundPlan.Plan) -> AlertRecord? {
        guard case .done(.rejected(_, let alert)) = plan else { return nil }
        return alert
    }

    static let studentChange = RecordChange(table: "sis.students", key: "7", eventIDs: [1], changedColumns: ["home_phone"])
    static let enrolmentChange = RecordChange(table: "sis.enrolments", key: "71", eventIDs: [2], changedColumns: ["exit_date"])

    // MARK: - Tables

    @Test("a table Regular Sync does not send is skipped with the reason a person reads")
    func tablesNotSent() throws {
        let plan = Self.planner()
        let input = try Self.input()
        #expect(Self.skipReason(plan.plan(RecordChange(table: "sis.courses", key: "MAT1791"), input)) == CourseMarkInput.courseNotSent)
        #expect(Self.skipReason(plan.plan(RecordChange(table: "sis.student_record_documents", key: "3"), input))?
                    .contains("Daily Document Submission") == true)
        #expect(Self.skipReason(plan.plan(RecordChange(table: "sis.terms", key: "3"), input)) == "sis.terms is not a synchronized table")
    }

    // MARK: - Students

    // A K-12 client changes a student by aspect
    // (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/submit_phone_number.html), not by SubmitStudent.
    @Test("a student's changed phone is PASI's record with the new phone, sent as one Submit Phone Number on the local store's version, with the record's attempts and digests in flight")
    func studentSave() throws {
        var sis = Fixture.sis()
        sis.demographics.homePhone = "780-555-0142"
        var input = try Self.input(sis: sis)
        input.attempts[Self.studentChange.subject] = 2
        input.inFlight[Self.studentChange.subject] = ["earlier"]
        guard case .submit(let planned) = Self.planner().plan(Self.studentChange, input),
              let submission = planned as? Submission<Student> else {
            Issue.record("expected a student submit")
            return
        }
        #expect(submission.action == .save && submission.id == Fixture.asn.digits && submission.version == 12)
        #expect(submission.record?.phones.map(\.number) == ["780-555-0142"])
        #expect(submission.attempts == 2 && submission.inFlight == ["earlier"])
        #expect(submission.context.conflictType == .phoneNumber)
        #expect(submission.digest == submission.record.map(RegularSyncRoundPlan.digest))
        // Sent by aspect: the base it was built on, and the one request that takes it there.
        let base = try #require(submission.base)
        #expect(submission.sender != nil)
        let requests = StudentAspectPlan.requests([.phone], from: base, to: try #require(submission.record))
        #expect(requests.map(\.operation.name) == ["SubmitPhoneNumber"])
        #expect(requests.first?.pasiCoreVersion == 12)
    }

    @Test("a student whose change leaves PASI's record as it is, is Sent without a submit")
    func studentUnchanged() throws {
        guard case .done(.sent(_, let accepted)) = Self.planner().plan(Self.studentChange, try Self.input()) else {
            Issue.record("expected Sent")
            return
        }
        #expect(accepted.version == 12 && accepted.detail == "nothing PASI holds changed")
    }

    @Test("a student is not sent while the switch is off, without an ASN, after an ASN change, or when the SIS row is gone")
    func studentSkipped() throws {
        let input = try Self.input()
        #expect(Self.skipReason(Self.planner { $0.students = false }.plan(Self.studentChange, input)) == "Student Synchronization is off")
        let noASN = try Self.input(sis: Fixture.sis(asn: nil))
        #expect(Self.skipReason(Self.planner().plan(Self.studentChange, noASN))?.hasPrefix("the student has no ASN") == true)
        let asnChanged = RecordChange(table: "sis.students", key: "7", changedColumns: ["asn"])
        #expect(Self.skipReason(Self.planner().plan(asnChanged, input))?.hasPrefix("the student's ASN changed") == true)
        let deleted = RecordChange(table: "sis.students", key: "7", isDeleted: true)
        #expect(Self.skipReason(Self.planner().plan(deleted, input))?.hasPrefix("the student was deleted from the SIS") == true)
    }

    @Test("a student the local store does not hold is a Rejection that says how to get it")
    func studentNotInStore() throws {
        let alert = Self.rejection(Self.planner().plan(Self.studentChange, try Self.input(pasiStudent: false)))
        #expect(alert?.alertCode == RegularSyncAlerts.notInStore)
        #expect(alert?.message?.contains("run Hash Synchronization or Load Local Copy") == true)
    }

    // MARK: - Enrolments

    // https://extranet.education.alberta.ca/pasidevnet/docs/Business/registration_status.html (no Registration
    // Status on the 2020 endpoint);
    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/submit_student_school_enrolment_2018_end_point_earlier.html
    // ("CreatedInError (Registration Status) | True": Student School Enrolment Is Deleted).
    @Test("an enrolment deleted from the SIS is sent as created in error: PASI's copy saved with IsDeleted on the local store's version")
    func enrolmentDeleted() throws {
        var input = try Self.input()
        input.enrolments[71] = nil
        let deleted = RecordChange(table: "sis.enrolments", key: "71", isDeleted: true)
        guard case .submit(let planned) = Self.planner().plan(deleted, input), let submission = planned as? Submission<SchoolEnrolment> else {
            Issue.record("expected an enrolment submit")
            return
        }
        #expect(submission.action == .save && submission.id == Fixture.enrolmentRef.value && submission.version == 4)
        let base = try #require(input.pasiEnrolments[Fixture.enrolmentRef.value])
        var expected = base
        expected.isDeleted = true
        #expect(submission.record == expected, "PASI's copy, everything kept but IsDeleted")
        #expect(submission.digest != nil)

        // PASI already holds it deleted: nothing to send.
        input.pasiEnrolments[Fixture.enrolmentRef.value] = expected
        guard case .done(.sent(_, let accepted)) = Self.planner().plan(deleted, input) else {
            Issue.record("expected nothing sent for an enrolment PASI holds deleted")
            return
        }
        #expect(accepted.version == 4 && accepted.detail == "PASI already holds the enrolment deleted")
    }

    @Test("an enrolment deleted before it reached PASI, or of a year before the synchronization years, is skipped")
    func enrolmentSkipped() throws {
        var input = try Self.input(pasiEnrolment: false)
        input.enrolments[71] = nil
        let deleted = RecordChange(table: "sis.enrolments", key: "71", isDeleted: true)
        #expect(Self.skipReason(Self.planner().plan(deleted, input)) == "the enrolment was deleted from the SIS before it reached PASI")
        let old = try Self.input(sis: Fixture.sis(enrolmentYear: Fixture.old))
        #expect(Self.skipReason(Self.planner().plan(Self.enrolmentChange, old))?.contains("before the synchronization years") == true)
        #expect(Self.skipReason(Self.planner { $0.enrolments = false }.plan(Self.enrolmentChange, try Self.input()))
                == "Student Enrolment Synchronization is off")
    }

    // MARK: - A round

    @Test("a round keeps the outcomes decided without PASI, the submits in order, and notes in flight only what carries a digest")
    func round() throws {
        var sis = Fixture.sis()
        sis.demographics.homePhone = "780-555-0142"
        var input = try Self.input(sis: sis)
        input.enrolments[71] = nil
        let deleted = RecordChange(table: "sis.enrolments", key: "71", isDeleted: true)
        let course = RecordChange(table: "sis.courses", key: "MAT1791")
        let round = Self.planner().round([course, Self.studentChange, deleted], input)
        #expect(round.outcomes.map(\.change) == [course])
        #expect(round.submissions.map(\.change) == [Self.studentChange, deleted])
        // An enrolment created in error is a Save of PASI's copy with IsDeleted (registration_status.html):
        // it carries a digest and is noted in flight like the student's change.
        #expect(round.inFlight.map(\.change) == [Self.studentChange, deleted])
        #expect(round.inFlight.map(\.digest) == round.submissions.map(\.digest))
    }

    // MARK: - Course marks

    @Test("a course enrolment whose section is sent in the same round waits for it, from the time of the plan")
    func courseEnrolmentWaitsForItsSection() throws {
        var input = try Self.input()
        input.courseMarks.settings.courseEnrolments = true
        input.courseMarks.courseEnrolments[5] = UploadCourseEnrolment(
            id: 5, sectionID: 9, schoolCode: "1001", sisStartYear: 2025, courseNumber: "MAT1791", asn: Fixture.asn.digits,
            dateEnrolled: "2025-09-02", dateLeft: nil, status: "Active", creditsAttempted: 5)
        input.courseMarks.refIds[.courseEnrolment] = [5: UploadRecordState(refId: Fixture.enrolmentRef, pasiVersion: nil)]
        input.courseMarks.changingSections = [9]
        let change = RecordChange(table: "sis.course_enrolments", key: "5")
        guard case .done(.retry(_, let attempts, let retryAt, let error)) = Self.planner().plan(change, input) else {
            Issue.record("expected a wait")
            return
        }
        #expect(attempts == 1 && retryAt == Self.now.addingTimeInterval(2))
        #expect(error == "waiting for section 9 to reach PASI first")
        input.courseMarks.changingSections = []
        #expect(Self.rejection(Self.planner().plan(change, input))?.message?.contains("its section 9 is not in PASI") == true)
    }

    // MARK: - Acknowledgements

    @Test("the acknowledgement of an alert that is gone is skipped")
    func acknowledgementOfGoneAlert() throws {
        let change = RecordChange(table: "sync.core_alerts", key: "44")
        #expect(Self.skipReason(Self.planner().plan(change, try Self.input()))
                == "the alert was deleted before its acknowledgement reached PASI")
    }
}
