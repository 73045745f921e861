// The provincial side: what PASI Core holds for the district, with RefIds and
// PASICoreVersion numbers, for the PASI simulator's store.

/// A school as PASI holds it.
public struct PASISchoolRow: TabularRow, Hashable {
    /// The column names, in the order of ``columns``.
    public static let header = ["school_code", "name", "authority_code", "pasi_core_version"]
    /// The school code.
    public var schoolCode: String
    /// The name.
    public var name: String
    /// The authority code.
    public var authorityCode: String
    /// PASI's version of the record (PASICoreVersion).
    public var pasiCoreVersion: Int64

    /// The fields as COPY text, in ``header`` order.
    public var columns: [String] { [schoolCode, name, authorityCode, String(pasiCoreVersion)] }
}

/// A student as PASI holds it: the fields the initial synchronization compares.
public struct PASIStudentRow: TabularRow, Hashable {
    /// The column names, in the order of ``columns``.
    public static let header = [
        "asn", "pasi_core_version", "legal_name_ref_id", "legal_last_name", "legal_first_name", "legal_middle_name",
        "gender", "birth_date", "mailing_street", "mailing_city", "mailing_province", "mailing_postal_code",
        "mailing_country", "phone_number",
    ]
    /// Nine digits.
    public var asn: String
    /// PASI's version of the record (PASICoreVersion).
    public var pasiCoreVersion: Int64
    /// The legal name's RefId (GUID).
    public var legalNameRefId: String
    /// The legal last name.
    public var legalLastName: String
    /// The legal first name.
    public var legalFirstName: String
    /// The legal middle name; `nil` (NULL) when the student has none.
    public var legalMiddleName: String?
    /// PASI's spelling: `Male`, `Female`, `Unspecified`.
    public var gender: String
    /// The birth date.
    public var birthDate: String
    /// The mailing street.
    public var mailingStreet: String
    /// The mailing city.
    public var mailingCity: String
    /// The mailing province.
    public var mailingProvince: String
    /// The mailing postal code.
    public var mailingPostalCode: String
    /// The mailing country.
    public var mailingCountry: String
    /// `NNN-NNN-NNNN`.
    public var phoneNumber: String

    /// PASI's id of the student's mailing address (PASI's ids of addresses and phones are numbers):
    /// the ASN and the digit 1, so the simulator's province and a local copy loaded from the same
    /// district agree, and no id a simulator gives later (10^10 and above) collides.
    public var mailingAddressId: Int64 { Self.itemId(asn, 1) }
    /// PASI's id of the student's phone: the ASN and the digit 2.
    public var phoneId: Int64 { Self.itemId(asn, 2) }

    /// The id of a student's item: `asn` followed by `digit`.
    public static func itemId<S: StringProtocol>(_ asn: S, _ digit: Int64) -> Int64 { (Int64(asn) ?? 0) * 10 + digit }

    /// The fields as COPY text, in ``header`` order.
    public var columns: [String] {
        [asn, String(pasiCoreVersion), legalNameRefId, legalLastName, legalFirstName, Tabular.field(legalMiddleName),
         gender, birthDate, mailingStreet, mailingCity, mailingProvince, mailingPostalCode, mailingCountry, phoneNumber]
    }
}

/// A student school enrolment as PASI holds it.
public struct PASIEnrolmentRow: TabularRow, Hashable {
    /// The column names, in the order of ``columns``.
    public static let header = [
        "ref_id", "asn", "school_code", "school_year", "grade", "entry_date", "exit_date",
        "registration_type", "is_deleted", "pasi_core_version",
    ]
    /// The enrolment's RefId (GUID).
    public var refId: String
    /// The ASN, nine digits.
    public var asn: String
    /// The school code.
    public var schoolCode: String
    /// PASI's end year (2026 for 2025/2026).
    public var schoolYear: Int
    /// Two-character grade code.
    public var grade: String
    /// The entry date.
    public var entryDate: String
    /// The exit date; `nil` while enrolled.
    public var exitDate: String?
    /// The registration type.
    public var registrationType: String
    /// Whether PASI holds it deleted (created in error: a 2020-endpoint enrolment has no registration status).
    public var isDeleted: Bool = false
    /// PASI's version of the record (PASICoreVersion).
    public var pasiCoreVersion: Int64

    /// The fields as COPY text, in ``header`` order.
    public var columns: [String] {
        [refId, asn, schoolCode, String(schoolYear), grade, entryDate, Tabular.field(exitDate), registrationType,
         isDeleted ? "t" : "f", String(pasiCoreVersion)]
    }
}
