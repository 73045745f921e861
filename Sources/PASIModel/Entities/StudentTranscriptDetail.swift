// A student's transcript details as PASI's GetStudentTranscriptDetail returns them
// (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/get_student_transcript_detail.html;
// technical page https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/2303d614-96af-de02-134b-87c2f381ead0.htm):
// "the Official Mark, Credential information and Student External Credential information", i.e. the
// student's Student Credentials, Student Credential Numbers, Student Credential Requirement
// Exceptions, Official Marks and Student External Credentials, "the transcript's PASI Core version
// and the availability status". One record per student, keyed by ASN; PASI's own, one way to the SIS.
// Each part carries its own PASICoreVersion: KnownSourceVersion returns only the parts above it.
// The members of each part are the data contract's where a page names them (OfficialMarkInfo:
// https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/5a833872-16c5-4904-43a7-e7d5dad217ee.htm)
// and the business objects' elsewhere; docs/pasi-protocol.md, "Student Transcript Detail", says
// which were this project's choice.

/// One official mark of a transcript (the data contract's `OfficialMarkInfo`, official_mark.html):
/// "the mark value and credits awarded to a student by Alberta Education for a specific course".
public struct TranscriptOfficialMark: Sendable, Hashable {
    /// The course (Required on the data contract).
    public var courseCode: String
    /// The school year the student achieved the mark in (school_year_official_mark.html).
    public var schoolYear: SchoolYear?
    /// Credits awarded (Required on the data contract), 0 or more.
    public var creditsAwarded: Int
    /// The mark value, as text: its format is ``markFormat`` (a percentage, or a letter for a GED mark).
    public var markValue: String?
    /// The format of the mark value, a PASI code value.
    public var markFormat: String?
    /// The status of the official mark, a PASI code value derived from the calculation method.
    public var markStatus: String?
    /// How the official mark was calculated, a PASI code value.
    public var markCalculationMethod: String?
    /// PASI's version of this official mark.
    public var pasiCoreVersion: Int64

    /// Creates an official mark.
    /// - Throws: ``PASIModelError`` if the course code is empty, the credits are negative, a
    ///   text breaks the PASI string rule or a version is negative.
    public init(courseCode: String, schoolYear: SchoolYear? = nil, creditsAwarded: Int, markValue: String? = nil, markFormat: String? = nil,
                markStatus: String? = nil, markCalculationMethod: String? = nil, pasiCoreVersion: Int64 = 0) throws(PASIModelError) {
        try Rule.required(courseCode, "TranscriptOfficialMark.courseCode")
        try Rule.nonNegative(creditsAwarded, "TranscriptOfficialMark.creditsAwarded")
        try Rule.text(markValue, "TranscriptOfficialMark.markValue", max: 10)
        try Rule.text(markFormat, "TranscriptOfficialMark.markFormat")
        try Rule.text(markStatus, "TranscriptOfficialMark.markStatus")
        try Rule.text(markCalculationMethod, "TranscriptOfficialMark.markCalculationMethod")
        try Rule.version(pasiCoreVersion, "TranscriptOfficialMark.pasiCoreVersion")
        self.courseCode = courseCode
        self.schoolYear = schoolYear
        self.creditsAwarded = creditsAwarded
        self.markValue = markValue
        self.markFormat = markFormat
        self.markStatus = markStatus
        self.markCalculationMethod = markCalculationMethod
        self.pasiCoreVersion = pasiCoreVersion
    }
}

/// A credential the student achieved or was awarded, with its current credential number when
/// awarded (awarding_credential.html, awarded_student_credential_audit_event.html).
public struct TranscriptCredential: Sendable, Hashable {
    /// The credential type, a PASI code value (AHSD, ADEX, ADVD, GHSD, HSED, CHSA, IOPC, COSC…).
    public var credentialType: String
    /// The credential requirement set's achievement status, a PASI code value (Achieved, NotAchieved…).
    public var achievementStatus: String?
    /// The current credential number of an awarded credential (`XXXXX-XXXXX` in PASIprep).
    public var credentialNumber: String?
    /// When it was awarded.
    public var awardedOnDate: PASIDate?
    /// The school year it was awarded for.
    public var schoolYear: SchoolYear?
    /// PASI's version of this credential.
    public var pasiCoreVersion: Int64

    /// Creates a credential.
    /// - Throws: ``PASIModelError`` if the type is empty, a text breaks the PASI string rule or the
    ///   version is negative.
    public init(credentialType: String, achievementStatus: String? = nil, credentialNumber: String? = nil, awardedOnDate: PASIDate? = nil,
                schoolYear: SchoolYear? = nil, pasiCoreVersion: Int64 = 0) throws(PASIModelError) {
        try Rule.required(credentialType, "TranscriptCredential.credentialType")
        try Rule.text(achievementStatus, "TranscriptCredential.achievementStatus")
        try Rule.text(credentialNumber, "TranscriptCredential.credentialNumber", max: 20)
        try Rule.version(pasiCoreVersion, "TranscriptCredential.pasiCoreVersion")
        self.credentialType = credentialType
        self.achievementStatus = achievementStatus
        self.credentialNumber = credentialNumber
        self.awardedOnDate = awardedOnDate
        self.schoolYear = schoolYear
        self.pasiCoreVersion = pasiCoreVersion
    }
}

/// An exemption from a credential requirement (submit_credential_requirement_exemption.html): the
/// requirement, the reason and its status (Requested, Approved, Denied, Pending).
public struct TranscriptRequirementExemption: Sendable, Hashable {
    /// The credential requirement, a PASI code value (e.g. CALM).
    public var credentialRequirementCode: String
    /// The exemption reason, a PASI code value.
    public var exemptionReason: String
    /// Requested, Approved, Denied or Pending.
    public var exemptionStatus: String
    /// PASI's version of this exemption.
    public var pasiCoreVersion: Int64

    /// Creates an exemption.
    /// - Throws: ``PASIModelError`` if a code is empty or breaks the PASI string rule, or the
    ///   version is negative.
    public init(credentialRequirementCode: String, exemptionReason: String, exemptionStatus: String, pasiCoreVersion: Int64 = 0) throws(PASIModelError) {
        try Rule.required(credentialRequirementCode, "TranscriptRequirementExemption.credentialRequirementCode")
        try Rule.required(exemptionReason, "TranscriptRequirementExemption.exemptionReason")
        try Rule.required(exemptionStatus, "TranscriptRequirementExemption.exemptionStatus")
        try Rule.version(pasiCoreVersion, "TranscriptRequirementExemption.pasiCoreVersion")
        self.credentialRequirementCode = credentialRequirementCode
        self.exemptionReason = exemptionReason
        self.exemptionStatus = exemptionStatus
        self.pasiCoreVersion = pasiCoreVersion
    }
}

/// A credential awarded outside Alberta Education's system and recorded by a school
/// (manage_student_external_credential.html, add_external_credential.html: External Credential,
/// Awarded Date; is deleted).
public struct TranscriptExternalCredential: Sendable, Hashable {
    /// The external credential, a code of PASI's External Credential list (at most 80 characters).
    public var externalCredentialCode: String
    /// When it was awarded or achieved.
    public var awardedDate: PASIDate
    /// Whether the school removed it.
    public var isDeleted: Bool
    /// PASI's version of this external credential.
    public var pasiCoreVersion: Int64

    /// Creates an external credential.
    /// - Throws: ``PASIModelError`` if the code is empty, longer than 80 or breaks the PASI string
    ///   rule, or the version is negative.
    public init(externalCredentialCode: String, awardedDate: PASIDate, isDeleted: Bool = false, pasiCoreVersion: Int64 = 0) throws(PASIModelError) {
        try Rule.required(externalCredentialCode, "TranscriptExternalCredential.externalCredentialCode", max: 80)
        try Rule.version(pasiCoreVersion, "TranscriptExternalCredential.pasiCoreVersion")
        self.externalCredentialCode = externalCredentialCode
        self.awardedDate = awardedDate
        self.isDeleted = isDeleted
        self.pasiCoreVersion = pasiCoreVersion
    }
}

/// A student's transcript details: the Get of the `StudentTranscriptDetail` notification type.
public struct StudentTranscriptDetail: Sendable, Hashable {
    /// The student (the record's id, as the ASN's nine digits).
    public var asn: ASN
    /// The official marks.
    public var officialMarks: [TranscriptOfficialMark]
    /// The credentials achieved or awarded, with their credential numbers.
    public var credentials: [TranscriptCredential]
    /// The credential requirement exemptions.
    public var credentialRequirementExemptions: [TranscriptRequirementExemption]
    /// The external credentials.
    public var externalCredentials: [TranscriptExternalCredential]
    /// PASI's version of the transcript: at least the highest version of its parts. Giving it a
    /// version gives that version to every part still without one (0): what PASI does when it
    /// records a part, and how the simulator's generic store versions a new or changed part.
    public var pasiCoreVersion: Int64 {
        didSet { stampUnversionedParts() }
    }

    /// Creates a transcript detail; parts without a version take the transcript's.
    /// - Throws: ``PASIModelError`` if the version is negative, or a part is listed twice (an
    ///   official mark by course and school year, a credential by type, an exemption by requirement
    ///   and reason, an external credential by code).
    public init(asn: ASN, officialMarks: [TranscriptOfficialMark] = [], credentials: [TranscriptCredential] = [],
                credentialRequirementExemptions: [TranscriptRequirementExemption] = [],
                externalCredentials: [TranscriptExternalCredential] = [], pasiCoreVersion: Int64 = 0) throws(PASIModelError) {
        try Rule.version(pasiCoreVersion, "StudentTranscriptDetail.pasiCoreVersion")
        try Self.unique(officialMarks.map { "\($0.courseCode) \($0.schoolYear?.description ?? "")" }, "StudentTranscriptDetail.officialMarks")
        try Self.unique(credentials.map(\.credentialType), "StudentTranscriptDetail.credentials")
        try Self.unique(credentialRequirementExemptions.map { "\($0.credentialRequirementCode) \($0.exemptionReason)" },
                        "StudentTranscriptDetail.credentialRequirementExemptions")
        try Self.unique(externalCredentials.map(\.externalCredentialCode), "StudentTranscriptDetail.externalCredentials")
        self.asn = asn
        self.officialMarks = officialMarks
        self.credentials = credentials
        self.credentialRequirementExemptions = credentialRequirementExemptions
        self.externalCredentials = externalCredentials
        self.pasiCoreVersion = pasiCoreVersion
        stampUnversionedParts()
    }

    /// The parts whose version is above `knownSourceVersion`, the transcript's own version kept:
    /// what GetStudentTranscriptDetail returns for a `KnownSourceVersion` ("only the 'delta'"); 0
    /// keeps every part ("no version filtering will be applied").
    public func parts(above knownSourceVersion: Int64) -> StudentTranscriptDetail {
        guard knownSourceVersion > 0 else { return self }
        var delta = self
        delta.officialMarks.removeAll { $0.pasiCoreVersion <= knownSourceVersion }
        delta.credentials.removeAll { $0.pasiCoreVersion <= knownSourceVersion }
        delta.credentialRequirementExemptions.removeAll { $0.pasiCoreVersion <= knownSourceVersion }
        delta.externalCredentials.removeAll { $0.pasiCoreVersion <= knownSourceVersion }
        return delta
    }

    private mutating func stampUnversionedParts() {
        let version = pasiCoreVersion
        guard version > 0 else { return }
        for index in officialMarks.indices where officialMarks[index].pasiCoreVersion == 0 { officialMarks[index].pasiCoreVersion = version }
        for index in credentials.indices where credentials[index].pasiCoreVersion == 0 { credentials[index].pasiCoreVersion = version }
        for index in credentialRequirementExemptions.indices where credentialRequirementExemptions[index].pasiCoreVersion == 0 {
            credentialRequirementExemptions[index].pasiCoreVersion = version
        }
        for index in externalCredentials.indices where externalCredentials[index].pasiCoreVersion == 0 {
            externalCredentials[index].pasiCoreVersion = version
        }
    }

    private static func unique(_ keys: [String], _ field: String) throws(PASIModelError) {
        var seen: Set<String> = []
        for key in keys where !seen.insert(key).inserted {
            throw PASIModelError(.duplicate, field: field, expectation: "must not list the same part twice", value: key)
        }
    }
}

/// Decoding goes through the validating initializers.
extension TranscriptOfficialMark: Codable {
    /// Decodes and validates an official mark.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            courseCode: c.value(.courseCode), schoolYear: c.optional(.schoolYear), creditsAwarded: c.value(.creditsAwarded),
            markValue: c.optional(.markValue), markFormat: c.optional(.markFormat), markStatus: c.optional(.markStatus),
            markCalculationMethod: c.optional(.markCalculationMethod), pasiCoreVersion: c.value(.pasiCoreVersion))
    }
}

/// Decoding goes through the validating initializer.
extension TranscriptCredential: Codable {
    /// Decodes and validates a credential.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            credentialType: c.value(.credentialType), achievementStatus: c.optional(.achievementStatus),
            credentialNumber: c.optional(.credentialNumber), awardedOnDate: c.optional(.awardedOnDate), schoolYear: c.optional(.schoolYear),
            pasiCoreVersion: c.value(.pasiCoreVersion))
    }
}

/// Decoding goes through the validating initializer.
extension TranscriptRequirementExemption: Codable {
    /// Decodes and validates an exemption.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            credentialRequirementCode: c.value(.credentialRequirementCode), exemptionReason: c.value(.exemptionReason),
            exemptionStatus: c.value(.exemptionStatus), pasiCoreVersion: c.value(.pasiCoreVersion))
    }
}

/// Decoding goes through the validating initializer.
extension TranscriptExternalCredential: Codable {
    /// Decodes and validates an external credential.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            externalCredentialCode: c.value(.externalCredentialCode), awardedDate: c.value(.awardedDate),
            isDeleted: c.optional(.isDeleted) ?? false, pasiCoreVersion: c.value(.pasiCoreVersion))
    }
}

/// Decoding goes through the validating initializer; an absent list is an empty one.
extension StudentTranscriptDetail: Codable {
    enum CodingKeys: String, CodingKey {
        case asn, officialMarks, credentials, credentialRequirementExemptions, externalCredentials, pasiCoreVersion
    }

    /// Decodes and validates a transcript detail.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            asn: c.value(.asn), officialMarks: c.optional(.officialMarks) ?? [], credentials: c.optional(.credentials) ?? [],
            credentialRequirementExemptions: c.optional(.credentialRequirementExemptions) ?? [],
            externalCredentials: c.optional(.externalCredentials) ?? [], pasiCoreVersion: c.value(.pasiCoreVersion))
    }

    /// Encodes the members in the order of ``CodingKeys``.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(asn, forKey: .asn)
        try c.encode(officialMarks, forKey: .officialMarks)
        try c.encode(credentials, forKey: .credentials)
        try c.encode(credentialRequirementExemptions, forKey: .credentialRequirementExemptions)
        try c.encode(externalCredentials, forKey: .externalCredentials)
        try c.encode(pasiCoreVersion, forKey: .pasiCoreVersion)
    }
}

extension StudentTranscriptDetail: PASIRecord {
    public static var recordType: RecordType { .studentTranscriptDetail }
    /// The ASN's nine digits, as the change feed announces it.
    public var recordID: String { asn.digits }
    /// Not year-scoped: the notification type is `StudentTranscriptDetail`.
    public var recordYear: SchoolYear? { nil }
}

extension RecordType {
    /// Whether the Get takes a request-level `KnownSourceVersion` (GetStudentTranscriptDetail:
    /// "the maximum last known PASI Core transcript version on PASI Client", Required on the data
    /// contract, https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/e786cbca-b31f-383e-2517-73be8c305ab3.htm).
    public var getTakesKnownSourceVersion: Bool { self == .studentTranscriptDetail }
}
