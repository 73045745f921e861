import PASIContract
import PASIModel

extension Province {
    /// What the Student School Enrolment rules read about `enrolment`, from what the province holds.
    func schoolEnrolmentFacts(_ enrolment: SchoolEnrolment) -> SchoolEnrolmentFacts {
        let asn = enrolment.asn.digits
        let heldStored = records[.schoolEnrolment]?[enrolment.recordID]
        var held = heldStored?.record as? SchoolEnrolment
        if let stored = heldStored, stored.isDeleted { held?.isDeleted = true }
        var others: [SchoolEnrolment] = []
        var linked = 0
        for key in access.byStudent[asn] ?? [] {
            guard let stored = records[key.type]?[key.id], !stored.isDeleted else { continue }
            switch stored.record {
            case let other as SchoolEnrolment where other.asn.digits == asn && other.refId != enrolment.refId && !other.isDeleted:
                others.append(other)
            case let course as CourseEnrolment where course.asn.digits == asn && course.schoolCode == enrolment.schoolCode
                && course.schoolYear == enrolment.schoolYear:
                linked += 1
            default:
                continue
            }
        }
        var authorities: [String: String] = [:]
        for school in [enrolment.schoolCode] + others.map(\.schoolCode) {
            if case let authority?? = access.schoolAuthorities[school.description] { authorities[school.description] = authority.description }
        }
        let student = records[.student]?[asn].flatMap { $0.isDeleted ? nil : $0.record as? Student }
        return SchoolEnrolmentFacts(enrolment: enrolment, held: held, student: student, others: others, authorities: authorities,
                                    linkedCourseEnrolments: linked, isCallersSchool: isOrganizations(school: enrolment.schoolCode))
    }

    /// The documented rules `record` breaks, for the kinds the simulator judges (``SchoolEnrolmentRules``).
    func brokenRules(_ record: some PASIRecord) -> [BrokenRule] {
        guard let enrolment = record as? SchoolEnrolment else { return [] }
        return SchoolEnrolmentRules.judge(schoolEnrolmentFacts(enrolment))
    }

    /// After a save PASI accepted: the record's status holds the core alerts of the Warning and
    /// Advice rules it breaks now, in place of those an earlier save raised (PASI validates the
    /// record again on every save), the status moving only when they changed. Alerts of other
    /// codes (`/admin/alert`'s) stay.
    func reviseRuleAlerts(_ type: RecordType, id: String, broken: [BrokenRule], rules: [ValidationRule]) {
        let codes = Set(rules.map { String($0.number) })
        let kept = statuses[type]?[id]?.alerts.filter { !codes.contains($0.alertCode) } ?? []
        let now = kept + broken.filter { $0.rule.type != .rejection }.map(\.alert)
        let before = statuses[type]?[id]?.alerts ?? []
        // The same alert raised again keeps its acknowledgement: compared by code and message.
        func identity(_ alerts: [StatusAlert]) -> [String] { alerts.map { "\($0.alertCode)|\($0.message ?? "")" }.sorted() }
        guard identity(now) != identity(before) else { return }
        let merged = now.map { alert in before.first { $0.alertCode == alert.alertCode && $0.message == alert.message } ?? alert }
        guard let statusName = type.statusNotificationName, let stored = records[type]?[id] else { return }
        let year = statusName.isYearScoped ? stored.record.recordYear : nil
        guard let feedType = try? NotificationType(statusName, year: year) else { return }
        var entry = statuses[type]?[id] ?? StatusEntry(version: 0, alerts: [], notificationType: feedType)
        entry.alerts = merged
        _ = bumpStatus(type, id, &entry)
    }
}
