/// The kinds of alert a person sees in PASI Direct Connect.
public enum AlertType: String, Sendable, Hashable, Codable, CaseIterable {
    /// Advice from PASI; informational.
    case advice = "Advice"
    /// A warning from PASI; the record was accepted.
    case warning = "Warning"
    /// PASI refused a submitted record.
    case rejection = "Rejection"
    /// The SIS and PASI disagree and a person must decide.
    case conflict = "Conflict"
    /// A call to PASI failed (fault, timeout, stale version).
    case failure = "Failure"

    /// Whether a person may delete an alert of this kind; conflicts, rejections and
    /// failures are the client's own bookkeeping, while advice and warnings mirror PASI.
    public var isDeletableByPerson: Bool {
        switch self {
        case .conflict, .rejection, .failure: true
        case .advice, .warning: false
        }
    }
}

/// The severity PASI Core itself gives a core alert on an entity's validation status.
public enum CoreAlertSeverity: String, Sendable, Hashable, Codable, CaseIterable {
    /// `Error`: the record breaks a business rule.
    case error = "Error"
    /// `Warning`.
    case warning = "Warning"
    /// `Advice`.
    case advice = "Advice"
    /// `Reminder`: something is due.
    case reminder = "Reminder"
}

/// Which kind of record an alert's status hangs off; the "Status Type" filter.
public enum StatusType: String, Sendable, Hashable, Codable, CaseIterable {
    /// Student demographics.
    case student = "Student"
    /// School enrolment.
    case enrolment = "Enrolment"
    /// Section (school course marks).
    case section = "Section"
    /// Course enrolment (school course marks).
    case courseEnrolment = "Course Enrolment"
    /// Evaluated mark (school course marks).
    case evaluatedMark = "Evaluated Mark"
    /// External credential (school course marks).
    case externalCredential = "External Credential"
    /// Classroom accommodation.
    case classroomAccommodation = "Classroom Accommodation"
    /// A synchronization job as a whole: the Failure raised when a sync job fails for good
    /// (out of Maximum Attempts, refused, or its child jobs failed). Not one of PASI's.
    case synchronization = "Synchronization"

    /// The PASI record type whose validation status holds PASI's core alerts of this status type
    /// (whose `Submit<Type>StatusAcknowledgement` service takes it); `nil` for the ones PASI keeps no status for here.
    public var recordType: RecordType? { RecordType.allCases.first { $0.kind.statusType == self } }
}

/// What a demographic or enrolment conflict is about; the "Conflict Type" filter.
///
/// The seed's list, plus three this project adds for differences the initial
/// synchronization also finds: birth date, enrolment exit date and missing enrolment.
public enum ConflictType: String, Sendable, Hashable, Codable, CaseIterable {
    /// An enrolment differs or is unmatched.
    case schoolEnrolment = "School Enrolment"
    /// A summer school enrolment differs or is unmatched.
    case summerSchoolEnrolment = "Summer School Enrolment"
    /// The SIS student's ASN matches no PASI student.
    case unmatchedASN = "Unmatched ASN"
    /// Legal name or its identification document differ.
    case legalNameAndIdentification = "Legal Name & Identification"
    /// Gender differs.
    case gender = "Gender"
    /// The SIS holds a secondary ASN where PASI names a primary one.
    case primaryASN = "Primary ASN"
    /// Preferred name differs.
    case preferredName = "Preferred Name"
    /// An alias name differs.
    case otherName = "Other Name"
    /// Mailing address differs.
    case mailingAddress = "Mailing Address"
    /// Permanent address differs.
    case permanentAddress = "Permanent Address"
    /// Which address is preferred differs.
    case preferredAddress = "Preferred Address"
    /// A phone number differs.
    case phoneNumber = "Phone Number"
    /// Which phone is preferred differs.
    case preferredPhoneNumber = "Preferred Phone Number"
    /// Citizenship status differs.
    case citizenshipStatus = "Citizenship Status"
    /// Section 23 eligibility differs.
    case section23 = "Section 23"
    /// Disclosure restrictions differ.
    case disclosureRestriction = "Disclosure Restriction"
    /// Birth date differs (project addition).
    case birthDate = "Birth Date"
    /// An enrolment's exit date differs (project addition).
    case enrolmentExitDate = "Enrolment Exit Date"
    /// PASI holds an enrolment the SIS lacks (project addition).
    case missingEnrolment = "Missing Enrolment"

    /// The status type conflicts of this kind are filed under.
    public var statusType: StatusType {
        switch self {
        case .schoolEnrolment, .summerSchoolEnrolment, .enrolmentExitDate, .missingEnrolment: .enrolment
        default: .student
        }
    }
}

/// How far a person has dealt with an alert. The raw values are the words people read and the
/// local store keeps ("In Progress", as the Knowledge Base's Core Alerts Overview shows it,
/// https://extranet.education.alberta.ca/pasidevnet/Docs/Business/core_alerts_overview.html); PASI's
/// services spell the code value without the space (``codeValue``).
public enum AcknowledgementStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Nobody has looked at it.
    case unacknowledged = "Unacknowledged"
    /// Someone is working on it.
    case inProgress = "In Progress"
    /// Seen and accepted.
    case acknowledged = "Acknowledged"
    /// Deliberately overridden.
    case overridden = "Overridden"

    /// The value as PASI's services write it: "Unacknowledged", "InProgress", "Acknowledged",
    /// "Overridden" (the technical pages of the acknowledgement services: "Advice core alerts can
    /// have an acknowledgment status of "Unacknowledged", "InProgress", or "Acknowledged"",
    /// https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/e44bcfbe-e823-4a8f-36c6-29ba8bf97264.htm,
    /// https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/42ad38e9-04c4-cadc-5423-a5683b698c2a.htm).
    public var codeValue: String { self == .inProgress ? "InProgress" : rawValue }

    /// The status PASI's code value names, or `nil` for another value.
    /// - Parameter codeValue: "Unacknowledged", "InProgress", "Acknowledged" or "Overridden".
    public init?(codeValue: String) {
        guard let status = Self.allCases.first(where: { $0.codeValue == codeValue }) else { return nil }
        self = status
    }
}
