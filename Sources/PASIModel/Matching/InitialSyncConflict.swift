/// One field on which the SIS and PASI disagree, with both sides' values as text
/// (dates `YYYY-MM-DD`, ASNs `####-####-#`, gender as PASI spells it; `nil` when empty).
public struct FieldDifference: Sendable, Hashable {
    /// The field, named for a person, e.g. `Legal Last Name`.
    public var field: String
    /// The SIS's value.
    public var sisValue: String?
    /// PASI's value.
    public var pasiValue: String?

    /// Creates a difference.
    public init(field: String, sisValue: String?, pasiValue: String?) {
        self.field = field
        self.sisValue = sisValue
        self.pasiValue = pasiValue
    }
}

/// What identifies a conflict from one run of the initial synchronization to the next, in
/// the form `sync.core_alerts` keeps open alerts unique: a record key (the alert's
/// `ref_id`), an alert code and an argument set. A conflict found again has the same key,
/// whatever its values are now, so raising it again updates the one alert.
public struct ConflictKey: Sendable, Hashable, CustomStringConvertible {
    /// The PASI record the conflict hangs off, when there is one (a student's ASN digits,
    /// an enrolment's RefId), else the SIS record, written `SIS.students.<id>` or
    /// `SIS.enrolments.<id>`.
    public var recordKey: String
    /// The alert code of the conflict type, see ``ConflictType/initialSyncAlertCode``.
    public var alertCode: String
    /// The SIS ids involved: `StudentID` and, for an enrolment, `EnrolmentID`.
    public var arguments: AlertArguments

    /// Creates a key.
    public init(recordKey: String, alertCode: String, arguments: AlertArguments) {
        self.recordKey = recordKey
        self.alertCode = alertCode
        self.arguments = arguments
    }

    /// `recordKey alertCode key=value …`.
    public var description: String {
        ([recordKey, alertCode] + arguments.sorted.map { "\($0.key)=\($0.value)" }).joined(separator: " ")
    }
}

extension ConflictType {
    /// The alert code this client gives an initial synchronization conflict of this type:
    /// `INIT_` and the type's name in capitals, e.g. `INIT_LEGAL_NAME_IDENTIFICATION`,
    /// `INIT_UNMATCHED_ASN`.
    public var initialSyncAlertCode: String {
        var code = "INIT"
        var pendingSeparator = true
        for character in rawValue.uppercased() {
            if character.isLetter || character.isNumber {
                if pendingSeparator { code.append("_") }
                code.append(character)
                pendingSeparator = false
            } else {
                pendingSeparator = true
            }
        }
        return code
    }
}

/// A difference between the SIS and PASI that the initial synchronization presents for
/// review as a Conflict: its type (and so its status type), the records on either side as
/// far as they exist, the fields that differ, a message and a stable ``key``.
public struct InitialSyncConflict: Sendable, Hashable {
    /// What the conflict is about.
    public var conflictType: ConflictType
    /// The SIS student's id; `nil` for a PASI student the SIS lacks.
    public var studentID: Int?
    /// The SIS student's number.
    public var studentNumber: Int64?
    /// The ASN the SIS holds, if any.
    public var sisASN: ASN?
    /// The PASI student's ASN: the matched student's, or the candidate an Unmatched ASN
    /// conflict names.
    public var pasiASN: ASN?
    /// The SIS enrolment's id, for an enrolment conflict on a SIS enrolment.
    public var enrolmentID: Int?
    /// The PASI enrolment's RefId, for an enrolment conflict on a PASI enrolment.
    public var refId: RefId?
    /// The enrolment's school.
    public var schoolCode: OrganizationNumber?
    /// The enrolment's school year.
    public var schoolYear: SchoolYear?
    /// What differs, field by field; never empty.
    public var differences: [FieldDifference]
    /// A sentence for a person, e.g. how the student was matched.
    public var message: String

    /// Creates a conflict.
    public init(
        conflictType: ConflictType, studentID: Int?, studentNumber: Int64? = nil, sisASN: ASN? = nil, pasiASN: ASN? = nil,
        enrolmentID: Int? = nil, refId: RefId? = nil, schoolCode: OrganizationNumber? = nil, schoolYear: SchoolYear? = nil,
        differences: [FieldDifference], message: String
    ) {
        self.conflictType = conflictType
        self.studentID = studentID
        self.studentNumber = studentNumber
        self.sisASN = sisASN
        self.pasiASN = pasiASN
        self.enrolmentID = enrolmentID
        self.refId = refId
        self.schoolCode = schoolCode
        self.schoolYear = schoolYear
        self.differences = differences
        self.message = message
    }

    /// Student or Enrolment.
    public var statusType: StatusType { conflictType.statusType }

    /// The key that stays the same when a later run finds the conflict again: the PASI record
    /// (enrolment RefId; the matched student's ASN) or else the SIS record, the conflict
    /// type's alert code, and the SIS ids.
    public var key: ConflictKey {
        var arguments: [String: String] = [:]
        if let studentID { arguments["StudentID"] = String(studentID) }
        if let enrolmentID { arguments["EnrolmentID"] = String(enrolmentID) }
        let recordKey: String
        if let refId {
            recordKey = refId.value
        } else if statusType == .enrolment, let enrolmentID {
            recordKey = "SIS.enrolments.\(enrolmentID)"
        } else if conflictType != .unmatchedASN, let pasiASN {
            recordKey = pasiASN.digits
        } else if let studentID {
            recordKey = "SIS.students.\(studentID)"
        } else {
            recordKey = pasiASN?.digits ?? ""
        }
        return ConflictKey(recordKey: recordKey, alertCode: conflictType.initialSyncAlertCode, arguments: AlertArguments(arguments))
    }

    /// One line per difference for `pasi-initialization.log`, e.g.
    /// `student 12 (number 100012) ASN 1000-7919-3 | Gender | Gender | SIS: Male | PASI: Female`;
    /// an enrolment conflict names the enrolment after the student. Tabs and line breaks in
    /// values become spaces.
    public var logLines: [String] {
        var subject = "student " + (studentID.map(String.init) ?? "-")
        if let studentNumber { subject += " (number \(studentNumber))" }
        subject += " ASN " + (sisASN ?? pasiASN).map(\.formatted).orNone
        if statusType == .enrolment {
            subject += " enrolment " + (enrolmentID.map(String.init) ?? refId.map { "PASI \($0.value)" } ?? "-")
            if let schoolCode { subject += " school \(schoolCode)" }
            if let schoolYear { subject += " \(schoolYear)" }
        }
        return differences.map { difference in
            [subject, conflictType.rawValue, difference.field, "SIS: " + difference.sisValue.orNone,
             "PASI: " + difference.pasiValue.orNone].map(InitialSyncExtract.clean).joined(separator: " | ")
        }
    }
}

extension Optional where Wrapped == String {
    /// The value, or `(none)` for a log line.
    var orNone: String { self ?? "(none)" }
}
