import DistrictSynthesis
import Logging
import Foundation
import PASIContract
import PASICore
import PASIModel
import PASISimulator
import PasisyncTesting
import Testing

/// The client against the running simulator over real HTTPS with client certificates.
@Suite("PASI Core client and simulator: the operations")
struct ClientOperationTests {
    @Test("Get services return the province's students, enrolments, schools, authorities and courses")
    func getServices() async throws {
        try await SimulatorFixture.with { fixture in
            let students = await fixture.province.all(Student.self).sorted { $0.asn < $1.asn }
            let wanted = Array(students.prefix(100))
            let got = try await fixture.client.getStudents(wanted.map(\.asn))
            #expect(got.count == 100)
            #expect(got.map(\.record) == wanted.map { Optional($0) })
            #expect(got.allSatisfy { $0.availabilityStatus == .normal })

            let enrolment = try #require(await fixture.province.all(SchoolEnrolment.self).first)
            let enrolments = try await fixture.client.getSchoolEnrolments([enrolment.refId])
            #expect(enrolments.first?.record == enrolment)

            let schools = try await fixture.client.get(School.self, ids: ["0000", enrolment.schoolCode.description])
            #expect(schools[0].availabilityStatus == .unknown && schools[0].record == nil)
            #expect(schools[1].record?.code == enrolment.schoolCode)
            let authority = try await fixture.client.get(SchoolAuthority.self, ids: [fixture.generator.authorityCode.number.description])
            #expect(authority.first?.record?.code == fixture.generator.authorityCode.number)
            let course = try #require(await fixture.province.all(Course.self).first)
            #expect(try await fixture.client.get(Course.self, ids: [course.code]).first?.record == course)
        }
    }

    @Test("an expected version that matches returns the record, a mismatch returns nothing")
    func expectedVersion() async throws {
        try await SimulatorFixture.with { fixture in
            let student = try #require(await fixture.province.all(Student.self).first)
            let id = student.recordID
            let matching = try await fixture.client.get(Student.self, [.init(id, expectedVersion: student.pasiCoreVersion)])
            #expect(matching.first?.record == student)
            let stale = try await fixture.client.get(Student.self, [.init(id, expectedVersion: student.pasiCoreVersion + 1)])
            #expect(stale.first?.record == nil)
            #expect(stale.first?.pasiCoreVersion == student.pasiCoreVersion)
        }
    }

    @Test("submits of every submittable kind create records that the Get services then return")
    func submitsAndGets() async throws {
        try await SimulatorFixture.with { fixture in
            let enrolment = try #require(await fixture.province.all(SchoolEnrolment.self).first { $0.schoolYear == fixture.generator.currentSchoolYear })
            let year = enrolment.schoolYear
            let section = try Section(refId: .random(), schoolCode: enrolment.schoolCode, schoolYear: year, courseCode: "MAT1791", termCode: "S1")
            let courseEnrolment = try CourseEnrolment(
                refId: .random(), asn: enrolment.asn, sectionRefId: section.refId, schoolCode: enrolment.schoolCode, schoolYear: year,
                courseCode: "MAT1791", entryDate: enrolment.entryDate, status: "Active")
            let mark = try EvaluatedMark(
                refId: .random(), asn: enrolment.asn, schoolCode: enrolment.schoolCode, schoolYear: year, courseCode: "MAT1791",
                markValue: 87, isMarkValueApproved: true, evaluationMethod: "Course", evaluationDate: enrolment.entryDate,
                isFundingRequested: false)
            let document = try StudentRecordDocument(refId: .random(), asn: enrolment.asn, documentType: "IPP", title: "Plan")
            let accommodation = try ClassroomAccommodation(refId: .random(), asn: enrolment.asn, schoolYear: year, accommodationCode: "EXT", comment: "Extra time")

            let sectionVersion = try await fixture.client.save(section).pasiCoreVersion
            #expect(sectionVersion > 0)
            #expect(try await fixture.client.get(Section.self, ids: [section.recordID]).first?.record?.courseCode == "MAT1791")
            _ = try await fixture.client.save(courseEnrolment)
            #expect(try await fixture.client.get(CourseEnrolment.self, ids: [courseEnrolment.recordID]).first?.record?.sectionRefId == section.refId)
            _ = try await fixture.client.save(mark)
            #expect(try await fixture.client.get(EvaluatedMark.self, ids: [mark.recordID]).first?.record?.markValue == 87)
            _ = try await fixture.client.save(document)
            #expect(try await fixture.client.get(StudentRecordDocument.self, ids: [document.recordID]).first?.record?.title == "Plan")
            _ = try await fixture.client.save(accommodation)
            #expect(try await fixture.client.get(ClassroomAccommodation.self, ids: [accommodation.recordID]).first?.record != nil)

            // Updating sends the current version; the answer carries the next.
            var changed = enrolment
            changed.exitDate = try PASIDate("2026-06-26")
            let updated = try await fixture.client.save(changed)
            #expect(updated.pasiCoreVersion > enrolment.pasiCoreVersion)
            #expect(try await fixture.client.getSchoolEnrolments([enrolment.refId]).first?.record?.exitDate == changed.exitDate)

            // Delete and undelete, each at the current version.
            let deleted = try await fixture.client.delete(Section.self, id: section.recordID, version: sectionVersion)
            #expect(try await fixture.client.get(Section.self, ids: [section.recordID]).first?.isDeleted == true)
            _ = try await fixture.client.undelete(Section.self, id: section.recordID, version: deleted.pasiCoreVersion)
            #expect(try await fixture.client.get(Section.self, ids: [section.recordID]).first?.isDeleted == false)
        }
    }

    @Test("diploma exams, sittings and marks PASI holds are served")
    func diplomaExams() async throws {
        try await SimulatorFixture.with { fixture in
            let year = fixture.generator.currentSchoolYear
            let asn = try #require(await fixture.province.all(Student.self).first).asn
            let exam = try DiplomaExam(refId: .random(), courseCode: "ELA3000", schoolYear: year, examPeriod: "June")
            let sitting = try DiplomaExamSitting(refId: .random(), examRefId: exam.refId, schoolYear: year, sittingDate: PASIDate("2026-06-15"), writingCentre: "0001")
            let mark = try DiplomaExamMark(refId: .random(), asn: asn, courseCode: "ELA3000", schoolYear: year, sittingRefId: sitting.refId, examMark: 74)
            await fixture.province.change(exam)
            await fixture.province.change(sitting)
            await fixture.province.change(mark)
            let feed = try await fixture.client.isDataAvailable(
                [.init(try NotificationType(.diplomaExamMark, year: year))], wait: .zero)
            // The synthetic district's own marks come first; the one just changed is the newest.
            #expect(feed.first?.item.last?.id == mark.recordID)
            #expect(try await fixture.client.get(DiplomaExam.self, ids: [exam.recordID]).first?.record?.examPeriod == "June")
            #expect(try await fixture.client.get(DiplomaExamSitting.self, ids: [sitting.recordID]).first?.record?.examRefId == exam.refId)
            #expect(try await fixture.client.get(DiplomaExamMark.self, ids: [mark.recordID]).first?.record?.examMark == 74)
        }
    }

    @Test("statuses: a raised core alert is served, unchanged statuses come back empty, acknowledgement matches on code and arguments")
    func statusesAndAcknowledgement() async throws {
        try await SimulatorFixture.with { fixture in
            let enrolment = try #require(await fixture.province.all(SchoolEnrolment.self).first)
            let arguments = AlertArguments(["FieldName": "Grade", "Expected": "10"])
            let alert = StatusAlert(alertCode: "ENR-0042", severity: .warning, message: "Grade differs", arguments: arguments)
            let version = try #require(await fixture.province.raise(alert, on: .schoolEnrolment, id: enrolment.recordID))

            let statuses = try await fixture.client.getStatuses(SchoolEnrolment.self, [.init(enrolment.recordID)])
            #expect(statuses.first?.status.pasiCoreVersion == version)
            #expect(statuses.first?.status.alert.map(\.alertCode) == ["ENR-0042"])
            // The status's own version expected: it comes back; without a known source version, no source record.
            let expected = try await fixture.client.getStatuses(SchoolEnrolment.self, [.init(enrolment.recordID, expectedVersion: version)])
            #expect(expected.first?.status.alert.count == 1 && expected.first?.sourceRecord == nil)

            // Same arguments in another order match; different arguments do not.
            let reordered = try AlertArguments([(key: "Expected", value: "10"), (key: "FieldName", value: "Grade")])
            let acknowledged = try await fixture.client.acknowledge(
                .schoolEnrolment, id: enrolment.recordID, alertCode: "ENR-0042", arguments: reordered, status: .acknowledged)
            #expect(acknowledged.pasiCoreVersion > version)
            let after = try await fixture.client.getStatuses(SchoolEnrolment.self, [.init(enrolment.recordID)])
            #expect(after.first?.status.alert.first?.acknowledgementStatus == .acknowledged)
            let miss = await coreError {
                _ = try await fixture.client.acknowledge(
                    .schoolEnrolment, id: enrolment.recordID, alertCode: "ENR-0042", arguments: AlertArguments(["FieldName": "Gender"]),
                    status: .acknowledged)
            }
            // No such alert on the status: rule 9006 Invalid Reference ID, the project's choice
            // (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_9006.html; docs/pasi-protocol.md).
            #expect(miss?.category == .rejection)
            #expect(miss?.faultCode == PASIRule.invalidReferenceID.rawValue)
            #expect(miss?.rejections.first?.isRecordNotFound == true)
        }
    }

    @Test("code values since a version, accepted school years, and IdentifyStudent's match quality")
    func referenceAndIdentify() async throws {
        try await SimulatorFixture.with { fixture in
            let all = try await fixture.client.getCodeValues(since: 0)
            #expect(all.codeValue.count == Int(all.version))
            #expect(all.codeValue.contains { $0.table == "Grade" && $0.code == "12" })
            #expect(try await fixture.client.getCodeValues(since: all.version).codeValue.isEmpty)
            let current = fixture.generator.currentSchoolYear
            #expect(all.acceptedSchoolYear.map(\.schoolYear.endYear) == [current.endYear - 2, current.endYear - 1, current.endYear, current.endYear + 1])
            #expect(all.acceptedSchoolYear.first { $0.status == .current }?.schoolYear == current)

            let student = try #require(await fixture.province.all(Student.self).first)
            let name = try #require(student.legalName)
            let high = try await fixture.client.identifyStudent(lastName: name.lastName, firstName: name.firstName, birthDate: student.birthDate, gender: nil)
            #expect(high.first { $0.asn == student.asn }?.matchQuality == .high)
            let medium = try await fixture.client.identifyStudent(lastName: name.lastName, firstName: nil, birthDate: student.birthDate, gender: nil)
            #expect(medium.first { $0.asn == student.asn }?.matchQuality == .medium)
            let wrongBirth = try PASIDate(year: 1950, month: 1, day: 1)
            let low = try await fixture.client.identifyStudent(lastName: name.lastName, firstName: name.firstName, birthDate: wrongBirth, gender: nil)
            #expect(low.first { $0.asn == student.asn }?.matchQuality == .low)
        }
    }
}
