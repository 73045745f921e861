public import PASIModel

/// `GetCodeValues`: code values changed since a version (0 = all), and the school years
/// PASI accepts. The request member is the pages' Last Known Source Version
/// (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/get_code_values.html,
/// https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/f9993fe0-e0be-d958-69a4-e1e6f1d1f406.htm).
public struct GetCodeValuesRequest: Codable, Sendable {
    public var callerInfo: CallerInfoElement
    /// `LastKnownSourceVersion`: 0 for every code value.
    public var lastKnownVersion: Int64
    public init(callerInfo: CallerInfoElement, lastKnownVersion: Int64) { (self.callerInfo, self.lastKnownVersion) = (callerInfo, lastKnownVersion) }

    enum CodingKeys: String, CodingKey {
        case callerInfo, lastKnownVersion = "lastKnownSourceVersion"
    }
}

/// One code value, its elements named as get_code_values.html names the response's: Code Class
/// Name (30), Code Text (50), Description (160), PASICore Version. (The page's Short Description,
/// French descriptions, Display Sequence and Effective/Expiry School Year are not carried.)
public struct CodeValue: Codable, Sendable, Hashable {
    /// The code class, e.g. `Grade` (`CodeClassName`).
    public var table: String
    /// `CodeText`.
    public var code: String
    public var description: String
    /// `PASICoreVersion`.
    public var version: Int64
    public init(table: String, code: String, description: String, version: Int64) {
        (self.table, self.code, self.description, self.version) = (table, code, description, version)
    }

    enum CodingKeys: String, CodingKey {
        case table = "codeClassName", code = "codeText", description, version = "pasiCoreVersion"
    }
}

/// How PASI treats a school year for registrations.
public enum SchoolYearStatus: String, Codable, Sendable, Hashable {
    case current = "Current"
    case historical = "Historical"
    case future = "Future"
}

/// A school year PASI accepts registrations for.
public struct AcceptedSchoolYear: Codable, Sendable, Hashable {
    public var schoolYear: SchoolYear
    public var status: SchoolYearStatus
    public init(schoolYear: SchoolYear, status: SchoolYearStatus) { (self.schoolYear, self.status) = (schoolYear, status) }
}

/// The answer to `GetCodeValues`.
public struct GetCodeValuesResponse: Codable, Sendable {
    /// The highest code value version; send it next time.
    public var version: Int64
    public var codeValue: [CodeValue]
    public var acceptedSchoolYear: [AcceptedSchoolYear]
    public init(version: Int64, codeValue: [CodeValue], acceptedSchoolYear: [AcceptedSchoolYear]) {
        (self.version, self.codeValue, self.acceptedSchoolYear) = (version, codeValue, acceptedSchoolYear)
    }
}

/// `IdentifyStudent`: who in the province matches these demographics.
public struct IdentifyStudentRequest: Codable, Sendable {
    public var callerInfo: CallerInfoElement
    public var lastName: String
    public var firstName: String?
    public var birthDate: PASIDate?
    public var gender: Gender?
    public init(callerInfo: CallerInfoElement, lastName: String, firstName: String? = nil, birthDate: PASIDate? = nil, gender: Gender? = nil) {
        (self.callerInfo, self.lastName, self.firstName, self.birthDate, self.gender) = (callerInfo, lastName, firstName, birthDate, gender)
    }
}

/// One student PASI thinks may be the one asked about.
public struct StudentCandidate: Codable, Sendable, Hashable {
    public var asn: ASN
    public var matchQuality: MatchQuality
    public var lastName: String
    public var firstName: String?
    public var birthDate: PASIDate?
    public init(asn: ASN, matchQuality: MatchQuality, lastName: String, firstName: String?, birthDate: PASIDate?) {
        (self.asn, self.matchQuality, self.lastName, self.firstName, self.birthDate) = (asn, matchQuality, lastName, firstName, birthDate)
    }
}

/// The answer to `IdentifyStudent`, best matches first.
public struct IdentifyStudentResponse: Codable, Sendable {
    public var candidate: [StudentCandidate]
    public init(candidate: [StudentCandidate]) { self.candidate = candidate }
}
