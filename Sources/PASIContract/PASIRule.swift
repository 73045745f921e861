public import PASIModel

/// The business rules (9002 and up) that both sides of this project name: the ones the simulator
/// answers with and the ones the client reads a meaning into. Each is a Rejection rule of the
/// Knowledge Base (`…/Docs/Business/rule_NNNN.html`); the messages are PASI's, with the
/// placeholders the page names. Other rule numbers pass through as they come (a Rejection alert
/// shows any of them with PASI's message).
public enum PASIRule: Int, Sendable, Hashable, CaseIterable {
    /// Rule 9002 Invalid ASN (rule_9002.html).
    case invalidASN = 9002
    /// Rule 9003 Invalid School Code (validation_rules_between_1_and_9999.html; its page is not
    /// in the copies, so the message is this project's, in the form of 9015's).
    case invalidSchoolCode = 9003
    /// Rule 9006 Invalid Reference ID: "The referenced record either doesn't exist within PASI,
    /// or is invalid for the student identified" (rule_9006.html).
    case invalidReferenceID = 9006
    /// Rule 9010 Organization Not Associated to Student (rule_9010.html): the client "must be
    /// associated to the student through associations of By Ministry, By Current School Enrolment,
    /// By Last School Enrolment, or By Student Creation and the student has no enrolments".
    ///
    /// Which services answer it is the technical pages' lists of codes: 9010 is listed by
    /// `SubmitStudentStatusAcknowledgement` (42ad38e9-04c4-cadc-5423-a5683b698c2a.htm) and
    /// `SubmitStudentSection23EligibilityStatus` (5cad2172-89d8-c3ef-bf95-3cc6eaa2eaad.htm); the
    /// name and address services (`SubmitName`, ad9cea90-9a94-6913-004e-31a93755cac4.htm;
    /// `SubmitStudentAddress`, 2fb8c8c2-7bfa-3d4f-fb31-7d4174d89c63.htm) list 9065 instead and not
    /// 9010. Rule 9065's own page (name, message, placeholders) is not in the copies, so no case of
    /// this enum stands for it: a service that lists 9065 answers 9010 until its page is found
    /// (docs/pasi-protocol.md, "Association").
    case organizationNotAssociated = 9010
    /// Rule 9015 Invalid Course Code (rule_9015.html).
    case invalidCourseCode = 9015
    /// Rule 9020 Unauthorized Organization Code (rule_9020.html).
    case unauthorizedOrganizationCode = 9020
    /// Rule 9030 Invalid School Year (rule_9030.html).
    case invalidSchoolYear = 9030
    /// Rule 9033 Course Enrolment Not Found (named in validation_rules_between_1_and_9999.html).
    case courseEnrolmentNotFound = 9033
    /// Rule 9034 Evaluated Mark Not Found (named in validation_rules_between_1_and_9999.html).
    case evaluatedMarkNotFound = 9034
    /// Rule 9035 Section Not Found (named in validation_rules_between_1_and_9999.html).
    case sectionNotFound = 9035
    /// Rule 12003 Overridden Warning Cannot Be Modified (rule_12003.html): only Alberta Education
    /// (O.1) may change an Overridden core alert; the simulator also answers an acknowledgement to
    /// Overridden from anyone else with it (docs/pasi-protocol.md).
    case overriddenCannotBeModified = 12003

    /// The rule's name as the Knowledge Base lists it.
    public var name: String {
        switch self {
        case .invalidASN: "Invalid ASN"
        case .invalidSchoolCode: "Invalid School Code"
        case .invalidReferenceID: "Invalid Reference ID"
        case .organizationNotAssociated: "Organization Not Associated to Student"
        case .invalidCourseCode: "Invalid Course Code"
        case .unauthorizedOrganizationCode: "Unauthorized Organization Code"
        case .invalidSchoolYear: "Invalid School Year"
        case .courseEnrolmentNotFound: "Course Enrolment Not Found"
        case .evaluatedMarkNotFound: "Evaluated Mark Not Found"
        case .sectionNotFound: "Section Not Found"
        case .overriddenCannotBeModified: "Overridden Warning Cannot Be Modified"
        }
    }

    /// The rule's page in the Knowledge Base.
    public var page: String { PASIFault.page(of: rawValue) }

    /// The rules that say PASI holds no such record: what a delete of a record PASI no longer
    /// holds, or an acknowledgement of an alert gone from PASI's status, is answered with.
    public static let notFoundRules: Set<PASIRule> = [.invalidASN, .invalidReferenceID, .courseEnrolmentNotFound, .evaluatedMarkNotFound, .sectionNotFound]

    // MARK: - PASI's messages, placeholders filled

    /// 9002: "Invalid Alberta Student Number. The ASN provided ({StateProvinceId}) either does not
    /// exist or is not accessible. Retry, using the correct ASN."
    /// Rule 11401 Duplicate Student: Create Student found the student already in PASI
    /// (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_11401.html).
    public static func duplicateStudent(_ asns: [ASN]) -> Rejection {
        Rejection(code: 11401, message: "Duplicate Student. The student being created appears to already exist within PASI. Review the following student records before submitting again: ASN \(asns.map(\.digits).joined(separator: ", ")).")
    }

    public static func invalidASN(_ asn: String) -> Rejection {
        Rejection(code: 9002, message: "Invalid Alberta Student Number. The ASN provided (\(asn)) either does not exist or is not accessible. Retry, using the correct ASN.")
    }

    /// 9003, in the form of 9015's message (9003's page is not in the copies).
    public static func invalidSchoolCode(_ school: String) -> Rejection {
        Rejection(code: 9003, message: "Invalid School Code. The School Code provided (\(school)) does not exist within PASI.")
    }

    /// 9006: "Invalid {Type} Reference. The record referenced (ID = {RefId}) is not valid for ASN
    /// {StateProvinceID}." For a record that names no ASN the last sentence stops at the id.
    public static func invalidReference(_ type: String, id: String, asn: String?) -> Rejection {
        let forASN = asn.map { " is not valid for ASN \($0)." } ?? " is not valid."
        return Rejection(code: 9006, message: "Invalid \(type) Reference. The record referenced (ID = \(id))" + forASN)
    }

    /// 9010: "Access Denied. You do not have access to ASN {StateProvinceId}."
    public static func organizationNotAssociated(_ asn: String) -> Rejection {
        Rejection(code: 9010, message: "Access Denied. You do not have access to ASN \(asn).")
    }

    /// 9015: "Invalid Course Code. The Course Code provided ({CourseCode}) does not exist within PASI."
    public static func invalidCourseCode(_ course: String) -> Rejection {
        Rejection(code: 9015, message: "Invalid Course Code. The Course Code provided (\(course)) does not exist within PASI.")
    }

    /// 9020: "Access Denied. You are not authorized to submit the {RecordType} (Reference #{RefId})
    /// for the Organization {OrganizationCode}."
    public static func unauthorizedOrganization(_ recordType: String, id: String, organization: String) -> Rejection {
        Rejection(code: 9020, message: "Access Denied. You are not authorized to submit the \(recordType) (Reference #\(id)) for the Organization \(organization).")
    }

    /// 9030: "Invalid School Year. New {Object} or modifications to {Object} for School Years prior
    /// to {FirstYear}/{SecondYear} must be made in PASIprep."
    public static func invalidSchoolYear(_ object: String, firstOpenEndYear: Int) -> Rejection {
        Rejection(code: 9030, message: "Invalid School Year. New \(object) or modifications to \(object) for School Years prior to \(firstOpenEndYear - 1)/\(firstOpenEndYear) must be made in PASIprep.")
    }

    /// 12003: "Invalid Acknowledgement Status. Overridden records cannot be modified."
    public static func overriddenCannotBeModified() -> Rejection {
        Rejection(code: 12003, message: "Invalid Acknowledgement Status. Overridden records cannot be modified.")
    }

    /// 9033, 9034, 9035: their pages are not in the copies; the message follows the documented
    /// form of the other "not found" rules (9038, 40218): "Invalid Reference ID. The {Object}
    /// Reference ID provided ({RefID}) does not exist in PASI."
    public static func notFound(_ rule: PASIRule, id: String) -> Rejection {
        let object = switch rule {
        case .courseEnrolmentNotFound: "Course Enrolment"
        case .evaluatedMarkNotFound: "Evaluated Mark"
        default: "Section"
        }
        return Rejection(code: rule.rawValue, message: "Invalid Reference ID. The \(object) Reference ID provided (\(id)) does not exist in PASI.")
    }
}
