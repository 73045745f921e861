internal import PASIModel

/// A row of `pasi.students`: the student without their names, addresses and phones, which live
/// in child tables (``StudentNameRow``, ``StudentAddressRow``, ``StudentPhoneRow``).
/// `identification_document` and `disclosure_restrictions` are jsonb with the keys of the
/// PASIModel values' coding; `detail` holds the secondary ASNs.
struct StudentRow: PASIRow {
    static let table = PASITable(name: "pasi.students", keyType: "char(9)", columns: [
        ("ref_id", "char(9)"), ("pasi_core_version", "bigint"), ("primary_asn", "char(9)"), ("is_deactivated", "boolean"),
        ("gender", "text"), ("birth_date", "date"), ("citizenship_status", "text"), ("section23_eligibility", "text"),
        ("is_deceased", "boolean"), ("deceased_date", "date"), ("maturity", "text"),
        ("identification_document", "jsonb"), ("disclosure_restrictions", "jsonb"), ("detail", "jsonb"),
    ], yearColumn: nil)

    /// What `detail` holds.
    struct Detail: Codable, Sendable {
        var secondaryASNs: [String]?
    }

    var refId: String
    var pasiCoreVersion: Int64
    var primaryAsn: String?
    var isDeactivated: Bool
    var gender: String?
    var birthDate: String?
    var citizenshipStatus: String?
    var section23Eligibility: String?
    var isDeceased: Bool
    var deceasedDate: String?
    var maturity: String?
    var identificationDocument: IdentificationDocument?
    var disclosureRestrictions: [DisclosureRestriction]
    var detail: Detail?

    enum CodingKeys: String, CodingKey {
        case refId = "ref_id", pasiCoreVersion = "pasi_core_version", primaryAsn = "primary_asn"
        case isDeactivated = "is_deactivated", gender, birthDate = "birth_date", citizenshipStatus = "citizenship_status"
        case section23Eligibility = "section23_eligibility", isDeceased = "is_deceased", deceasedDate = "deceased_date"
        case maturity, identificationDocument = "identification_document"
        case disclosureRestrictions = "disclosure_restrictions", detail
    }

    init(_ student: Student) {
        refId = student.asn.digits
        pasiCoreVersion = student.pasiCoreVersion
        primaryAsn = student.primaryASN?.digits
        isDeactivated = student.isDeactivated
        gender = student.gender.rawValue
        birthDate = student.birthDate?.description
        citizenshipStatus = student.citizenshipStatus
        section23Eligibility = student.section23Eligibility
        isDeceased = student.isDeceased
        deceasedDate = student.deceasedDate?.description
        maturity = student.maturity
        identificationDocument = student.identificationDocument
        disclosureRestrictions = student.disclosureRestrictions
        detail = Detail(secondaryASNs: student.secondaryASNs.map(\.digits))
    }

    /// The student with the child rows read for them.
    func model(names: [StudentNameRow], addresses: [StudentAddressRow], phones: [StudentPhoneRow]) throws -> Student {
        let reader = RowReader(table: Self.table.name, key: refId)
        let gender = try reader.required(reader.enumValue(gender, as: Gender.self), "gender")
        let names = try names.map { try $0.model() }
        let addresses = try addresses.map { try $0.model() }
        let phones = try phones.map { try $0.model() }
        let secondary = try (detail?.secondaryASNs ?? []).map { try reader.required(reader.asn($0), "secondary ASN") }
        let birthDate = try reader.date(birthDate)
        let deceasedDate = try reader.date(deceasedDate)
        let primary = try reader.asn(primaryAsn)
        return try reader.read { () throws(PASIModelError) in
            try Student(
                asn: ASN(refId, checkDigit: .ignored), primaryASN: primary, secondaryASNs: secondary,
                isDeactivated: isDeactivated, names: names, gender: gender, birthDate: birthDate,
                identificationDocument: identificationDocument, addresses: addresses, phones: phones,
                citizenshipStatus: citizenshipStatus, section23Eligibility: section23Eligibility,
                disclosureRestrictions: disclosureRestrictions, isDeceased: isDeceased, deceasedDate: deceasedDate,
                maturity: maturity, pasiCoreVersion: pasiCoreVersion)
        }
    }
}

/// A row of `pasi.student_names`. A name PASI sent without a RefId gets one derived from the
/// ASN and its position (`md5(…)::uuid`), so storing the same student twice gives the same rows.
/// The effective date is stored as midnight UTC of that day.
struct StudentNameRow: Codable, Sendable {
    var refId: String?
    var asn: String
    var position: Int?
    var nameType: String
    var lastName: String?
    var firstName: String?
    var middleName: String?
    var suffix: String?
    var isNameExact: Bool
    var isPreferred: Bool
    var effectiveDate: String?

    enum CodingKeys: String, CodingKey {
        case refId = "ref_id", asn, position, nameType = "name_type", lastName = "last_name", firstName = "first_name"
        case middleName = "middle_name", suffix, isNameExact = "is_name_exact", isPreferred = "is_preferred"
        case effectiveDate = "effective_date"
    }

    init(_ name: StudentName, asn: ASN, position: Int) {
        refId = name.refId?.value
        self.asn = asn.digits
        self.position = position
        nameType = name.type.rawValue
        lastName = name.lastName
        firstName = name.firstName
        middleName = name.middleName
        suffix = name.suffix
        isNameExact = name.isNameExact
        isPreferred = name.isPreferred
        effectiveDate = name.effectiveDate?.description
    }

    func model() throws -> StudentName {
        let reader = RowReader(table: "pasi.student_names", key: refId ?? asn)
        let type = try reader.required(reader.enumValue(nameType, as: StudentName.NameType.self), "name_type")
        let lastName = try reader.required(lastName, "last_name")
        let effectiveDate = try reader.date(effectiveDate)
        return try reader.read { () throws(PASIModelError) in
            try StudentName(
                refId: refId.map { text throws(PASIModelError) in try RefId(text) }, type: type, lastName: lastName,
                firstName: firstName, middleName: middleName, suffix: suffix, isNameExact: isNameExact,
                isPreferred: isPreferred, effectiveDate: effectiveDate)
        }
    }
}

/// A row of `pasi.student_addresses`. Its key (`ref_id`) is the store's own, derived from the ASN
/// and the address's position as for names; `pasi_id` keeps PASI's id of the address.
struct StudentAddressRow: Codable, Sendable {
    var asn: String
    var position: Int?
    var pasiId: Int64?
    var addressType: String
    var addressFormat: String?
    var street: String?
    var city: String?
    var province: String?
    var country: String?
    var postalCode: String?
    var effectiveDate: String?
    var expiryDate: String?
    var isPreferred: Bool

    enum CodingKeys: String, CodingKey {
        case asn, position, pasiId = "pasi_id", addressType = "address_type", addressFormat = "address_format", street, city, province, country, postalCode = "postal_code"
        case effectiveDate = "effective_date", expiryDate = "expiry_date", isPreferred = "is_preferred"
    }

    init(_ address: Address, asn: ASN, position: Int) {
        self.asn = asn.digits
        self.position = position
        pasiId = address.id
        addressType = address.type.rawValue
        addressFormat = address.format
        street = address.street
        city = address.city
        province = address.province
        country = address.country
        postalCode = address.postalCode
        effectiveDate = address.effectiveDate?.description
        expiryDate = address.expiryDate?.description
        isPreferred = address.isPreferred
    }

    func model() throws -> Address {
        let reader = RowReader(table: "pasi.student_addresses", key: asn)
        let type = try reader.required(reader.enumValue(addressType, as: Address.AddressType.self), "address_type")
        let street = try reader.required(street, "street")
        let city = try reader.required(city, "city")
        let effectiveDate = try reader.date(effectiveDate)
        let expiryDate = try reader.date(expiryDate)
        return try reader.read { () throws(PASIModelError) in
            try Address(
                id: pasiId, type: type, format: addressFormat ?? Address.defaultFormat, street: street, city: city, province: province, country: country, postalCode: postalCode,
                isPreferred: isPreferred, effectiveDate: effectiveDate, expiryDate: expiryDate)
        }
    }
}

/// A row of `pasi.student_phones`; its key is derived like an address's, `pasi_id` is PASI's id.
struct StudentPhoneRow: Codable, Sendable {
    var asn: String
    var position: Int?
    var pasiId: Int64?
    var phoneNumber: String
    var `extension`: String?
    var phoneType: String?
    var isListable: Bool
    var isPreferred: Bool
    var effectiveDate: String?
    var expiryDate: String?

    enum CodingKeys: String, CodingKey {
        case asn, position, pasiId = "pasi_id", phoneNumber = "phone_number", `extension`, phoneType = "phone_type", isListable = "is_listable"
        case isPreferred = "is_preferred", effectiveDate = "effective_date", expiryDate = "expiry_date"
    }

    init(_ phone: Phone, asn: ASN, position: Int) {
        self.asn = asn.digits
        self.position = position
        pasiId = phone.id
        phoneNumber = phone.number
        self.extension = phone.extension
        phoneType = phone.type
        isListable = phone.isListable
        isPreferred = phone.isPreferred
        effectiveDate = phone.effectiveDate?.description
        expiryDate = phone.expiryDate?.description
    }

    func model() throws -> Phone {
        let reader = RowReader(table: "pasi.student_phones", key: asn)
        let type = try reader.required(phoneType, "phone_type")
        let effectiveDate = try reader.date(effectiveDate)
        let expiryDate = try reader.date(expiryDate)
        return try reader.read { () throws(PASIModelError) in
            try Phone(
                id: pasiId, number: phoneNumber, extension: `extension`, type: type, isListable: isListable, isPreferred: isPreferred,
                effectiveDate: effectiveDate, expiryDate: expiryDate)
        }
    }
}
