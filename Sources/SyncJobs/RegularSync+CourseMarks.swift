import Foundation
import PASIContract
import PASICore
import PASIModel
import SyncStore

/// School course marks in Regular Synchronization: the sections, course enrolments and evaluated
/// marks of Active schools (the event triggers write events only for those, and none for a term
/// that excludes events), planned as the students and enrolments are (``Submission``) and sent in
/// lists of their kind (``CourseMarkLists``), built by the Initial Upload's mapping under the RefIds
/// it chose, so an uploaded row edited later is an update of the same PASI record.
extension RegularSyncRoundPlan {
    func planSection(_ change: RecordChange, _ input: RoundInput) -> Plan {
        let marks = input.courseMarks
        guard marks.settings.sections else { return .done(.skipped(change, reason: "Section Synchronization is off")) }
        guard let id = Int(change.key) else { return .done(.skipped(change, reason: "\(change.key) is not a section id")) }
        let state = marks.refIds[.section]?[id]
        let base = state.flatMap { marks.pasiSections[$0.refId.value] }
        guard !change.isDeleted, let row = marks.sections[id] else {
            return deletion(change, what: "section \(id)", statusType: .section, state: state, base: base, input)
        }
        let context = AlertContext(statusType: .section, what: "section \(id)", refId: state?.refId.value,
                                   schoolCode: try? OrganizationNumber(row.schoolCode), schoolYear: try? SchoolYear(sisStartYear: row.sisStartYear))
        if let skip = marks.settings.yearSkip(row.sisStartYear) { return .done(.skipped(change, reason: skip)) }
        guard let state else { return .done(.skipped(change, reason: "no RefId could be chosen for section \(id)")) }
        let record: Section
        do {
            record = try CourseMarkSubmission.section(row, refId: state.refId, base: base)
        } catch {
            return .done(.rejected(change, alert: context.alert(.rejection, code: RegularSyncAlerts.rejected, message: "not sent: \(error)")))
        }
        return saving(change, record, state: state, base: base, context: context, input) { current throws in
            try CourseMarkSubmission.section(row, refId: state.refId, base: current)
        }
    }

    func planCourseEnrolment(_ change: RecordChange, _ input: RoundInput) -> Plan {
        let marks = input.courseMarks
        guard marks.settings.courseEnrolments else { return .done(.skipped(change, reason: "Course Enrolment Synchronization is off")) }
        guard let id = Int(change.key) else { return .done(.skipped(change, reason: "\(change.key) is not a course enrolment id")) }
        let state = marks.refIds[.courseEnrolment]?[id]
        let base = state.flatMap { marks.pasiCourseEnrolments[$0.refId.value] }
        guard !change.isDeleted, let row = marks.courseEnrolments[id] else {
            return deletion(change, what: "course enrolment \(id)", statusType: .courseEnrolment, state: state, base: base, input)
        }
        let context = AlertContext(statusType: .courseEnrolment, what: "course enrolment \(id)",
                                   asn: row.asn.flatMap { try? ASN($0, checkDigit: .ignored) }, refId: state?.refId.value,
                                   schoolCode: try? OrganizationNumber(row.schoolCode), schoolYear: try? SchoolYear(sisStartYear: row.sisStartYear))
        if let skip = marks.settings.yearSkip(row.sisStartYear) { return .done(.skipped(change, reason: skip)) }
        guard let state else { return .done(.skipped(change, reason: "no RefId could be chosen for course enrolment \(id)")) }
        guard let section = marks.acceptedSections[row.sectionID] else {
            // A section added in the same burst goes first: its enrolments wait for PASI's answer.
            if marks.changingSections.contains(row.sectionID) {
                let attempts = max(input.attempts[change.subject] ?? 0, 1)
                return .done(.retry(change, attempts: attempts, retryAt: now.addingTimeInterval(2),
                                    error: "waiting for section \(row.sectionID) to reach PASI first"))
            }
            return .done(.rejected(change, alert: context.alert(.rejection, code: RegularSyncAlerts.rejected, message:
                "not sent: its section \(row.sectionID) is not in PASI: run the Sections Initial Upload of school \(row.schoolCode) "
                    + "(pasisync run initial-upload --school \(row.schoolCode) --type sections) or change the section, then change the course enrolment again")))
        }
        let record: CourseEnrolment
        do {
            record = try CourseMarkSubmission.courseEnrolment(row, refId: state.refId, sectionRefId: section, base: base)
        } catch {
            return .done(.rejected(change, alert: context.alert(.rejection, code: RegularSyncAlerts.rejected, message: "not sent: \(error)")))
        }
        return saving(change, record, state: state, base: base, context: context, input) { current throws in
            try CourseMarkSubmission.courseEnrolment(row, refId: state.refId, sectionRefId: section, base: current)
        }
    }

    func planEvaluatedMark(_ change: RecordChange, _ input: RoundInput) -> Plan {
        let marks = input.courseMarks
        guard marks.settings.evaluatedMarks else { return .done(.skipped(change, reason: "Evaluated Mark Synchronization is off")) }
        guard let id = Int(change.key) else { return .done(.skipped(change, reason: "\(change.key) is not a stored grade id")) }
        let state = marks.refIds[.evaluatedMark]?[id]
        let base = state.flatMap { marks.pasiMarks[$0.refId.value] }
        guard !change.isDeleted, let row = marks.storedGrades[id] else {
            return deletion(change, what: "stored grade \(id)", statusType: .evaluatedMark, state: state, base: base, input)
        }
        guard marks.finalMarks.contains(id) else {
            return .done(.skipped(change, reason: "stored grade \(id) is not a final mark: its store code is not its section's term's Final Mark Store Code, and only final marks are evaluated marks in PASI"))
        }
        let context = AlertContext(statusType: .evaluatedMark, what: "stored grade \(id)",
                                   asn: row.asn.flatMap { try? ASN($0, checkDigit: .ignored) }, refId: state?.refId.value,
                                   schoolCode: try? OrganizationNumber(row.schoolCode), schoolYear: try? SchoolYear(sisStartYear: row.sisStartYear))
        if let skip = marks.settings.yearSkip(row.sisStartYear) { return .done(.skipped(change, reason: skip)) }
        guard let state else { return .done(.skipped(change, reason: "no RefId could be chosen for stored grade \(id)")) }
        let record: EvaluatedMark
        do {
            record = try CourseMarkSubmission.evaluatedMark(row, refId: state.refId, base: base)
        } catch {
            return .done(.rejected(change, alert: context.alert(.rejection, code: RegularSyncAlerts.rejected, message: "not sent: \(error)")))
        }
        return saving(change, record, state: state, base: base, context: context, input) { current throws in
            try CourseMarkSubmission.evaluatedMark(row, refId: state.refId, base: current)
        }
    }

    /// The save of a course marks record, on the version of the local store's copy (or the one
    /// the Initial Upload noted), unless PASI already holds exactly it.
    private func saving<R: PASIRecord>(_ change: RecordChange, _ record: R, state: UploadRecordState, base: R?, context: AlertContext,
                                       _ input: RoundInput, rebuild: @escaping @Sendable (R) throws -> R) -> Plan {
        if let base, CourseMarkSubmission.same(record, base) {
            return .done(.sent(change, Accepted(version: base.pasiCoreVersion, detail: "nothing PASI holds changed")))
        }
        return submitting(Submission(
            change: change, action: .save, id: state.refId.value, version: base?.pasiCoreVersion ?? state.pasiVersion ?? 0,
            record: record, context: context, same: CourseMarkSubmission.same, rebuild: rebuild), input)
    }

    /// A row deleted from the SIS is deleted in PASI, when PASI got it.
    private func deletion<R: PASIRecord>(_ change: RecordChange, what: String, statusType: StatusType, state: UploadRecordState?,
                                         base: R?, _ input: RoundInput) -> Plan {
        guard let state, base != nil || state.pasiVersion != nil else {
            return .done(.skipped(change, reason: "the \(what) was deleted from the SIS before it reached PASI"))
        }
        let context = AlertContext(statusType: statusType, what: what, refId: state.refId.value)
        return submitting(Submission<R>(
            change: change, action: .delete, id: state.refId.value, version: base?.pasiCoreVersion ?? state.pasiVersion ?? 0,
            record: nil, context: context, same: CourseMarkSubmission.same, rebuild: { $0 }), input)
    }
}

/// The School Course Marks Items settings a round's course marks changes read.
struct CourseMarkSettings: Sendable {
    var sections = false
    var courseEnrolments = false
    var evaluatedMarks = false
    var currentYear: SchoolYear?
    var historicalYears = 0
    /// The Demographic and Enrolment Items switches of classroom accommodations, read with these.
    var classroomAccommodationEvents = true
    var classroomAccommodations = true

    static func read(_ store: SettingsStore) async throws -> CourseMarkSettings {
        var out = CourseMarkSettings()
        for setting in try await store.all() {
            switch (setting.definition.key, setting.value) {
            case (.sectionSynchronization, .bool(let on)): out.sections = on
            case (.courseEnrolmentSynchronization, .bool(let on)): out.courseEnrolments = on
            case (.evaluatedMarkSynchronization, .bool(let on)): out.evaluatedMarks = on
            case (.currentSchoolYear, .schoolYear(let year)): out.currentYear = year
            case (.historicalYearsSchoolCourseMarks, .integer(let years)): out.historicalYears = years
            case (.classroomAccommodationDCFEvents, .bool(let on)): out.classroomAccommodationEvents = on
            case (.classroomAccommodationSynchronization, .bool(let on)): out.classroomAccommodations = on
            default: break
            }
        }
        return out
    }

    /// Why a row of the SIS school year starting in `sisStartYear` is not sent, or `nil`: the
    /// historical years, the current one and any later are synchronized.
    func yearSkip(_ sisStartYear: Int) -> String? {
        guard let currentYear, sisStartYear + 1 < currentYear.endYear - historicalYears else { return nil }
        return "school year \(sisStartYear)/\(sisStartYear + 1) is before the synchronization years (Historical Years for School Course Marks Integration)"
    }
}

/// The SIS rows, RefIds and local store copies a round's course marks changes need, read in a
/// few queries, and only for the types whose synchronization is on.
struct CourseMarkInput: Sendable {
    static let tables: Set<String> = ["sis.sections", "sis.course_enrolments", "sis.stored_grades"]

    /// Why a change of `sis.courses` is not sent (docs/regular-sync.md, "Course information"): a
    /// Course is PASI's provincial record, not the authority's to submit; what PASI holds of a
    /// course for a school (its code in sections, course enrolments and marks, a section's
    /// credits) goes with those records, whatever the school's status would be for them.
    static let courseNotSent = "a course is PASI's provincial record (Course Synchronization is one way, from PASI to the SIS): "
        + "a course changed in the SIS is not submitted; its code and credits reach PASI with the sections, course enrolments "
        + "and evaluated marks that name it"

    var settings = CourseMarkSettings()
    var sections: [Int: UploadSection] = [:]
    var courseEnrolments: [Int: UploadCourseEnrolment] = [:]
    var storedGrades: [Int: UploadStoredGrade] = [:]
    var finalMarks: Set<Int> = []
    /// The RefIds of the rows, by PASI's record type and SIS id.
    var refIds: [RecordType: [Int: UploadRecordState]] = [:]
    /// The RefIds of the sections PASI accepted, for the course enrolments.
    var acceptedSections: [Int: RefId] = [:]
    /// The sections changed in this round (their course enrolments wait for them).
    var changingSections: Set<Int> = []
    var pasiSections: [String: Section] = [:]
    var pasiCourseEnrolments: [String: CourseEnrolment] = [:]
    var pasiMarks: [String: EvaluatedMark] = [:]

    static func load(_ changes: [RecordChange], environment: SyncEnvironment) async throws -> CourseMarkInput {
        var input = CourseMarkInput()
        guard changes.contains(where: { tables.contains($0.table) || $0.table == "sis.classroom_accommodations" }) else { return input }
        input.settings = try await CourseMarkSettings.read(environment.settings)
        func ids(_ table: String) -> [Int] { changes.filter { $0.table == table }.compactMap { Int($0.key) } }
        let uploads = InitialUploadStore(client: environment.client, logger: environment.logger)
        let store = environment.pasiStore
        if input.settings.sections {
            let wanted = ids("sis.sections")
            input.changingSections = Set(wanted)
            for row in try await uploads.sections(schoolCode: nil, ids: wanted) { input.sections[row.id] = row }
            input.refIds[.section] = try await refIds(.section, wanted, schools: input.sections.mapValues(\.schoolCode), uploads)
            for section in try await store.sections(refIds: input.refIds[.section, default: [:]].values.map(\.refId)) {
                input.pasiSections[section.refId.value] = section
            }
        }
        if input.settings.courseEnrolments {
            let wanted = ids("sis.course_enrolments")
            for row in try await uploads.courseEnrolments(schoolCode: nil, ids: wanted) { input.courseEnrolments[row.id] = row }
            input.refIds[.courseEnrolment] = try await refIds(.courseEnrolment, wanted, schools: input.courseEnrolments.mapValues(\.schoolCode), uploads)
            input.acceptedSections = try await uploads.acceptedSectionRefIds(sectionIDs: Array(Set(input.courseEnrolments.values.map(\.sectionID))))
            for enrolment in try await store.courseEnrolments(refIds: input.refIds[.courseEnrolment, default: [:]].values.map(\.refId)) {
                input.pasiCourseEnrolments[enrolment.refId.value] = enrolment
            }
        }
        if input.settings.evaluatedMarks {
            let wanted = ids("sis.stored_grades")
            input.finalMarks = try await uploads.finalMarkIDs(wanted)
            for row in try await uploads.storedGrades(schoolCode: nil, ids: wanted) { input.storedGrades[row.id] = row }
            let final = input.storedGrades.filter { input.finalMarks.contains($0.key) }
            input.refIds[.evaluatedMark] = try await refIds(.evaluatedMark, wanted.filter { final[$0] != nil || input.storedGrades[$0] == nil },
                                                            schools: final.mapValues(\.schoolCode), uploads)
            for mark in try await store.evaluatedMarks(refIds: input.refIds[.evaluatedMark, default: [:]].values.map(\.refId)) {
                input.pasiMarks[mark.refId.value] = mark
            }
        }
        return input
    }

    /// The RefIds of these rows: chosen (and kept) for the rows still in the SIS, by school, as
    /// the Initial Upload chooses them; only read for the deleted ones.
    private static func refIds(_ type: RecordType, _ ids: [Int], schools: [Int: String], _ uploads: InitialUploadStore) async throws -> [Int: UploadRecordState] {
        var out = try await uploads.existingRecords(type, ids: ids.filter { schools[$0] == nil })
        for (school, rows) in Dictionary(grouping: ids.filter { schools[$0] != nil }, by: { schools[$0]! }) {
            out.merge(try await uploads.records(type, ids: rows, schoolCode: school, jobID: nil)) { $1 }
        }
        return out
    }
}

/// A round's sections, course enrolments or evaluated marks sent as one list submit
/// (`SubmitSection`, `SubmitCourseEnrolment`, `SubmitEvaluatedMark`, answered by a
/// `MultipleSubmitResponse`: https://extranet.education.alberta.ca/pasidevnet/Docs/Business/submit_section.html,
/// "Each Section on the request will be processed individually"). Each record's answer is sorted by
/// its own ``Submission`` as a single submit's is: a refused record is that record's Rejection
/// alone, a stale one its Conflict; a failure of the whole call is every record's failure.
struct CourseMarkLists<R: PASIRecord>: Sendable {
    /// At most this many records a list; the client halves a list over PASI's 65,536 bytes.
    static var size: Int { 100 }

    let submissions: [Submission<R>]

    func send(_ pasi: any PASICoreService, settings: RegularSyncSettings) async -> [OutboundOutcome] {
        let results: [Result<SubmitResponse, PASICoreError>]
        do {
            results = try await pasi.submitList(submissions.map(\.item))
        } catch {
            results = Array(repeating: .failure(error), count: submissions.count)
        }
        var outcomes: [OutboundOutcome] = []
        for (submission, result) in zip(submissions, results) {
            outcomes.append(await submission.answered(result, pasi, settings: settings))
        }
        return outcomes
    }
}

/// A list of one kind, whatever the kind.
protocol SubmitList: Sendable {
    func send(_ pasi: any PASICoreService, settings: RegularSyncSettings) async -> [OutboundOutcome]
}

extension CourseMarkLists: SubmitList {}

/// How a round's submissions are grouped for sending.
enum CourseMarkListing {
    /// The round's course-mark submissions in lists of ``CourseMarkLists/size`` per kind, and the others.
    static func split(_ submissions: [any RoundSubmission]) -> (lists: [any SubmitList], single: [any RoundSubmission]) {
        var sections: [Submission<Section>] = []
        var enrolments: [Submission<CourseEnrolment>] = []
        var marks: [Submission<EvaluatedMark>] = []
        var single: [any RoundSubmission] = []
        for submission in submissions {
            switch submission {
            case let section as Submission<Section>: sections.append(section)
            case let enrolment as Submission<CourseEnrolment>: enrolments.append(enrolment)
            case let mark as Submission<EvaluatedMark>: marks.append(mark)
            default: single.append(submission)
            }
        }
        var lists: [any SubmitList] = chunks(sections).map { CourseMarkLists<Section>(submissions: $0) }
        lists += chunks(enrolments).map { CourseMarkLists<CourseEnrolment>(submissions: $0) }
        lists += chunks(marks).map { CourseMarkLists<EvaluatedMark>(submissions: $0) }
        return (lists, single)
    }

    private static func chunks<T>(_ items: [T]) -> [[T]] {
        let size = CourseMarkLists<Section>.size
        return stride(from: 0, to: items.count, by: size).map { Array(items[$0..<min($0 + size, items.count)]) }
    }
}
