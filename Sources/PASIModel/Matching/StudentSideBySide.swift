/// One field of a student as the SIS and the local PASI copy hold it, for a person to compare
/// (the console's student page).
public struct ComparedField: Sendable, Hashable {
    /// The conflict type the field belongs to (its group on the page).
    public var group: ConflictType
    /// The field, named as conflicts name it, e.g. `Legal Last Name`.
    public var field: String
    /// The SIS's value, as compared.
    public var sisValue: String?
    /// PASI's value, as compared.
    public var pasiValue: String?
    /// Whether the two differ as Initial Synchronization judges it (a Conflict of ``group``).
    public var differs: Bool
}

/// The SIS record and the local PASI copy of one student side by side, field by field. Which
/// fields differ is decided by the same comparison Initial Synchronization raises its conflicts
/// with (``StudentComparison``), so the page marks exactly what a conflict would name; the values
/// shown are the ones that comparison reads (PASI's preferred mailing address, its home phone, …).
public enum StudentSideBySide {
    /// Every compared field, in conflict-type order. With one side missing, nothing is marked.
    /// - Parameters:
    ///   - sis: The SIS student, if there is one.
    ///   - pasi: The local PASI copy, if there is one.
    ///   - address: Whether Smart Address Match is on (addresses compared as the setting says).
    public static func fields(sis: SISStudent?, pasi: Student?, address: SmartAddressMatch) -> [ComparedField] {
        var differing: Set<String> = []
        if let sis, let pasi {
            for (_, differences) in StudentComparison.differences(sis, pasi, address: address) {
                differing.formUnion(differences.map(\.field))
            }
        }
        return values(sis: sis, pasi: pasi).map { group, field, sisValue, pasiValue in
            ComparedField(group: group, field: field, sisValue: sisValue, pasiValue: pasiValue, differs: differing.contains(field))
        }
    }

    /// (group, field, SIS value, PASI value) for every field the comparison reads.
    static func values(sis: SISStudent?, pasi: Student?) -> [(ConflictType, String, String?, String?)] {
        let d = sis?.demographics
        let legalSIS = sis.map { StudentComparison.sisLegalName($0) }
        let legal = pasi?.legalName
        let alias = pasi?.names.first { $0.type == .alias }
        let document = pasi?.identificationDocument
        let mailing = pasi.flatMap { StudentComparison.address($0, .mailing) }
        let permanent = pasi.flatMap { StudentComparison.address($0, .physical) }
        let phone = pasi.flatMap { StudentComparison.phone($0) }
        let restriction = pasi.flatMap { StudentComparison.restriction($0) }
        let sisGender = d.map { ($0.legalGender ?? $0.gender ?? .unknown).rawValue }
        return [
            (.legalNameAndIdentification, "Legal Last Name", legalSIS?.last, legal?.lastName),
            (.legalNameAndIdentification, "Legal First Name", legalSIS?.first, legal?.firstName),
            (.legalNameAndIdentification, "Legal Middle Name", legalSIS?.middle, legal?.middleName),
            (.legalNameAndIdentification, "Legal Suffix", d?.legalSuffix, legal?.suffix),
            (.legalNameAndIdentification, "Legal Name Is Exact", yesNo(d?.isLegalNameExact), yesNo(legal?.isNameExact)),
            (.legalNameAndIdentification, "Document Type", d?.documentType, document?.type),
            (.legalNameAndIdentification, "Document Number", d?.documentNumber, document?.numberLastCharacters),
            (.legalNameAndIdentification, "Document Issue Date", d?.documentIssueDate?.description, document?.issueDate?.description),
            (.gender, "Gender", sisGender, pasi?.gender.rawValue),
            (.preferredName, "Preferred Name", d?.preferredName?.rawValue, pasi?.names.first(where: \.isPreferred)?.type.rawValue),
            (.otherName, "Alias Last Name", d?.aliasLastName, alias?.lastName),
            (.otherName, "Alias First Name", d?.aliasFirstName, alias?.firstName),
            (.otherName, "Alias Middle Name", d?.aliasMiddleName, alias?.middleName),
            (.otherName, "Alias Suffix", d?.aliasSuffix, alias?.suffix),
            (.otherName, "Alias Name Is Exact", yesNo(d?.isAliasNameExact), yesNo(alias?.isNameExact)),
            (.mailingAddress, "Mailing Street", d?.mailingStreet, mailing?.street),
            (.mailingAddress, "Mailing City", d?.mailingCity, mailing?.city),
            (.mailingAddress, "Mailing Province", d?.mailingProvince, mailing?.province),
            (.mailingAddress, "Mailing Postal Code", d?.mailingPostalCode, mailing?.postalCode),
            (.mailingAddress, "Mailing Effective Date", d?.mailingEffectiveDate?.description, mailing?.effectiveDate?.description),
            (.mailingAddress, "Mailing Expiry Date", d?.mailingExpiryDate?.description, mailing?.expiryDate?.description),
            (.permanentAddress, "Permanent Street", d?.permanentStreet, permanent?.street),
            (.permanentAddress, "Permanent City", d?.permanentCity, permanent?.city),
            (.permanentAddress, "Permanent Province", d?.permanentProvince, permanent?.province),
            (.permanentAddress, "Permanent Postal Code", d?.permanentPostalCode, permanent?.postalCode),
            (.permanentAddress, "Permanent Country", d?.permanentCountry, permanent?.country),
            (.permanentAddress, "Permanent Effective Date", d?.permanentEffectiveDate?.description, permanent?.effectiveDate?.description),
            (.permanentAddress, "Permanent Expiry Date", d?.permanentExpiryDate?.description, permanent?.expiryDate?.description),
            (.phoneNumber, "Home Phone", d?.homePhone, phone?.number),
            (.phoneNumber, "Phone Extension", d?.phoneExtension, phone?.extension),
            (.phoneNumber, "Phone Type", d?.phoneType, phone?.type),
            (.phoneNumber, "Phone Is Listable", yesNo(d?.isPhoneListable), yesNo(phone?.isListable)),
            (.phoneNumber, "Phone Effective Date", d?.phoneEffectiveDate?.description, phone?.effectiveDate?.description),
            (.phoneNumber, "Phone Expiry Date", d?.phoneExpiryDate?.description, phone?.expiryDate?.description),
            (.citizenshipStatus, "Citizenship", d?.citizenship, pasi?.citizenshipStatus),
            (.section23, "Section 23 Eligibility", d?.section23Eligibility, pasi?.section23Eligibility),
            (.disclosureRestriction, "Disclosure Restriction", d?.protectionRestrictions, restriction?.code),
            (.disclosureRestriction, "Protected Under", d?.protectedUnder, restriction?.details),
            (.disclosureRestriction, "Protection Effective Date", d?.protectionEffectiveDate?.description, restriction?.effectiveDate?.description),
            (.disclosureRestriction, "Protection Expiry Date", d?.protectionExpiryDate?.description, restriction?.expiryDate?.description),
            (.birthDate, "Birth Date", d?.birthDate?.description, pasi?.birthDate?.description),
        ]
    }

    static func yesNo(_ flag: Bool?) -> String? { flag.map { $0 ? "Yes" : "No" } }
}
