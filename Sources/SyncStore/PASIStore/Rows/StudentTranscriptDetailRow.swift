internal import PASIModel

/// A row of `pasi.student_transcript_details` (migration 0031): one per student, its parts as JSON
/// arrays whose objects' keys are the columns of `sync.student_transcript_details`, the view people read.
/// The whole transcript replaces the row (the client asks with `KnownSourceVersion` 0).
struct StudentTranscriptDetailRow: PASIRow {
    static let table = PASITable(name: "pasi.student_transcript_details", keyType: "char(9)", columns: [
        ("ref_id", "char(9)"), ("pasi_core_version", "bigint"), ("official_marks", "jsonb"), ("credentials", "jsonb"),
        ("credential_requirement_exemptions", "jsonb"), ("external_credentials", "jsonb"),
    ], yearColumn: nil)

    var refId: String
    var pasiCoreVersion: Int64
    var officialMarks: [OfficialMark]
    var credentials: [Credential]
    var credentialRequirementExemptions: [Exemption]
    var externalCredentials: [ExternalCredential]

    enum CodingKeys: String, CodingKey {
        case refId = "ref_id", pasiCoreVersion = "pasi_core_version", officialMarks = "official_marks", credentials
        case credentialRequirementExemptions = "credential_requirement_exemptions", externalCredentials = "external_credentials"
    }

    struct OfficialMark: Codable {
        var courseCode: String
        var schoolYear: Int?
        var creditsAwarded: Int
        var markValue: String?
        var markFormat: String?
        var markStatus: String?
        var markCalculationMethod: String?
        var pasiCoreVersion: Int64

        enum CodingKeys: String, CodingKey {
            case courseCode = "course_code", schoolYear = "school_year", creditsAwarded = "credits_awarded", markValue = "mark_value"
            case markFormat = "mark_format", markStatus = "mark_status", markCalculationMethod = "mark_calculation_method"
            case pasiCoreVersion = "pasi_core_version"
        }
    }

    struct Credential: Codable {
        var credentialType: String
        var achievementStatus: String?
        var credentialNumber: String?
        var awardedOnDate: String?
        var schoolYear: Int?
        var pasiCoreVersion: Int64

        enum CodingKeys: String, CodingKey {
            case credentialType = "credential_type", achievementStatus = "achievement_status", credentialNumber = "credential_number"
            case awardedOnDate = "awarded_on_date", schoolYear = "school_year", pasiCoreVersion = "pasi_core_version"
        }
    }

    struct Exemption: Codable {
        var credentialRequirementCode: String
        var exemptionReason: String
        var exemptionStatus: String
        var pasiCoreVersion: Int64

        enum CodingKeys: String, CodingKey {
            case credentialRequirementCode = "credential_requirement_code", exemptionReason = "exemption_reason"
            case exemptionStatus = "exemption_status", pasiCoreVersion = "pasi_core_version"
        }
    }

    struct ExternalCredential: Codable {
        var externalCredentialCode: String
        var awardedDate: String
        var isDeleted: Bool
        var pasiCoreVersion: Int64

        enum CodingKeys: String, CodingKey {
            case externalCredentialCode = "external_credential_code", awardedDate = "awarded_date", isDeleted = "is_deleted"
            case pasiCoreVersion = "pasi_core_version"
        }
    }

    init(_ detail: StudentTranscriptDetail) {
        refId = detail.asn.digits
        pasiCoreVersion = detail.pasiCoreVersion
        officialMarks = detail.officialMarks.map {
            OfficialMark(courseCode: $0.courseCode, schoolYear: $0.schoolYear?.endYear, creditsAwarded: $0.creditsAwarded, markValue: $0.markValue,
                         markFormat: $0.markFormat, markStatus: $0.markStatus, markCalculationMethod: $0.markCalculationMethod,
                         pasiCoreVersion: $0.pasiCoreVersion)
        }
        credentials = detail.credentials.map {
            Credential(credentialType: $0.credentialType, achievementStatus: $0.achievementStatus, credentialNumber: $0.credentialNumber,
                       awardedOnDate: $0.awardedOnDate?.description, schoolYear: $0.schoolYear?.endYear, pasiCoreVersion: $0.pasiCoreVersion)
        }
        credentialRequirementExemptions = detail.credentialRequirementExemptions.map {
            Exemption(credentialRequirementCode: $0.credentialRequirementCode, exemptionReason: $0.exemptionReason,
                      exemptionStatus: $0.exemptionStatus, pasiCoreVersion: $0.pasiCoreVersion)
        }
        externalCredentials = detail.externalCredentials.map {
            ExternalCredential(externalCredentialCode: $0.externalCredentialCode, awardedDate: $0.awardedDate.description,
                               isDeleted: $0.isDeleted, pasiCoreVersion: $0.pasiCoreVersion)
        }
    }

    func model() throws -> StudentTranscriptDetail {
        try RowReader(table: Self.table.name, key: refId).read { () throws(PASIModelError) in
            func year(_ end: Int?) throws(PASIModelError) -> SchoolYear? { if let end { try SchoolYear(endYear: end) } else { nil } }
            func date(_ text: String?) throws(PASIModelError) -> PASIDate? { if let text { try PASIDate(text) } else { nil } }
            var marks: [TranscriptOfficialMark] = []
            for mark in officialMarks {
                marks.append(try TranscriptOfficialMark(
                    courseCode: mark.courseCode, schoolYear: year(mark.schoolYear), creditsAwarded: mark.creditsAwarded, markValue: mark.markValue,
                    markFormat: mark.markFormat, markStatus: mark.markStatus, markCalculationMethod: mark.markCalculationMethod,
                    pasiCoreVersion: mark.pasiCoreVersion))
            }
            var held: [TranscriptCredential] = []
            for credential in credentials {
                held.append(try TranscriptCredential(
                    credentialType: credential.credentialType, achievementStatus: credential.achievementStatus,
                    credentialNumber: credential.credentialNumber, awardedOnDate: date(credential.awardedOnDate),
                    schoolYear: year(credential.schoolYear), pasiCoreVersion: credential.pasiCoreVersion))
            }
            var exemptions: [TranscriptRequirementExemption] = []
            for exemption in credentialRequirementExemptions {
                exemptions.append(try TranscriptRequirementExemption(
                    credentialRequirementCode: exemption.credentialRequirementCode, exemptionReason: exemption.exemptionReason,
                    exemptionStatus: exemption.exemptionStatus, pasiCoreVersion: exemption.pasiCoreVersion))
            }
            var external: [TranscriptExternalCredential] = []
            for credential in externalCredentials {
                external.append(try TranscriptExternalCredential(
                    externalCredentialCode: credential.externalCredentialCode, awardedDate: PASIDate(credential.awardedDate),
                    isDeleted: credential.isDeleted, pasiCoreVersion: credential.pasiCoreVersion))
            }
            return try StudentTranscriptDetail(
                asn: ASN(refId, checkDigit: .ignored), officialMarks: marks, credentials: held, credentialRequirementExemptions: exemptions,
                externalCredentials: external, pasiCoreVersion: pasiCoreVersion)
        }
    }
}
