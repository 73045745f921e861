/// The student conflicts of a matched pair: every conflict type whose fields differ, with
/// the fields. Pure; one small function per conflict type.
///
/// Text is compared trimmed and with inner white space collapsed, case and accents
/// counting; a value empty on both sides is equal, one empty on one side only is a
/// difference (PASI holding what the SIS never collected is what most conflicts are
/// about), except for the flags and codes PASI always fills where the SIS column is
/// optional — name exactness, preferred name, phone type, listable — which are compared
/// only when the SIS holds them.
enum StudentComparison {
    /// The differences, grouped by conflict type, in ``ConflictType`` order.
    static func differences(_ sis: SISStudent, _ pasi: Student, address: SmartAddressMatch) -> [(ConflictType, [FieldDifference])] {
        let checks: [(ConflictType, [FieldDifference])] = [
            (.legalNameAndIdentification, legalName(sis, pasi) + identification(sis.demographics, pasi)),
            (.gender, gender(sis.demographics, pasi)),
            (.preferredName, preferredName(sis.demographics, pasi)),
            (.otherName, otherName(sis.demographics, pasi)),
            (.mailingAddress, mailingAddress(sis.demographics, pasi, address)),
            (.permanentAddress, permanentAddress(sis.demographics, pasi, address)),
            (.phoneNumber, phone(sis.demographics, pasi)),
            (.citizenshipStatus, text("Citizenship", sis.demographics.citizenship, pasi.citizenshipStatus)),
            (.section23, text("Section 23 Eligibility", sis.demographics.section23Eligibility, pasi.section23Eligibility)),
            (.disclosureRestriction, disclosureRestriction(sis.demographics, pasi)),
            (.birthDate, date("Birth Date", sis.demographics.birthDate, pasi.birthDate)),
        ]
        return checks.filter { !$0.1.isEmpty }.sorted { order($0.0) < order($1.0) }
    }

    static func order(_ type: ConflictType) -> Int { ConflictType.allCases.firstIndex(of: type) ?? 0 }

    // MARK: - Names

    /// The SIS's legal name: the legal fields, or the school's name when the legal last name
    /// is empty (a SIS that never filled the legal fields).
    static func sisLegalName(_ sis: SISStudent) -> (last: String?, first: String?, middle: String?) {
        let d = sis.demographics
        guard MatchText.plain(d.legalLastName) != nil else { return (sis.lastName, sis.firstName, sis.middleName) }
        return (d.legalLastName, d.legalFirstName, d.legalMiddleName)
    }

    static func legalName(_ sis: SISStudent, _ pasi: Student) -> [FieldDifference] {
        let name = sisLegalName(sis)
        let legal = pasi.legalName
        var out = text("Legal Last Name", name.last, legal?.lastName)
            + text("Legal First Name", name.first, legal?.firstName)
            + text("Legal Middle Name", name.middle, legal?.middleName)
            + text("Legal Suffix", sis.demographics.legalSuffix, legal?.suffix)
        if let exact = sis.demographics.isLegalNameExact, let legal {
            out += flag("Legal Name Is Exact", exact, legal.isNameExact)
        }
        return out
    }

    static func identification(_ d: SISDemographics, _ pasi: Student) -> [FieldDifference] {
        let document = pasi.identificationDocument
        return text("Document Type", d.documentType, document?.type)
            + text("Document Number", d.documentNumber, document?.numberLastCharacters)
            + date("Document Issue Date", d.documentIssueDate, document?.issueDate)
    }

    static func otherName(_ d: SISDemographics, _ pasi: Student) -> [FieldDifference] {
        let alias = pasi.names.first { $0.type == .alias }
        var out = text("Alias Last Name", d.aliasLastName, alias?.lastName)
            + text("Alias First Name", d.aliasFirstName, alias?.firstName)
            + text("Alias Middle Name", d.aliasMiddleName, alias?.middleName)
            + text("Alias Suffix", d.aliasSuffix, alias?.suffix)
        if let exact = d.isAliasNameExact, let alias {
            out += flag("Alias Name Is Exact", exact, alias.isNameExact)
        }
        return out
    }

    static func preferredName(_ d: SISDemographics, _ pasi: Student) -> [FieldDifference] {
        guard let sis = d.preferredName else { return [] }
        return text("Preferred Name", sis.rawValue, pasi.names.first(where: \.isPreferred)?.type.rawValue)
    }

    // MARK: - Gender

    /// The legal gender, else the gender; an empty SIS gender equals PASI's `Unknown`.
    static func gender(_ d: SISDemographics, _ pasi: Student) -> [FieldDifference] {
        let sis = d.legalGender ?? d.gender ?? .unknown
        return sis == pasi.gender ? [] : [FieldDifference(field: "Gender", sisValue: sis.rawValue, pasiValue: pasi.gender.rawValue)]
    }

    // MARK: - Addresses

    /// PASI's address of a type: the preferred one, else the first.
    static func address(_ pasi: Student, _ type: Address.AddressType) -> Address? {
        let all = pasi.addresses.filter { $0.type == type }
        return all.first(where: \.isPreferred) ?? all.first
    }

    static func mailingAddress(_ d: SISDemographics, _ pasi: Student, _ match: SmartAddressMatch) -> [FieldDifference] {
        let a = address(pasi, .mailing)
        // The SIS's mailing address has no country (PowerSchool's Mailing_* fields), so none is compared.
        return addressText("Mailing Street", d.mailingStreet, a?.street, match)
            + addressText("Mailing City", d.mailingCity, a?.city, match)
            + addressText("Mailing Province", d.mailingProvince, a?.province, match)
            + postalCode("Mailing Postal Code", d.mailingPostalCode, a?.postalCode, match)
            + date("Mailing Effective Date", d.mailingEffectiveDate, a?.effectiveDate)
            + date("Mailing Expiry Date", d.mailingExpiryDate, a?.expiryDate)
    }

    static func permanentAddress(_ d: SISDemographics, _ pasi: Student, _ match: SmartAddressMatch) -> [FieldDifference] {
        let a = address(pasi, .physical)
        return addressText("Permanent Street", d.permanentStreet, a?.street, match)
            + addressText("Permanent City", d.permanentCity, a?.city, match)
            + addressText("Permanent Province", d.permanentProvince, a?.province, match)
            + postalCode("Permanent Postal Code", d.permanentPostalCode, a?.postalCode, match)
            + addressText("Permanent Country", d.permanentCountry, a?.country, match)
            + date("Permanent Effective Date", d.permanentEffectiveDate, a?.effectiveDate)
            + date("Permanent Expiry Date", d.permanentExpiryDate, a?.expiryDate)
    }

    static func addressText(_ field: String, _ sis: String?, _ pasi: String?, _ match: SmartAddressMatch) -> [FieldDifference] {
        match.sameText(sis, pasi) ? [] : [FieldDifference(field: field, sisValue: MatchText.plain(sis), pasiValue: MatchText.plain(pasi))]
    }

    static func postalCode(_ field: String, _ sis: String?, _ pasi: String?, _ match: SmartAddressMatch) -> [FieldDifference] {
        match.samePostalCode(sis, pasi) ? [] : [FieldDifference(field: field, sisValue: MatchText.plain(sis), pasiValue: MatchText.plain(pasi))]
    }

    // MARK: - Phone

    /// PASI's phone the SIS's home phone stands for: the home phone, else the preferred, else the first.
    static func phone(_ pasi: Student) -> Phone? {
        pasi.phones.first { MatchText.folded($0.type) == "home" } ?? pasi.phones.first(where: \.isPreferred) ?? pasi.phones.first
    }

    /// Numbers and extensions compared on their digits.
    static func phone(_ d: SISDemographics, _ pasi: Student) -> [FieldDifference] {
        let p = phone(pasi)
        var out: [FieldDifference] = []
        if MatchText.digits(d.homePhone) != MatchText.digits(p?.number) {
            out.append(FieldDifference(field: "Home Phone", sisValue: MatchText.plain(d.homePhone), pasiValue: MatchText.plain(p?.number)))
        }
        if MatchText.digits(d.phoneExtension) != MatchText.digits(p?.extension) {
            out.append(FieldDifference(field: "Phone Extension", sisValue: MatchText.plain(d.phoneExtension), pasiValue: MatchText.plain(p?.extension)))
        }
        if let type = d.phoneType, MatchText.plain(type) != nil {
            out += text("Phone Type", type, p?.type)
        }
        if let listable = d.isPhoneListable, let p {
            out += flag("Phone Is Listable", listable, p.isListable)
        }
        return out
            + date("Phone Effective Date", d.phoneEffectiveDate, p?.effectiveDate)
            + date("Phone Expiry Date", d.phoneExpiryDate, p?.expiryDate)
    }

    // MARK: - Disclosure restriction

    /// PASI's restriction the SIS's one stands for (the SIS holds one): the one in force
    /// longest, i.e. without an expiry date or with the latest, then the latest effective date.
    static func restriction(_ pasi: Student) -> DisclosureRestriction? {
        func rank(_ r: DisclosureRestriction) -> (PASIDate, PASIDate) {
            (r.expiryDate ?? lastDay, r.effectiveDate ?? firstDay)
        }
        return pasi.disclosureRestrictions.max { rank($0) < rank($1) }
    }

    // Both dates exist, so the initializer cannot throw.
    static let firstDay = try! PASIDate(year: 1, month: 1, day: 1)
    static let lastDay = try! PASIDate(year: 9999, month: 12, day: 31)

    /// Restriction ↔ `ProtectionRestrictions`, details ↔ `ProtectedUnder`, effective and expiry
    /// dates ↔ `ProtectionEffectiveDt` and `ProtectionExpiryDt`. `ProtectedStatus` is the
    /// SIS's flag for the same fact and is not compared.
    static func disclosureRestriction(_ d: SISDemographics, _ pasi: Student) -> [FieldDifference] {
        let r = restriction(pasi)
        return text("Disclosure Restriction", d.protectionRestrictions, r?.code)
            + text("Protected Under", d.protectedUnder, r?.details)
            + date("Protection Effective Date", d.protectionEffectiveDate, r?.effectiveDate)
            + date("Protection Expiry Date", d.protectionExpiryDate, r?.expiryDate)
    }

    // MARK: - Field comparisons

    static func text(_ field: String, _ sis: String?, _ pasi: String?) -> [FieldDifference] {
        let (a, b) = (MatchText.plain(sis), MatchText.plain(pasi))
        return a == b ? [] : [FieldDifference(field: field, sisValue: a, pasiValue: b)]
    }

    static func date(_ field: String, _ sis: PASIDate?, _ pasi: PASIDate?) -> [FieldDifference] {
        sis == pasi ? [] : [FieldDifference(field: field, sisValue: sis?.description, pasiValue: pasi?.description)]
    }

    static func flag(_ field: String, _ sis: Bool, _ pasi: Bool) -> [FieldDifference] {
        sis == pasi ? [] : [FieldDifference(field: field, sisValue: sis ? "Yes" : "No", pasiValue: pasi ? "Yes" : "No")]
    }
}
