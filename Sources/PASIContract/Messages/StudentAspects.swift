public import PASIModel

/// The services a K-12 client changes an existing student with, one per aspect of the student.
/// The whole-record `SubmitStudent` is not one of them: "This service is only available on the
/// 2017 end point … used by the Ministry of Education … accessed by systems with the Ministry
/// Client User role" (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/submit_student.html),
/// and on the 2018 endpoint and later "The implementation of this service has been removed"
/// (https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/9e8e53ea-9deb-1067-9d15-9a9344e98796.htm).
/// Each aspect service is open to the Submit Student User role and answers a `SubmitResponse`
/// whose `PASICoreVersion` "is the new version for the student".
public enum StudentAspect: String, Sendable, Hashable, CaseIterable {
    /// Legal name, birth date and the document that supports them ("Prior to the 2018 endpoint,
    /// this service was referred to as Submit Student Identification Information").
    case identificationInformation = "SubmitIdentificationInformation"
    /// An alias (other) name: add, correct, delete (`DeleteName`); legal names go through
    /// ``identificationInformation`` ("To submit changes to the student's legal name, refer to
    /// the Submit Identification Information service").
    case name = "SubmitName"
    /// Which of the student's names is the preferred one.
    case preferredName = "SubmitPreferredName"
    case gender = "SubmitStudentGender"
    /// A mailing or physical address (the 2019 endpoint's service, replacing Submit Mailing Address).
    case address = "SubmitStudentAddress"
    /// A phone number: add, correct, delete.
    case phoneNumber = "SubmitPhoneNumber"
    case disclosureRestriction = "SubmitStudentDisclosureRestriction"
    case citizenshipStatus = "SubmitStudentCitizenshipStatus"
    /// "the value passed in will replace the single value in the PASI core".
    case section23EligibilityStatus = "SubmitStudentSection23EligibilityStatus"
    case deceasedStatus = "SubmitStudentDeceasedStatus"

    /// The operation's name: the `SOAPAction` and the body element.
    public var operationName: String { rawValue }

    /// The Knowledge Base page of the service.
    public var page: String {
        let business = "https://extranet.education.alberta.ca/pasidevnet/Docs/Business/"
        return switch self {
        case .identificationInformation: business + "submit_identification_information.html"
        case .name: business + "submit_name.html"
        case .preferredName: business + "submit_preferred_name.html"
        case .gender: business + "submit_student_gender.html"
        case .address: "https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/26b821e7-c4d1-eb9c-411d-0685dc1149c3.htm"
        case .phoneNumber: business + "submit_phone_number.html"
        case .disclosureRestriction: business + "submit_student_disclosure_restriction.html"
        case .citizenshipStatus: business + "submit_student_citizenship_status.html"
        case .section23EligibilityStatus: business + "submit_student_section_23_eligibility_status.html"
        case .deceasedStatus: business + "submit_student_deceased_status.html"
        }
    }
}

/// What one aspect submit changes. Addresses and phones are named by PASI's id of them (their
/// `RefId`: a correction or a delete names the item's, a new item 0); the record carries no id
/// for its restrictions, so the one a request replaces or deletes is the one the SIS's field
/// stands for (``StudentSubmission/restriction(of:)``), chosen on PASI's copy by both sides, the
/// project's choice (`docs/pasi-protocol.md`).
public enum StudentAspectChange: Sendable, Hashable {
    /// The legal name, birth date and identification document, together.
    case identificationInformation(legalName: StudentName, birthDate: PASIDate?, document: IdentificationDocument?)
    /// An alias name saved (`delete` false) or deleted (by its RefId).
    case name(StudentName, isPreferred: Bool, delete: Bool)
    /// The preferred name: by its RefId, else the name of its type.
    case preferredName(refId: RefId?, type: StudentName.NameType)
    case gender(Gender)
    /// An address added (no id), corrected (the id of the one it corrects) or deleted (by its id).
    case address(Address, delete: Bool)
    /// A phone number added, corrected or deleted, as an address.
    case phoneNumber(Phone, delete: Bool)
    /// The restriction saved, or deleted (`nil`).
    case disclosureRestriction(DisclosureRestriction?)
    /// The citizenship status set, or deleted (`nil`).
    case citizenshipStatus(String?)
    case section23EligibilityStatus(String?)
    case deceasedStatus(isDeceased: Bool, dateOfDeath: PASIDate?)

    /// The service that carries it.
    public var aspect: StudentAspect {
        switch self {
        case .identificationInformation: .identificationInformation
        case .name: .name
        case .preferredName: .preferredName
        case .gender: .gender
        case .address: .address
        case .phoneNumber: .phoneNumber
        case .disclosureRestriction: .disclosureRestriction
        case .citizenshipStatus: .citizenshipStatus
        case .section23EligibilityStatus: .section23EligibilityStatus
        case .deceasedStatus: .deceasedStatus
        }
    }

    /// `student` with this aspect applied and nothing else changed: what PASI holds after the
    /// submit (the simulator applies it; the client's record after an accepted submit is it).
    /// - Throws: ``PASIModelError`` when the result breaks a rule of the record (two preferred names, …).
    public func apply(to student: Student) throws(PASIModelError) -> Student {
        var s = student
        switch self {
        case let .identificationInformation(legalName, birthDate, document):
            var name = legalName
            if let index = s.names.firstIndex(where: { $0.type == .legal }) {
                name.refId = name.refId ?? s.names[index].refId
                name.isPreferred = s.names[index].isPreferred
                s.names[index] = name
            } else {
                name.isPreferred = s.names.isEmpty
                s.names.insert(name, at: 0)
            }
            s.birthDate = birthDate
            s.identificationDocument = document
        case let .name(name, isPreferred, delete):
            let index = s.names.firstIndex { $0.type == .alias && (name.refId == nil || $0.refId == name.refId) }
            if delete {
                if let index { s.names.remove(at: index) }
            } else {
                var saved = name
                saved.isPreferred = isPreferred
                if isPreferred { for i in s.names.indices { s.names[i].isPreferred = false } }
                if let index { s.names[index] = saved } else { s.names.append(saved) }
            }
        case let .preferredName(refId, type):
            let target = s.names.firstIndex { refId != nil ? $0.refId == refId : $0.type == type }
            if let target { for i in s.names.indices { s.names[i].isPreferred = i == target } }
        case let .gender(gender):
            s.gender = gender
        case let .address(address, delete):
            let index = Self.index(of: address, id: address.id, in: s.addresses, id: \.id)
            var saved = address
            // Which address of a type is preferred is not this service's (V2019 has no IsPreferred):
            // a correction keeps it, a new address is preferred when it is its type's only one.
            saved.isPreferred = index.map { s.addresses[$0].isPreferred } ?? !s.addresses.contains { $0.type == address.type }
            Self.replace(&s.addresses, at: index, with: delete ? nil : saved)
        case let .phoneNumber(phone, delete):
            let index = Self.index(of: phone, id: phone.id, in: s.phones, id: \.id)
            Self.replace(&s.phones, at: index, with: delete ? nil : phone)
        case let .disclosureRestriction(restriction):
            let index = StudentSubmission.restriction(of: s).flatMap { s.disclosureRestrictions.firstIndex(of: $0) }
            Self.replace(&s.disclosureRestrictions, at: index, with: restriction)
        case let .citizenshipStatus(status):
            s.citizenshipStatus = status
        case let .section23EligibilityStatus(status):
            s.section23Eligibility = status
        case let .deceasedStatus(isDeceased, dateOfDeath):
            s.isDeceased = isDeceased
            s.deceasedDate = isDeceased ? dateOfDeath : nil
        }
        // The record's own rules (one preferred name, dates in order) hold after the change.
        return try Student(
            asn: s.asn, primaryASN: s.primaryASN, secondaryASNs: s.secondaryASNs, isDeactivated: s.isDeactivated, names: s.names,
            gender: s.gender, birthDate: s.birthDate, identificationDocument: s.identificationDocument, addresses: s.addresses,
            phones: s.phones, citizenshipStatus: s.citizenshipStatus, section23Eligibility: s.section23Eligibility,
            disclosureRestrictions: s.disclosureRestrictions, isDeceased: s.isDeceased, deceasedDate: s.deceasedDate,
            maturity: s.maturity, pasiCoreVersion: s.pasiCoreVersion)
    }

    /// The item a request names: by its id, or (without one) the item equal to it, for a delete
    /// of an item the local copy holds without PASI's id.
    private static func index<T: Equatable>(of item: T, id: Int64?, in items: [T], id itemId: KeyPath<T, Int64?>) -> Int? {
        if let id { return items.firstIndex { $0[keyPath: itemId] == id } }
        return items.firstIndex(of: item)
    }

    private static func replace<T>(_ items: inout [T], at index: Int?, with item: T?) {
        switch (index, item) {
        case let (index?, item?): items[index] = item
        case let (index?, nil): items.remove(at: index)
        case let (nil, item?): items.append(item)
        case (nil, nil): break
        }
    }
}

/// One aspect submit: the change, on the student (`StateProvinceId`) at a version.
public struct StudentAspectRequest: Sendable, Hashable {
    public var asn: ASN
    /// The student's version the change is based on: "must match what is currently in the PASI
    /// core for the update to be accepted" (SubmitNameRequest's `PASICoreVersion`).
    public var pasiCoreVersion: Int64
    public var change: StudentAspectChange

    public init(asn: ASN, pasiCoreVersion: Int64, change: StudentAspectChange) {
        (self.asn, self.pasiCoreVersion, self.change) = (asn, pasiCoreVersion, change)
    }

    /// The operation it is sent to.
    public var operation: PASIOperation { .submitStudentAspect(change.aspect) }

    /// The message on the wire, with `callerInfo`.
    public func message(_ callerInfo: CallerInfoElement) -> StudentAspectMessage {
        var m = StudentAspectMessage(callerInfo: callerInfo, asn: asn, pasiCoreVersion: pasiCoreVersion)
        switch change {
        case let .identificationInformation(legalName, birthDate, document):
            m.name = legalName
            m.birthDate = birthDate
            m.identificationDocument = document
        case let .name(name, isPreferred, delete):
            m.name = name
            m.isPreferred = isPreferred
            m.deleteName = delete
        case let .preferredName(refId, type):
            m.nameRefId = refId
            m.nameType = type
        case let .gender(gender):
            m.gender = gender
        case let .address(address, delete):
            m.refId = address.id ?? 0
            m.type = address.type
            m.format = address.format
            m.street = address.street
            m.city = address.city
            m.stateProvince = address.province
            m.country = address.country
            m.postalCode = address.postalCode
            m.effectiveDate = address.effectiveDate
            m.expiryDateOverride = address.expiryDate
            m.deleteAddress = delete
        case let .phoneNumber(phone, delete):
            var sent = phone
            sent.id = phone.id ?? 0
            m.phoneNumber = sent
            m.deletePhoneNumber = delete
        case let .disclosureRestriction(restriction):
            m.disclosureRestriction = restriction
            m.deleteDisclosureRestriction = restriction == nil
        case let .citizenshipStatus(status):
            m.citizenshipStatus = status
            m.deleteCitizenshipStatus = status == nil
        case let .section23EligibilityStatus(status):
            m.section23Eligibility = status
        case let .deceasedStatus(isDeceased, dateOfDeath):
            m.isDeceased = isDeceased
            m.dateOfDeath = dateOfDeath
        }
        return m
    }

    /// The request a message to `aspect`'s service carries.
    /// - Throws: ``PASIFault`` 3001 when a member the service needs is missing.
    public init(_ aspect: StudentAspect, _ m: StudentAspectMessage) throws(PASIFault) {
        func need<T>(_ value: T?, _ member: String) throws(PASIFault) -> T {
            guard let value else {
                throw PASIFault(.requestDoesNotMatchSchema, "Invalid Request. The following errors were found in the request: \(aspect.operationName) needs \(member)")
            }
            return value
        }
        let change: StudentAspectChange
        switch aspect {
        case .identificationInformation:
            change = .identificationInformation(legalName: try need(m.name, "Name"), birthDate: m.birthDate, document: m.identificationDocument)
        case .name:
            change = .name(try need(m.name, "Name"), isPreferred: m.isPreferred ?? false, delete: try need(m.deleteName, "DeleteName"))
        case .preferredName:
            change = .preferredName(refId: m.nameRefId, type: try need(m.nameType, "NameType"))
        case .gender:
            change = .gender(try need(m.gender, "Gender"))
        case .address:
            let refId = try need(m.refId, "RefId")
            let (type, format, street) = try (need(m.type, "Type"), need(m.format, "Format"), need(m.street, "Street"))
            let delete = try need(m.deleteAddress, "DeleteAddress")
            let address: Address
            do {
                address = try Address(
                    id: refId == 0 ? nil : refId, type: type, format: format, street: street, city: m.city ?? "",
                    province: m.stateProvince, country: m.country, postalCode: m.postalCode, effectiveDate: m.effectiveDate,
                    expiryDate: m.expiryDateOverride)
            } catch {
                throw PASIFault(.requestDoesNotMatchSchema, "Invalid Request. The following errors were found in the request: \(error)")
            }
            change = .address(address, delete: delete)
        case .phoneNumber:
            var phone = try need(m.phoneNumber, "PhoneNumber")
            if phone.id == 0 { phone.id = nil }
            change = .phoneNumber(phone, delete: m.deletePhoneNumber ?? false)
        case .disclosureRestriction:
            change = .disclosureRestriction(try m.deleteDisclosureRestriction == true ? nil : need(m.disclosureRestriction, "DisclosureRestriction"))
        case .citizenshipStatus:
            change = .citizenshipStatus(try m.deleteCitizenshipStatus == true ? nil : need(m.citizenshipStatus, "CitizenshipStatus"))
        case .section23EligibilityStatus:
            change = .section23EligibilityStatus(m.section23Eligibility)
        case .deceasedStatus:
            change = .deceasedStatus(isDeceased: try need(m.isDeceased, "IsDeceased"), dateOfDeath: m.dateOfDeath)
        }
        self.init(asn: m.asn, pasiCoreVersion: m.pasiCoreVersion, change: change)
    }
}

/// The body of every aspect submit, one member set per service; a service's message carries only
/// its own members (absent optionals are not written). The documented names are used where the
/// pages show them (`StateProvinceId`, `PASICoreVersion`, `Name`, `IsPreferred`, `DeleteName` of
/// SubmitNameRequest; `DeleteCitizenshipStatus`; `DeleteDisclosureRestriction`; `Section23Eligibility`); the others, and the
/// element order (the order below), are this project's (`docs/pasi-protocol.md`).
public struct StudentAspectMessage: Codable, Sendable, Hashable {
    public var callerInfo: CallerInfoElement
    /// `StateProvinceId`.
    public var asn: ASN
    public var pasiCoreVersion: Int64
    public var name: StudentName?
    public var birthDate: PASIDate?
    public var identificationDocument: IdentificationDocument?
    public var isPreferred: Bool?
    public var deleteName: Bool?
    public var nameRefId: RefId?
    public var nameType: StudentName.NameType?
    public var gender: Gender?
    /// SubmitStudentAddressRequest's members (the 2019 endpoint's class, flat:
    /// https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/37fbd5ef-aa64-fe82-9a80-30ecbd4f8a14.htm):
    /// `RefId` (0 for a new address), `Type`, `Format`, `Street`, `City`, `StateProvince`,
    /// `Country`, `PostalCode`, `EffectiveDate`, `ExpiryDateOverride`, `DeleteAddress`.
    public var refId: Int64?
    public var type: Address.AddressType?
    public var format: String?
    public var street: String?
    public var city: String?
    public var stateProvince: String?
    public var country: String?
    public var postalCode: String?
    public var effectiveDate: PASIDate?
    public var expiryDateOverride: PASIDate?
    public var deleteAddress: Bool?
    public var phoneNumber: Phone?
    public var deletePhoneNumber: Bool?
    public var disclosureRestriction: DisclosureRestriction?
    public var deleteDisclosureRestriction: Bool?
    public var citizenshipStatus: String?
    public var deleteCitizenshipStatus: Bool?
    /// `Section23Eligibility`, as SubmitStudentSection23EligibilityStatusRequest names it (a code value:
    /// https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/0ff48193-3f1c-a6e6-d40c-b058337bde43.htm).
    public var section23Eligibility: String?
    public var isDeceased: Bool?
    public var dateOfDeath: PASIDate?

    public init(callerInfo: CallerInfoElement, asn: ASN, pasiCoreVersion: Int64) {
        (self.callerInfo, self.asn, self.pasiCoreVersion) = (callerInfo, asn, pasiCoreVersion)
    }
}

/// Which aspect submits carry a student's change: a pure function from the changed field groups
/// (and the record before and after) to the requests, in a stable order. Groups that share a
/// service go in one request (legal name, birth date and identification: Submit Identification
/// Information); an aspect whose value did not change is not sent.
public enum StudentAspectPlan {
    /// The service each field group is submitted with.
    public static func aspect(of group: StudentSubmission.FieldGroup) -> StudentAspect {
        switch group {
        case .legalName, .birthDate, .identification: .identificationInformation
        case .aliasName: .name
        case .preferredName: .preferredName
        case .gender: .gender
        case .mailingAddress, .permanentAddress: .address
        case .phone: .phoneNumber
        case .disclosureRestriction: .disclosureRestriction
        case .citizenship: .citizenshipStatus
        case .section23: .section23EligibilityStatus
        case .deceased: .deceasedStatus
        }
    }

    /// The changes that take `base` (PASI's copy) to `record` for `groups`, in the order of
    /// ``StudentSubmission/FieldGroup``: applied one after the other onto `base`, they give `record`.
    public static func changes(_ groups: Set<StudentSubmission.FieldGroup>, from base: Student, to record: Student) -> [StudentAspectChange] {
        var changes: [StudentAspectChange] = []
        var identificationDone = false
        for group in StudentSubmission.FieldGroup.allCases where groups.contains(group) {
            switch group {
            case .legalName, .birthDate, .identification:
                guard !identificationDone, let legal = record.legalName else { continue }
                identificationDone = true
                // Which name is preferred is Submit Preferred Name's, not this service's.
                func plain(_ name: StudentName?) -> StudentName? { name.map { var n = $0; n.isPreferred = false; return n } }
                if plain(legal) != plain(base.legalName) || record.birthDate != base.birthDate || record.identificationDocument != base.identificationDocument {
                    changes.append(.identificationInformation(legalName: legal, birthDate: record.birthDate, document: record.identificationDocument))
                }
            case .aliasName:
                let old = base.names.first { $0.type == .alias }, new = record.names.first { $0.type == .alias }
                if let new, new != old { changes.append(.name(new, isPreferred: new.isPreferred, delete: false)) }
                else if new == nil, let old { changes.append(.name(old, isPreferred: false, delete: true)) }
            case .preferredName:
                guard let preferred = record.names.first(where: \.isPreferred), base.names.first(where: \.isPreferred) != preferred else { continue }
                // A preferred alias sent in this change carries `IsPreferred` itself.
                let carried = changes.contains { change in
                    guard case let .name(name, isPreferred, delete) = change else { return false }
                    return isPreferred && !delete && name == preferred
                }
                if !carried { changes.append(.preferredName(refId: preferred.refId, type: preferred.type)) }
            case .gender:
                if record.gender != base.gender { changes.append(.gender(record.gender)) }
            case .mailingAddress, .permanentAddress:
                let type: Address.AddressType = group == .mailingAddress ? .mailing : .physical
                let kept = base.addresses.filter { $0.type == type }, now = record.addresses.filter { $0.type == type }
                if let (item, delete) = item(from: kept, to: now) { changes.append(.address(item, delete: delete)) }
            case .phone:
                if let (item, delete) = item(from: base.phones, to: record.phones) { changes.append(.phoneNumber(item, delete: delete)) }
            case .disclosureRestriction:
                if let (item, delete) = item(from: base.disclosureRestrictions, to: record.disclosureRestrictions) {
                    changes.append(.disclosureRestriction(delete ? nil : item))
                }
            case .citizenship:
                if record.citizenshipStatus != base.citizenshipStatus { changes.append(.citizenshipStatus(record.citizenshipStatus)) }
            case .section23:
                if record.section23Eligibility != base.section23Eligibility {
                    changes.append(.section23EligibilityStatus(record.section23Eligibility))
                }
            case .deceased:
                if record.isDeceased != base.isDeceased || record.deceasedDate != base.deceasedDate {
                    changes.append(.deceasedStatus(isDeceased: record.isDeceased, dateOfDeath: record.deceasedDate))
                }
            }
        }
        return changes
    }

    /// The one item ``StudentSubmission`` replaced or added (`delete` false: a replacement keeps
    /// the id of the item it replaces) or removed (`delete` true) in a list: `nil` when nothing was.
    private static func item<T: Equatable>(from old: [T], to new: [T]) -> (item: T, delete: Bool)? {
        if old == new { return nil }
        if let added = new.first(where: { !old.contains($0) }) { return (added, false) }
        return old.first(where: { !new.contains($0) }).map { ($0, true) }
    }

    /// Whether `current` (PASI's copy) is `base` with only the first aspect submits of this change
    /// applied: what PASI holds when a later submit of the change failed (an outage, 9014) after
    /// the first were accepted. Such a copy is our own doing, not another client's.
    public static func isPartial(_ current: Student, of groups: Set<StudentSubmission.FieldGroup>, from base: Student, to record: Student) -> Bool {
        var step = base
        for change in changes(groups, from: base, to: record).dropLast() {
            guard let next = try? change.apply(to: step) else { return false }
            step = next
            if StudentSubmission.same(step, current) { return true }
        }
        return false
    }

    /// The requests for ``changes(_:from:to:)``, the first on `base`'s version. Each accepted
    /// submit moves the student's version; the sender sets each next request's version from
    /// the answer before (``StudentAspectRequest/pasiCoreVersion``).
    public static func requests(_ groups: Set<StudentSubmission.FieldGroup>, from base: Student, to record: Student) -> [StudentAspectRequest] {
        changes(groups, from: base, to: record).map { StudentAspectRequest(asn: base.asn, pasiCoreVersion: base.pasiCoreVersion, change: $0) }
    }
}
