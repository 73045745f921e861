public import PASIModel

/// `GetCodeValues`: code values changed since a version (0 = all), and the school years
/// PASI accepts.
public struct GetCodeValuesRequest: Codable, Sendable {
    public var callerInfo: CallerInfoElement
    public var lastKnownVersion: Int64
    public init(callerInfo: CallerInfoElement, lastKnownVersion: Int64) { (self.callerInfo, self.lastKnownVersion) = (callerInfo, lastKnownVersion) }
}

/// One code value.
public struct CodeValue: Codable, Sendable, Hashable {
    /// The code table, e.g. `Grade`.
    public var table: String
    public var code: String
    public var description: String
    public var version: Int64
    public init(table: String, code: String, description: String, version: Int64) {
        (self.table, self.code, self.description, self.version) = (table, code, description, version)
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
