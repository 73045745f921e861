import PASIContract
import PASIModel
@testable import SyncJobs
import Testing

@Suite("PASI Data Available: one poll's plan, without PASI")
struct PASIDataAvailablePlanTests {
    static let year = try! SchoolYear(endYear: 2026)
    static let student = try! NotificationType(.student)
    static let studentStatus = try! NotificationType(.studentStatus)
    static let school = try! NotificationType(.school)
    static let enrolments = try! NotificationType(.studentSchoolEnrolment, year: year)
    static let accommodation = try! NotificationType(.classroomAccommodation)
    static let accommodationStatus = try! NotificationType(.classroomAccommodationStatus, year: year)
    static let course = try! NotificationType(.course)

    static let plan = PASIDataAvailablePlan(
        types: [(.student, student), (.studentStatus, studentStatus), (.school, school), (.studentEnrolment, enrolments)],
        accommodations: [accommodation, accommodationStatus])

    static func answer(_ type: NotificationType, _ items: [(String, Int64)]) -> IsDataAvailableResponse.Answer {
        IsDataAvailableResponse.Answer(notificationType: type, item: items.map { FeedItem(id: $0.0, version: $0.1) })
    }

    @Test("every followed type is asked about from its cursor, objects first, then the accommodation types")
    func queries() {
        #expect(Self.plan.followed == [Self.student, Self.studentStatus, Self.school, Self.enrolments, Self.accommodation,
                                       Self.accommodationStatus])
        let queries = Self.plan.queries(cursors: [Self.school: 7, Self.accommodationStatus: 3])
        #expect(queries.map(\.maxPASICoreVersion) == [0, 0, 7, 0, 0, 3])
        #expect(queries.allSatisfy { $0.pasiCoreVersionHash == nil })
    }

    @Test("PASI holds the poll for the Wait Time, except while catching up")
    func wait() {
        #expect(PASIDataAvailablePlan.wait(catchingUp: true, waitMinutes: 5) == .zero)
        #expect(PASIDataAvailablePlan.wait(catchingUp: false, waitMinutes: 5) == .seconds(300))
    }

    @Test("each type with changes is one step, in the answers' order: records with their follow-up, statuses filed, accommodations stored")
    func steps() {
        let steps = Self.plan.steps(for: [
            Self.answer(Self.school, [("0042", 9)]),
            Self.answer(Self.student, [("a", 1), ("b", 2), ("a", 3)]),
            Self.answer(Self.enrolments, []),
            Self.answer(Self.studentStatus, [("a", 4)]),
            Self.answer(Self.accommodationStatus, [("r", 8)]),
            Self.answer(Self.accommodation, [("r", 6), ("s", 7)]),
            Self.answer(Self.course, [("MAT1791", 2)]),
        ])
        #expect(steps == [
            .storeRecords(Self.school, .school, .applySchools, ids: ["0042"], highest: 9),
            .storeRecords(Self.student, .student, .compareStudents, ids: ["b", "a"], highest: 3),
            .fileStatuses(Self.studentStatus, of: .student, statusType: .student, ids: ["a"], highest: 4),
            .fileStatuses(Self.accommodationStatus, of: .classroomAccommodation, statusType: .classroomAccommodation, ids: ["r"], highest: 8),
            .storeAccommodations(Self.accommodation, ids: ["r", "s"], highest: 7),
        ])
    }

    @Test("an enrolment's changes are stored and their students compared again")
    func enrolmentSteps() {
        #expect(Self.plan.steps(for: [Self.answer(Self.enrolments, [("e", 5)])])
                == [.storeRecords(Self.enrolments, .studentEnrolment, .compareEnrolmentStudents, ids: ["e"], highest: 5)])
    }

    @Test("accommodations not followed (their switch off) are left alone")
    func accommodationsOff() {
        let plan = PASIDataAvailablePlan(types: [(.student, Self.student)], accommodations: [])
        #expect(plan.steps(for: [Self.answer(Self.accommodation, [("r", 6)])]).isEmpty)
        #expect(plan.followed == [Self.student])
    }
}
