import Foundation
import PASIContract
import PASICore
import PASIModel
import PASISimulator
import PasisyncTesting
import Testing

/// The Student Associations in the simulator: what an authority sees, in the feed and by Get, and
/// what it may change.
@Suite("Association: the rules by date, the feed, Gets and rule 9010")
struct AssociationTests {
    static func day(_ text: String) throws -> PASIDate { try PASIDate(text) }

    static func ended(_ exit: String, ours: Bool = true) throws -> StudentAssociation.Enrolment {
        let exitDate = try day(exit)
        return .init(isOrganizations: ours, entryDate: try PASIDate(year: exitDate.year - 1, month: 9, day: 1), exitDate: exitDate)
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/by_last_school_enrolment.html: "This
    // association will expire 6 months after the Registration Exit Date of the enrolment";
    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_9010.html: a submit needs By
    // Current, By Last School Enrolment or By Student Creation, By Recent is not enough.
    @Test("By Last School Enrolment holds until 6 months after the exit date; after it only By Recent is left, which does not allow a submit")
    func lastEnrolmentSixMonths() throws {
        let enrolment = try Self.ended("2025-06-30")
        let dayBefore = StudentAssociation(enrolments: [enrolment], createdOn: nil, today: try Self.day("2025-12-29"))
        #expect(dayBefore.kinds == [.byLastSchoolEnrolment, .byRecentSchoolEnrolment])
        #expect(dayBefore.maySubmit && dayBefore.maySee)
        let sixMonths = StudentAssociation(enrolments: [enrolment], createdOn: nil, today: try Self.day("2025-12-30"))
        #expect(sixMonths.kinds == [.byRecentSchoolEnrolment])
        #expect(!sixMonths.maySubmit && sixMonths.maySee)
        // A shorter month: six months after August 31 is the last day of February.
        let august = try Self.ended("2025-08-31")
        #expect(StudentAssociation(enrolments: [august], createdOn: nil, today: try Self.day("2026-02-27")).maySubmit)
        #expect(!StudentAssociation(enrolments: [august], createdOn: nil, today: try Self.day("2026-02-28")).maySubmit)
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/by_recent_school_enrolment.html (12
    // months), by_current_school_enrolment.html ("not yet ended or has an Exit Date in the future";
    // deleted enrolments ignored), by_student_creation.html (until enrolled, at most 2 years).
    @Test("By Recent (12 months), By Current, By Student Creation (2 years, until enrolled); deleted enrolments ignored; Last ends with an enrolment elsewhere")
    func otherRules() throws {
        let today = try Self.day("2026-02-01")
        let enrolment = try Self.ended("2025-02-01")
        #expect(StudentAssociation(enrolments: [enrolment], createdOn: nil, today: try Self.day("2026-01-31")).kinds == [.byRecentSchoolEnrolment])
        #expect(StudentAssociation(enrolments: [enrolment], createdOn: nil, today: today).kinds.isEmpty, "12 months after the exit date: none")

        let current = StudentAssociation.Enrolment(isOrganizations: true, entryDate: try Self.day("2025-09-01"), exitDate: nil)
        let leavingToday = StudentAssociation.Enrolment(isOrganizations: true, entryDate: try Self.day("2025-09-01"), exitDate: today)
        #expect(StudentAssociation(enrolments: [current], createdOn: nil, today: today).kinds == [.byCurrentSchoolEnrolment])
        #expect(StudentAssociation(enrolments: [leavingToday], createdOn: nil, today: today).kinds == [.byCurrentSchoolEnrolment])
        var deleted = current
        deleted.isDeleted = true
        #expect(!StudentAssociation(enrolments: [deleted], createdOn: nil, today: today).maySee)
        let elsewhere = StudentAssociation.Enrolment(isOrganizations: false, entryDate: try Self.day("2025-09-01"), exitDate: nil)
        #expect(!StudentAssociation(enrolments: [elsewhere], createdOn: nil, today: today).maySee)

        let created = try Self.day("2024-02-01")
        #expect(StudentAssociation(enrolments: [], createdOn: created, today: try Self.day("2026-01-31")).kinds == [.byStudentCreation])
        #expect(StudentAssociation(enrolments: [], createdOn: created, today: today).kinds.isEmpty, "2 years after creation: none")
        #expect(StudentAssociation(enrolments: [deleted], createdOn: created, today: try Self.day("2025-01-01")).kinds == [.byStudentCreation])
        #expect(!StudentAssociation(enrolments: [elsewhere], createdOn: created, today: try Self.day("2025-01-01")).kinds.contains(.byStudentCreation),
                "enrolled at a school: the creation association ends")

        // Last: the most recently ended enrolment, and not since enrolled at another school.
        let recentOurs = try Self.ended("2025-12-15")
        #expect(StudentAssociation(enrolments: [recentOurs], createdOn: nil, today: today).kinds.contains(.byLastSchoolEnrolment))
        #expect(!StudentAssociation(enrolments: [recentOurs, elsewhere], createdOn: nil, today: today).kinds.contains(.byLastSchoolEnrolment))
        let laterElsewhere = try Self.ended("2026-01-15", ours: false)
        #expect(StudentAssociation(enrolments: [recentOurs, laterElsewhere], createdOn: nil, today: today).kinds == [.byRecentSchoolEnrolment])
    }

    /// The first student (by ASN) currently enrolled in one of the district's schools.
    static func enrolledStudent(_ province: Province, except: String? = nil) async -> Student? {
        var candidates: [Student] = []
        for student in await province.all(Student.self) where student.recordID != except {
            if await province.association(of: student.recordID).kinds.contains(.byCurrentSchoolEnrolment) { candidates.append(student) }
        }
        return candidates.min { $0.recordID < $1.recordID }
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/is_data_available.html: the feed
    // carries the records "for the student with the identified associations to the organization";
    // https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/b17437c6-163c-eb81-e988-5ccc3f34197f.htm:
    // NoAccess "does not have access to the requested student".
    @Test("a student outside every association leaves the feed and PASI's hash list, its Get and its enrolments' answer No Access; enrolled again, it is announced again")
    func outsideEveryAssociation() async throws {
        try await SimulatorFixture.with { fixture in
            let province = fixture.province
            #expect(await province.unassociatedStudents.isEmpty, "the synthetic district's students are all associated")
            let studentType = try NotificationType(.student)
            let student = try #require(await Self.enrolledStudent(province))
            let asn = student.recordID
            let held = try await fixture.client.followFeed(studentType, after: 0) { _ in }
            let listed = try await fixture.client.isDataAvailable([.init(studentType, after: 0, hash: "0")], wait: .zero)
            #expect(listed.first?.item.contains { $0.id == asn } == true)

            // Enrolled only in the district, the last enrolment ended 13½ months before PASI's date (2026-02-01).
            let left = try await RawRequest.post(to: "https://127.0.0.1:\(fixture.port)/admin/leave?asn=\(asn)&exitDate=2024-12-15", body: [])
            #expect(left.status == 200 && left.body.contains("associations: none"), "\(left.body)")
            #expect(await province.unassociatedStudents == [asn])
            #expect(try await RawRequest.post(to: "https://127.0.0.1:\(fixture.port)/admin/leave?asn=\(asn)", body: []).status == 400)
            let enrolments = await province.all(SchoolEnrolment.self).filter { $0.asn.digits == asn }
            try #require(!enrolments.isEmpty)
            let enrolmentType = try NotificationType(.studentSchoolEnrolment, year: SchoolYear(endYear: 2025))
            var feed = try await fixture.client.isDataAvailable([.init(studentType, after: 0), .init(enrolmentType, after: 0)], wait: .zero)
            feed += try await fixture.client.isDataAvailable([.init(studentType, after: 0, hash: "0")], wait: .zero)
            #expect(feed.count == 3)
            #expect(feed.allSatisfy { answer in !answer.item.contains { $0.id == asn || enrolments.map(\.recordID).contains($0.id) } },
                    "neither the student nor its enrolments, in the feed or the hash list")
            #expect(try await fixture.client.isDataAvailable([.init(studentType, after: 0, hash: await province.hash(of: studentType))], wait: .zero)
                .first?.hashMatched == true, "PASI's hash is of what the caller may see")
            let got = try await fixture.client.getStudents([student.asn])
            #expect(got.first?.availabilityStatus == .noAccess && got.first?.record == nil)
            let gotEnrolments = try await fixture.client.getSchoolEnrolments(enrolments.map(\.refId))
            #expect(gotEnrolments.allSatisfy { $0.availabilityStatus == .noAccess && $0.record == nil })
            let status = try await fixture.client.getStatuses(Student.self, [.init(asn, knownSourceVersion: 0)])
            #expect(status.first?.status.availabilityStatus == .noAccess)

            // A current enrolment again: the student and its records come back under new versions.
            var again = try #require(enrolments.first)
            again.exitDate = nil
            await province.change(again)
            #expect(await province.unassociatedStudents.isEmpty)
            let announced = try await fixture.client.isDataAvailable([.init(studentType, after: held)], wait: .zero)
            #expect(announced.first?.item.map(\.id) == [asn])
            #expect(try await fixture.client.getStudents([student.asn]).first?.availabilityStatus == .normal)
        }
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_9010.html: "Access Denied. You do
    // not have access to ASN {StateProvinceId}."; by_recent_school_enrolment.html: the student is still
    // seen for 12 months.
    @Test("a student whose last enrolment ended 7 months ago is seen (By Recent School Enrolment) but its submit is refused by rule 9010")
    func submitRefused9010() async throws {
        try await SimulatorFixture.with { fixture in
            let province = fixture.province
            let student = try #require(await Self.enrolledStudent(province))
            let asn = student.recordID
            #expect(try await province.endEnrolments(ofStudent: asn, on: Self.day("2025-06-30")).kinds == [.byRecentSchoolEnrolment])
            let got = try #require(try await fixture.client.getStudents([student.asn]).first?.record)

            // A K-12 client changes the gender with Submit Student Gender (submit_student_gender.html).
            let gender = StudentAspectRequest(asn: got.asn, pasiCoreVersion: got.pasiCoreVersion, change: .gender(got.gender == .female ? .male : .female))
            let refused = await coreError { _ = try await fixture.client.submitStudentAspect(gender) }
            #expect(refused?.category == .rejection)
            #expect(refused?.faultCode == 9010)
            #expect(refused?.rejections.first?.message == "Access Denied. You do not have access to ASN \(asn).")
            #expect(await province.record(Student.self, id: asn)?.gender == got.gender, "not saved")

            // Another student, still currently enrolled, is changed as before.
            let other = try #require(await Self.enrolledStudent(province, except: asn))
            let otherGender = StudentAspectRequest(asn: other.asn, pasiCoreVersion: other.pasiCoreVersion, change: .gender(other.gender == .female ? .male : .female))
            #expect(try await fixture.client.submitStudentAspect(otherGender).rejection.isEmpty)
        }
    }
}
