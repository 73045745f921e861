import PASIContract
public import PASIModel

/// The Student Associations the Knowledge Base documents between an organization and a student,
/// decided from the student's school enrolments and its creation, on a given day. Pure: the
/// province asks it with what it holds (``Province/isVisible(_:id:)``).
///
/// - By Current School Enrolment (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/by_current_school_enrolment.html):
///   an enrolment at one of the organization's schools "that has not yet ended or has an Exit Date
///   in the future".
/// - By Last School Enrolment (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/by_last_school_enrolment.html):
///   the most recently ended enrolment is at one of its schools, "the student has not yet been
///   enrolled in another Alberta school"; it "will expire 6 months after the Registration Exit Date".
/// - By Recent School Enrolment (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/by_recent_school_enrolment.html):
///   an ended enrolment at one of its schools, "for a period of 12 months after a student leaves".
/// - By Student Creation (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/by_student_creation.html):
///   the organization created the student; it "remains in place until the student becomes enrolled
///   at a school", at most "2 years following the date the student record was created".
///
/// Every one of them ignores deleted enrolments. Where the pages are silent (this project's
/// choices, `docs/pasi-protocol.md`): an enrolment has ended once its exit date is before today
/// (the exit date is the last day attended); an association that expires N months after a date
/// holds through the day before the same day of the month N months later (the month's last day
/// when it has no such day); Last ends when the student has a current enrolment at another school.
public struct StudentAssociation: Sendable, Hashable {
    /// One kind of association (the data contract's list also names By Ministry and By Exam
    /// Registration, which a school authority's client never has here).
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The organization created the student, which has no enrolment yet (2 years at most).
        case byStudentCreation = "By Student Creation"
        /// An enrolment at one of its schools not yet ended.
        case byCurrentSchoolEnrolment = "By Current School Enrolment"
        /// The student's most recently ended enrolment is at one of its schools (6 months).
        case byLastSchoolEnrolment = "By Last School Enrolment"
        /// An enrolment at one of its schools ended less than 12 months ago.
        case byRecentSchoolEnrolment = "By Recent School Enrolment"
    }

    /// One of the student's school enrolments, as the rules read it.
    public struct Enrolment: Sendable, Hashable {
        /// Whether the school is the organization's (the school, or one of the authority's schools).
        public var isOrganizations: Bool
        /// The Registration Start Date.
        public var entryDate: PASIDate
        /// The Registration Exit Date, if the enrolment has one.
        public var exitDate: PASIDate?
        /// Whether PASI holds it logically deleted (the rules ignore it then).
        public var isDeleted: Bool

        /// Creates one enrolment as the rules read it.
        public init(isOrganizations: Bool, entryDate: PASIDate, exitDate: PASIDate?, isDeleted: Bool = false) {
            (self.isOrganizations, self.entryDate, self.exitDate, self.isDeleted) = (isOrganizations, entryDate, exitDate, isDeleted)
        }

        func hasEnded(by today: PASIDate) -> Bool { exitDate.map { $0 < today } ?? false }
    }

    /// The associations that hold.
    public let kinds: Set<Kind>

    /// Decides the associations on `today`.
    /// - Parameters:
    ///   - enrolments: The student's school enrolments, at any school, deleted ones included.
    ///   - createdOn: The day the organization created the student, if it did.
    ///   - today: The day to judge on.
    public init(enrolments: [Enrolment], createdOn: PASIDate?, today: PASIDate) {
        let live = enrolments.filter { !$0.isDeleted }
        var kinds: Set<Kind> = []
        if let createdOn, live.isEmpty, today < Self.adding(months: 24, to: createdOn) { kinds.insert(.byStudentCreation) }
        if live.contains(where: { $0.isOrganizations && !$0.hasEnded(by: today) }) { kinds.insert(.byCurrentSchoolEnrolment) }
        let ended = live.filter { $0.hasEnded(by: today) }
        if ended.contains(where: { $0.isOrganizations && today < Self.adding(months: 12, to: $0.exitDate!) }) {
            kinds.insert(.byRecentSchoolEnrolment)
        }
        let enrolledElsewhere = live.contains { !$0.isOrganizations && !$0.hasEnded(by: today) }
        if !enrolledElsewhere, let lastExit = ended.compactMap(\.exitDate).max(),
           ended.contains(where: { $0.isOrganizations && $0.exitDate == lastExit }),
           today < Self.adding(months: 6, to: lastExit) {
            kinds.insert(.byLastSchoolEnrolment)
        }
        self.kinds = kinds
    }

    /// Whether the organization may see the student and the records that hang off it: Gets and
    /// status Gets answer Normal, the change feed and PASI's hash list carry them. Any association
    /// does (this project's choice: the Availability Status page names No Access for an
    /// organization that "does not have access to the requested student", and By Recent School
    /// Enrolment is the one documented for reading, e.g. transcript details).
    public var maySee: Bool { !kinds.isEmpty }

    /// Whether the organization may change the student: rule 9010
    /// (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_9010.html) asks for
    /// By Ministry, By Current School Enrolment, By Last School Enrolment, or By Student Creation
    /// "and the student has no enrolments"; By Recent School Enrolment is not enough.
    public var maySubmit: Bool { !kinds.isDisjoint(with: [.byStudentCreation, .byCurrentSchoolEnrolment, .byLastSchoolEnrolment]) }

    /// `date` moved by `months`, its day kept or, where the month is shorter, the month's last day.
    static func adding(months: Int, to date: PASIDate) -> PASIDate {
        let index = date.year * 12 + (date.month - 1) + months
        let (year, month) = (index / 12, index % 12 + 1)
        for day in stride(from: date.day, through: 1, by: -1) {
            if let moved = try? PASIDate(year: year, month: month, day: day) { return moved }
        }
        return date
    }
}

/// A record that hangs off one student: its association decides whether the caller sees it.
protocol StudentOwned {
    var asn: ASN { get }
}

extension Student: StudentOwned {}
extension SchoolEnrolment: StudentOwned {}
extension CourseEnrolment: StudentOwned {}
extension EvaluatedMark: StudentOwned {}
extension DiplomaExamMark: StudentOwned {}
extension StudentRecordDocument: StudentOwned {}
extension ClassroomAccommodation: StudentOwned {}

/// Which records the caller's organization may not see: the association rules
/// (``StudentAssociation``) over what the province holds, and a withdrawal a test or a demo asks
/// for (`POST /admin/access`). A record not seen answers No Access to every Get and status Get and
/// is left out of the change feed and PASI's hash list, as the feed carries only the students
/// associated to the organization (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/is_data_available.html).
struct AccessRules {
    struct RecordKey: Hashable {
        var type: RecordType
        var id: String
    }

    /// `Type:id` of the records withdrawn from the caller.
    var withdrawn: Set<String> = []
    /// Per student (ASN digits), the records stored under it (a record that moved to another
    /// student stays listed; readers check the record's ASN).
    var byStudent: [String: Set<RecordKey>] = [:]
    /// The students the caller has no association with, on the province's date.
    var unassociated: Set<String> = []
    /// The students the caller created by a submit, with the day.
    var createdOn: [String: PASIDate] = [:]
    /// While a data set loads, records keep their versions: a student's association settles once
    /// its enrolments are in, with nothing announced again.
    var loading = false
    /// Each school's authority, as last stored.
    var schoolAuthorities: [String: OrganizationNumber?] = [:]
    /// A school was added or moved while loading: every student's association settles at the
    /// batch's end.
    var schoolsChanged = false

    static func key(_ type: RecordType, _ id: String) -> String { type.rawValue + ":" + id }
}

extension Province {
    /// Whether the caller may see the record `id` of `type`: the one hook the Gets, the status
    /// Gets and the change feed ask (the feed: an item is announced only while this holds).
    /// A record of a student the organization has no association with is not seen, nor one
    /// withdrawn by `POST /admin/access`.
    public func isVisible(_ type: RecordType, id: String) -> Bool {
        if access.withdrawn.contains(AccessRules.key(type, id)) { return false }
        guard !access.unassociated.isEmpty, let owned = records[type]?[id]?.record as? any StudentOwned else { return true }
        return !access.unassociated.contains(owned.asn.digits)
    }

    /// The associations the caller has with the student `asn` (nine digits) on the province's date.
    ///
    /// The caller's schools: the school it is, or the schools whose authority it is. A student
    /// the province holds without a recorded creation (one loaded as the province's data set) is
    /// taken as created by the caller on the province's date, so a loaded student without
    /// enrolments is seen, as in the district the synthetic province stands for.
    public func association(of asn: String) -> StudentAssociation {
        var enrolments: [StudentAssociation.Enrolment] = []
        for key in access.byStudent[asn] ?? [] where key.type == .schoolEnrolment {
            guard let stored = records[.schoolEnrolment]?[key.id], let enrolment = stored.record as? SchoolEnrolment,
                  enrolment.asn.digits == asn else { continue }
            enrolments.append(.init(
                isOrganizations: isOrganizations(school: enrolment.schoolCode), entryDate: enrolment.entryDate,
                exitDate: enrolment.exitDate, isDeleted: stored.isDeleted))
        }
        let created = access.createdOn[asn] ?? (records[.student]?[asn] == nil ? nil : reference.today)
        return StudentAssociation(enrolments: enrolments, createdOn: created, today: reference.today)
    }

    /// Rule 9010 for a submit of the student `asn`: the rejection when the caller may not change it.
    func associationRule(forStudent asn: String) -> Rejection? {
        guard records[.student]?[asn] != nil, !association(of: asn).maySubmit else { return nil }
        return PASIRule.organizationNotAssociated(asn)
    }

    func isOrganizations(school code: OrganizationNumber) -> Bool {
        switch organization.kind {
        case .school: return organization.number == code
        default: return (records[.school]?[code.description]?.record as? School)?.authorityCode == organization.number
        }
    }

    /// Called by every store of a record: indexes a student's records and, when a student or an
    /// enrolment changes, settles the student's association. A student that becomes associated
    /// again has its records (and their statuses) announced again under new versions, as a
    /// newly associated organization's feed would carry them.
    func noteStored<R: PASIRecord>(_ record: R) {
        if let school = record as? School {
            // A school's authority decides whose schools its enrolments are at: a new school, or
            // one moved to another authority, settles every student (a name change does not).
            guard access.schoolAuthorities.updateValue(school.authorityCode, forKey: school.recordID) != .some(school.authorityCode) else { return }
            access.schoolsChanged = true
            if !access.loading { settleAll() }
            return
        }
        guard let owned = record as? any StudentOwned else { return }
        let asn = owned.asn.digits
        if R.recordType == .student, !access.loading, access.byStudent[asn]?.contains(.init(type: .student, id: asn)) != true {
            access.createdOn[asn] = reference.today
        }
        access.byStudent[asn, default: []].insert(.init(type: R.recordType, id: record.recordID))
        guard R.recordType == .student || R.recordType == .schoolEnrolment else { return }
        settle(asn)
    }

    /// Settles the student's association after a change of what it depends on.
    private func settle(_ asn: String) {
        let wasHidden = access.unassociated.contains(asn)
        if association(of: asn).maySee {
            guard wasHidden else { return }
            access.unassociated.remove(asn)
            if !access.loading { announceAgain(asn) }
        } else {
            access.unassociated.insert(asn)
        }
    }

    /// Settles every student's association: once schools changed (a data set may bring its schools
    /// after the enrolments at them).
    private func settleAll() {
        access.schoolsChanged = false
        for asn in access.byStudent.keys { settle(asn) }
    }

    /// The end of a data set's batch: associations that depend on schools loaded in it settle,
    /// with nothing announced again.
    func endLoading() {
        if access.schoolsChanged { settleAll() }
        access.loading = false
    }

    /// The students of the province the caller has no association with (ASN digits).
    public var unassociatedStudents: Set<String> { access.unassociated }

    /// Ends every school enrolment of the student `asn` (nine digits) on `exit`, behind the
    /// client's back, as the student leaving: each gets that exit date (and, when it entered after
    /// it, the September 1 before it as entry date), a new version, and the school year holding
    /// `exit`. With `exit` long enough before the province's date no association is left
    /// (`POST /admin/leave`).
    /// - Returns: The student's associations afterwards.
    /// - Throws: ``ProvinceEditError`` for a student without school enrolments.
    @discardableResult
    public func endEnrolments(ofStudent asn: String, on exit: PASIDate) throws(ProvinceEditError) -> StudentAssociation {
        let ids = (access.byStudent[asn] ?? []).filter { $0.type == .schoolEnrolment }.map(\.id).sorted()
        var ended = 0
        for id in ids {
            guard var enrolment = records[.schoolEnrolment]?[id]?.record as? SchoolEnrolment, enrolment.asn.digits == asn else { continue }
            guard let year = try? SchoolYear(containing: exit), let september = try? PASIDate(year: exit.month >= 9 ? exit.year : exit.year - 1, month: 9, day: 1)
            else { throw ProvinceEditError(description: "no school year holds \(exit)") }
            if enrolment.entryDate > exit { enrolment.entryDate = september }
            enrolment.exitDate = exit
            enrolment.schoolYear = year
            change(enrolment)
            ended += 1
        }
        guard ended > 0 else { throw ProvinceEditError(description: "no school enrolment of student \(asn)") }
        return association(of: asn)
    }

    private func announceAgain(_ asn: String) {
        for key in access.byStudent[asn] ?? [] where !access.withdrawn.contains(AccessRules.key(key.type, key.id)) {
            guard let stored = records[key.type]?[key.id] else { continue }
            if var status = statuses[key.type]?[key.id] { _ = bumpStatus(key.type, key.id, &status) }
            _ = reannounce(stored.record, isDeleted: stored.isDeleted)
        }
    }

    /// Which ids of a notification type the caller may see, or `nil` when it sees them all (no
    /// student is unassociated, or the type's records hang off no student).
    func feedVisibility(_ type: NotificationType) -> ((String) -> Bool)? {
        guard !access.unassociated.isEmpty else { return nil }
        let name = type.name.rawValue
        let recordName = name.hasSuffix("Status") ? String(name.dropLast("Status".count)) : name
        guard let recordType = RecordType(rawValue: recordName), recordType.recordSwiftType is any StudentOwned.Type else { return nil }
        return { id in self.isVisible(recordType, id: id) }
    }

    /// Withdraws a record from the caller (No Access) or gives it back (Normal).
    ///
    /// Withdrawn, the record and its validation status leave the change feed and PASI's hash list,
    /// as PASI's feed carries only what the organization may see. Given back, the record gets a
    /// new version, so the feed announces it again as PASI would to a newly associated
    /// organization.
    /// - Returns: The record's version after the change.
    /// - Throws: ``ProvinceEditError`` for a record the province does not hold.
    @discardableResult
    public func setAccess(_ type: RecordType, id: String, noAccess: Bool) throws(ProvinceEditError) -> Int64 {
        guard let stored = records[type]?[id] else { throw ProvinceEditError(description: "no \(type.rawValue) \(id)") }
        let key = AccessRules.key(type, id)
        if noAccess {
            access.withdrawn.insert(key)
            current[stored.notificationType]?[id] = nil
            if let status = statuses[type]?[id] { current[status.notificationType]?[id] = nil }
            return stored.version
        }
        guard access.withdrawn.remove(key) != nil else { return stored.version }
        if var status = statuses[type]?[id] { _ = bumpStatus(type, id, &status) }
        return reannounce(stored.record, isDeleted: stored.isDeleted)
    }

    private func reannounce<R: PASIRecord>(_ record: R, isDeleted: Bool) -> Int64 {
        store(record, version: latestVersion + 1, isDeleted: isDeleted)
    }
}
