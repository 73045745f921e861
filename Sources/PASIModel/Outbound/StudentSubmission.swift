/// A SIS student's change as PASI's student record: the record in the local PASI store with the
/// SIS's values laid over it, group by group, for the groups whose columns changed. The fields
/// the SIS does not hold (name RefIds, other phones and addresses, secondary ASNs, …) stay as
/// PASI has them, and a group nobody touched is not sent back, so a field the SIS never
/// collected cannot wipe out PASI's value. Pure.
public enum StudentSubmission {
    /// The parts of a student record that one SIS edit changes together.
    public enum FieldGroup: String, Sendable, Hashable, CaseIterable {
        case legalName, aliasName, preferredName, gender, birthDate, identification, mailingAddress, permanentAddress
        case phone, disclosureRestriction, citizenship, section23, deceased
    }

    /// The `sis.students` columns of each group (the Alberta fields of `S_AB_STU_X`).
    public static let columns: [FieldGroup: Set<String>] = [
        .legalName: ["last_name", "first_name", "middle_name", "legal_last_name", "legal_first_name", "legal_middle_name",
                     "suffix", "is_exact"],
        .aliasName: ["aka_surname", "aka_given_name", "aka_middle_name", "aka_suffix", "aka_is_exact"],
        .preferredName: ["preferred_name_ind"],
        .gender: ["gender", "legal_gender"],
        .birthDate: ["dob"],
        .identification: ["doc_number", "doc_type", "doc_issue_dt"],
        .mailingAddress: ["mailing_street", "mailing_city", "mailing_state", "mailing_zip", "mailing_effective_dt", "mailing_expiry_dt"],
        .permanentAddress: ["permanent_street", "permanent_city", "permanent_province", "permanent_postal_code",
                            "permanent_country", "permanent_effective_dt", "permanent_expiry_dt"],
        .phone: ["home_phone", "phone_ext", "phone_type", "is_listable", "phone_effective_dt", "phone_expiry_dt"],
        .disclosureRestriction: ["protected_status", "protected_under", "protection_effective_dt", "protection_expiry_dt",
                                 "protection_restrictions"],
        .citizenship: ["citizenship"],
        .section23: ["section23_eligibility"],
        .deceased: ["deceased_status", "deceased_dt"],
    ]

    /// The groups that changed columns touch; every group for a new row.
    public static func groups(changed: Set<String>, inserted: Bool) -> Set<FieldGroup> {
        if inserted { return Set(FieldGroup.allCases) }
        return Set(FieldGroup.allCases.filter { !(columns[$0] ?? []).isDisjoint(with: changed) })
    }

    /// PASI's record with the SIS's values of `groups` laid over it.
    /// - Throws: ``PASIModelError`` when a SIS value breaks PASI's rules (a name too long, an
    ///   empty phone type, …): the change cannot be sent as it is.
    public static func apply(_ sis: SISStudent, onto pasi: Student, groups: Set<FieldGroup>) throws(PASIModelError) -> Student {
        var record = pasi
        let d = sis.demographics
        for group in FieldGroup.allCases where groups.contains(group) {
            switch group {
            case .legalName: try legalName(sis, &record)
            case .aliasName: try aliasName(d, &record)
            case .preferredName: preferredName(d, &record)
            case .gender: if let gender = d.legalGender ?? d.gender { record.gender = gender }
            case .birthDate: record.birthDate = d.birthDate
            case .identification:
                record.identificationDocument = try present(d.documentType).map { type throws(PASIModelError) in
                    try IdentificationDocument(type: type, numberLastCharacters: present(d.documentNumber), issueDate: d.documentIssueDate)
                }
            case .mailingAddress:
                try address(.mailing, street: d.mailingStreet, city: d.mailingCity, province: d.mailingProvince, country: nil,
                            postalCode: d.mailingPostalCode, effective: d.mailingEffectiveDate, expiry: d.mailingExpiryDate, &record)
            case .permanentAddress:
                try address(.physical, street: d.permanentStreet, city: d.permanentCity, province: d.permanentProvince,
                            country: d.permanentCountry, postalCode: d.permanentPostalCode, effective: d.permanentEffectiveDate,
                            expiry: d.permanentExpiryDate, &record)
            case .phone: try phone(d, &record)
            case .disclosureRestriction: try restriction(d, &record)
            case .citizenship: record.citizenshipStatus = present(d.citizenship)
            case .section23: record.section23Eligibility = present(d.section23Eligibility)
            case .deceased:
                record.isDeceased = d.isDeceased
                record.deceasedDate = d.isDeceased ? d.deceasedDate : nil
            }
        }
        return record
    }

    /// Whether two records say the same to PASI: the version aside, the names, addresses, phones
    /// and restrictions in any order (the local store and PASI may list them differently), and the
    /// ids of addresses and phones aside (PASI's handles on them, which a record built before PASI
    /// gave them lacks).
    public static func same(_ a: Student, _ b: Student) -> Bool {
        normalized(a) == normalized(b)
    }

    static func normalized(_ student: Student) -> Student {
        func sorted<T>(_ items: [T]) -> [T] { items.sorted { String(describing: $0) < String(describing: $1) } }
        var s = student
        s.pasiCoreVersion = 0
        s.names = sorted(s.names)
        s.addresses = sorted(s.addresses.map { var a = $0; a.id = nil; return a })
        s.phones = sorted(s.phones.map { var p = $0; p.id = nil; return p })
        s.disclosureRestrictions = sorted(s.disclosureRestrictions)
        s.secondaryASNs = sorted(s.secondaryASNs)
        return s
    }

    /// PASI's address of `type` the SIS's fields stand for (the preferred one, else the first): the
    /// one a change of them replaces, on either side of the wire.
    public static func address(of student: Student, _ type: Address.AddressType) -> Address? { StudentComparison.address(student, type) }

    /// PASI's phone the SIS's home phone stands for (the home phone, else the preferred, else the first).
    public static func phone(of student: Student) -> Phone? { StudentComparison.phone(student) }

    /// PASI's restriction the SIS's one stands for (the latest to expire).
    public static func restriction(of student: Student) -> DisclosureRestriction? { StudentComparison.restriction(student) }

    // MARK: - Groups

    static func legalName(_ sis: SISStudent, _ record: inout Student) throws(PASIModelError) {
        let name = StudentComparison.sisLegalName(sis)
        guard let last = present(name.last) else { return }
        let index = record.names.firstIndex { $0.type == .legal }
        let old = index.map { record.names[$0] }
        let new = try StudentName(
            refId: old?.refId, type: .legal, lastName: last, firstName: present(name.first), middleName: present(name.middle),
            suffix: present(sis.demographics.legalSuffix), isNameExact: sis.demographics.isLegalNameExact ?? old?.isNameExact ?? true,
            isPreferred: old?.isPreferred ?? record.names.isEmpty, effectiveDate: old?.effectiveDate)
        if let index { record.names[index] = new } else { record.names.insert(new, at: 0) }
    }

    static func aliasName(_ d: SISDemographics, _ record: inout Student) throws(PASIModelError) {
        let index = record.names.firstIndex { $0.type == .alias }
        guard let last = present(d.aliasLastName) else {
            if let index, !record.names[index].isPreferred { record.names.remove(at: index) }
            return
        }
        let old = index.map { record.names[$0] }
        let new = try StudentName(
            refId: old?.refId, type: .alias, lastName: last, firstName: present(d.aliasFirstName), middleName: present(d.aliasMiddleName),
            suffix: present(d.aliasSuffix), isNameExact: d.isAliasNameExact ?? old?.isNameExact ?? true,
            isPreferred: old?.isPreferred ?? false, effectiveDate: old?.effectiveDate)
        if let index { record.names[index] = new } else { record.names.append(new) }
    }

    /// The SIS names which of the legal and alias names is preferred; PASI allows one.
    static func preferredName(_ d: SISDemographics, _ record: inout Student) {
        guard let preferred = d.preferredName, record.names.contains(where: { $0.type == preferred }) else { return }
        var marked = false
        for i in record.names.indices {
            let isIt = !marked && record.names[i].type == preferred
            record.names[i].isPreferred = isIt
            if isIt { marked = true }
        }
    }

    /// The address of `type` the SIS's fields stand for (the preferred one, else the first) is
    /// replaced; an empty street or city removes it.
    static func address(_ type: Address.AddressType, street: String?, city: String?, province: String?, country: String?,
                        postalCode: String?, effective: PASIDate?, expiry: PASIDate?, _ record: inout Student) throws(PASIModelError) {
        let existing = StudentComparison.address(record, type)
        let index = existing.flatMap { old in record.addresses.firstIndex(of: old) }
        guard let street = present(street), let city = present(city) else {
            if let index { record.addresses.remove(at: index) }
            return
        }
        // The SIS's mailing address has no country: "On the Mailing Address the Country is always
        // set to Canada" (PowerSchool, https://ps-compliance.powerschool-docs.com/pssis-ab/latest/address-object),
        // and PASI requires one (V2019 SubmitStudentAddressRequest's Country).
        let new = try Address(id: existing?.id, type: type, format: existing?.format ?? Address.defaultFormat, street: street, city: city, province: present(province),
                              country: type == .mailing ? existing?.country ?? "CAN" : present(country), postalCode: present(postalCode),
                              isPreferred: existing?.isPreferred ?? !record.addresses.contains { $0.type == type },
                              effectiveDate: effective, expiryDate: expiry)
        if let index { record.addresses[index] = new } else { record.addresses.append(new) }
    }

    /// The phone the SIS's home phone stands for is replaced; an empty number removes it.
    static func phone(_ d: SISDemographics, _ record: inout Student) throws(PASIModelError) {
        let existing = StudentComparison.phone(record)
        let index = existing.flatMap { old in record.phones.firstIndex(of: old) }
        guard let number = present(d.homePhone) else {
            if let index { record.phones.remove(at: index) }
            return
        }
        let new = try Phone(id: existing?.id, number: number, extension: present(d.phoneExtension), type: present(d.phoneType) ?? existing?.type ?? "Home",
                            isListable: d.isPhoneListable ?? existing?.isListable ?? true,
                            isPreferred: existing?.isPreferred ?? record.phones.isEmpty,
                            effectiveDate: d.phoneEffectiveDate, expiryDate: d.phoneExpiryDate)
        if let index { record.phones[index] = new } else { record.phones.append(new) }
    }

    /// The restriction the SIS's one stands for is replaced; an empty code removes it.
    static func restriction(_ d: SISDemographics, _ record: inout Student) throws(PASIModelError) {
        let existing = StudentComparison.restriction(record)
        let index = existing.flatMap { old in record.disclosureRestrictions.firstIndex(of: old) }
        guard let code = present(d.protectionRestrictions) else {
            if let index { record.disclosureRestrictions.remove(at: index) }
            return
        }
        let new = try DisclosureRestriction(code: code, details: present(d.protectedUnder),
                                            effectiveDate: d.protectionEffectiveDate, expiryDate: d.protectionExpiryDate)
        if let index { record.disclosureRestrictions[index] = new } else { record.disclosureRestrictions.append(new) }
    }

    /// Text as PASI takes it: trimmed, inner white space collapsed (PASI's string rule), empty as absent.
    static func present(_ text: String?) -> String? { MatchText.plain(text) }
}
