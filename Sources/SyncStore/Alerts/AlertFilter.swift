internal import Foundation
public import PASIModel
internal import PostgresNIO

/// Which alerts a person asks for: the filters of the PASI Core Alerts page (Alert Type,
/// Status, Status Type, Conflict Type), plus school, student and alert code. Every filter left
/// `nil` lets all alerts through; resolved alerts are left out unless `includeResolved`.
public struct AlertFilter: Sendable, Hashable {
    /// Only alerts of this type (the page's Alert Type).
    public var type: AlertType?
    /// Only alerts filed under this status type (the page's Status Type).
    public var statusType: StatusType?
    /// Only conflicts of this type (the page's Conflict Type).
    public var conflictType: ConflictType?
    /// Only alerts in this acknowledgement status (the page's Status).
    public var acknowledgement: AcknowledgementStatus?
    /// Only alerts with this alert code.
    public var alertCode: String?
    /// Only alerts about this school's records.
    public var schoolCode: OrganizationNumber?
    /// Only alerts about this student (see ``AlertStudentKey``).
    public var student: AlertStudentKey?
    /// Whether resolved alerts are included (by default only open ones are).
    public var includeResolved: Bool
    /// Only the alerts a user limited to these schools may see: those of one of the schools, and
    /// those that name no school about a student one of the schools enrols (SIS), the student named
    /// by SIS id, ASN, or for a student's alert its RefId (PASI's key for a student is the ASN).
    /// `nil`: every alert.
    public var schools: [String]?
    /// Only the alerts with these ids.
    public var ids: [Int64]?

    /// Creates a filter; with no arguments, every open alert.
    /// - Parameters:
    ///   - type: Only this alert type.
    ///   - statusType: Only this status type.
    ///   - conflictType: Only this conflict type.
    ///   - acknowledgement: Only this acknowledgement status.
    ///   - alertCode: Only this alert code.
    ///   - schoolCode: Only this school.
    ///   - student: Only this student.
    ///   - includeResolved: Whether resolved alerts are included.
    public init(
        type: AlertType? = nil, statusType: StatusType? = nil, conflictType: ConflictType? = nil,
        acknowledgement: AcknowledgementStatus? = nil, alertCode: String? = nil, schoolCode: OrganizationNumber? = nil,
        student: AlertStudentKey? = nil, includeResolved: Bool = false, schools: [String]? = nil, ids: [Int64]? = nil
    ) {
        self.type = type
        self.statusType = statusType
        self.conflictType = conflictType
        self.acknowledgement = acknowledgement
        self.alertCode = alertCode
        self.schoolCode = schoolCode
        self.student = student
        self.includeResolved = includeResolved
        self.schools = schools
        self.ids = ids
    }

    /// `head`, then a WHERE clause over `sync.core_alerts AS a` that holds this filter (its
    /// values bound, never spliced), then `tail`. `head` and `tail` are fixed SQL of this module,
    /// never a value; `head` names the table `a`. `limit`, if given, is bound after `tail`, which
    /// then ends in `LIMIT`.
    func query(_ head: String, _ tail: String = "", limit: Int? = nil) -> PostgresQuery {
        let type = type?.rawValue, statusType = statusType?.rawValue, conflictType = conflictType?.rawValue
        let acknowledgement = acknowledgement?.rawValue, school = schoolCode?.description
        let number = student?.number, asn = student?.asn?.digits
        let schools = schools, ids = ids
        var query: PostgresQuery = """
            \(unescaped: head)
            WHERE (\(includeResolved) OR a.resolved_at IS NULL)
              AND (\(type)::text IS NULL OR a.alert_type = \(type))
              AND (\(statusType)::text IS NULL OR a.status_type = \(statusType))
              AND (\(conflictType)::text IS NULL OR a.conflict_type = \(conflictType))
              AND (\(acknowledgement)::text IS NULL OR a.acknowledgement = \(acknowledgement))
              AND (\(alertCode)::text IS NULL OR a.alert_code = \(alertCode))
              AND (\(school)::text IS NULL OR a.school_code = \(school))
              AND ((\(number)::int8 IS NULL AND \(asn)::text IS NULL)
                   OR a.student_id = \(number) OR a.asn = \(asn)
                   OR EXISTS (SELECT 1 FROM sis.students AS st
                              WHERE (st.id = \(number) OR st.student_number = \(number) OR st.asn = \(asn))
                                AND (st.id = a.student_id OR st.asn = a.asn)))
              AND (\(ids)::int8[] IS NULL OR a.id = ANY(\(ids)::int8[]))
              AND (\(schools)::text[] IS NULL OR a.school_code = ANY(\(schools)::text[])
                   OR (a.school_code IS NULL AND EXISTS (
                       SELECT 1 FROM sis.enrolments AS e JOIN sis.schools AS sc ON sc.id = e.school_id
                       JOIN sis.students AS st ON st.id = e.student_id
                       WHERE sc.school_code = ANY(\(schools)::text[])
                         AND (st.id = a.student_id OR st.asn = a.asn OR (a.status_type = 'Student' AND st.asn = a.ref_id)))))
            \(unescaped: tail)
            """
        if let limit {
            query.sql += " $\(query.binds.count + 1)"
            query.binds.append(limit)
        }
        return query
    }
}

/// A student as a person names one to the alerts filter: an SIS student id, a student number or
/// an ASN (`123456782` or `1234-5678-2`). A number matches any of the three (a nine-digit number
/// may be any of them); an alert matches when its SIS student or its ASN is that student's.
public struct AlertStudentKey: Sendable, Hashable {
    /// The number given, as an SIS id or student number; `nil` for an ASN written with dashes.
    public let number: Int64?
    /// The number given, as an ASN, when it has an ASN's shape (the check digit is not checked).
    public let asn: ASN?

    /// Reads a student as typed.
    /// - Parameter text: An SIS student id, a student number or an ASN.
    /// - Throws: ``PASIModel/PASIModelError`` with code `invalidFormat` for anything else.
    public init(_ text: String) throws(PASIModelError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digitsOnly = !trimmed.isEmpty && trimmed.allSatisfy { $0.isASCII && $0.isNumber }
        number = digitsOnly ? Int64(trimmed) : nil
        asn = try? ASN(trimmed, checkDigit: .ignored)
        guard number != nil || asn != nil else {
            throw PASIModelError(
                .invalidFormat, field: "student",
                expectation: "must be an SIS student id, a student number or an ASN (123456789 or 1234-5678-9)", value: text)
        }
    }
}
