public import PASIContract
import PASIModel

extension Province {
    /// Carries out a K-12 client's aspect submit (``StudentAspect``: Submit Name, Submit Student
    /// Gender, …): only that aspect of the held student changes (``StudentAspectChange/apply(to:)``),
    /// on the student's current version (3004 otherwise; 9014 for a version not yet visible), and
    /// the student's version moves when anything changed ("The PASICoreVersion is the new version
    /// for the student", e.g.
    /// https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/a0a07bee-3076-10ac-8e0e-0801c07c6c0e.htm).
    /// The answer's Id is the student's ASN, except Submit Name's: the name's RefId ("The Id
    /// returned in this service will be the RefId of the Student Alias",
    /// https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/ad9cea90-9a94-6913-004e-31a93755cac4.htm),
    /// a new one for a new alias; Submit Student Address's "the StudentAddressId being modified"
    /// (https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/26b821e7-c4d1-eb9c-411d-0685dc1149c3.htm)
    /// and Submit Phone Number's the phone's, each a new number for a new item. A correction or
    /// delete naming an id the student does not hold is refused with rule 9006.
    /// - Parameter rejecting: Ids the fault injection refuses, with rule 9020.
    /// - Throws: ``PASIFault`` 9014.
    public func submit(_ request: StudentAspectRequest, rejecting: Set<String> = []) async throws(PASIFault) -> SubmitResponse {
        let asn = request.asn.digits
        func refused(_ rule: Rejection) -> SubmitResponse {
            SubmitResponse(id: asn, pasiCoreVersion: records[.student]?[asn]?.version ?? 0, rejection: [rule])
        }
        if rejecting.contains(asn) {
            return refused(PASIRule.unauthorizedOrganization(RecordType.student.rawValue, id: asn, organization: organization.description))
        }
        if let rule = associationRule(forStudent: asn) { return refused(rule) }
        guard let existing = records[.student]?[asn], let held = existing.record as? Student, !existing.isDeleted else {
            return refused(PASIRule.invalidASN(asn))
        }
        if request.pasiCoreVersion > existing.version { try await waitForVersion(.student, asn, request.pasiCoreVersion) }
        let current = records[.student]?[asn]?.version ?? existing.version
        guard request.pasiCoreVersion == current else {
            // An older version carrying what the student holds already: a repeat PASI refuses.
            if let held = records[.student]?[asn]?.record as? Student, (try? request.change.apply(to: held)) == held {
                noteRepeat(Student.self, id: asn, held: current, client: request.pasiCoreVersion)
            }
            return refused(Self.versionMismatch(core: current, client: request.pasiCoreVersion))
        }
        // The copy held now: the wait for a version may have let another submit in.
        let student = records[.student]?[asn]?.record as? Student ?? held
        var change = request.change
        var id = asn
        if case let .name(name, isPreferred, delete) = change {
            // A new alias gets its RefId here, as PASI gives one.
            var named = name
            if named.refId == nil, !delete { named.refId = RefId.random() }
            if let refId = named.refId { id = refId.value }
            change = .name(named, isPreferred: isPreferred, delete: delete)
        }
        switch change {
        case let .address(address, delete):
            // A correction or delete names an address the student holds (rule 9006: "A Reference ID
            // of 0 in the service request will pass this rule"); a new one gets its id here.
            if let refId = address.id, !student.addresses.contains(where: { $0.id == refId }) {
                return refused(PASIRule.invalidReference("Student Address", id: String(refId), asn: asn))
            }
            var saved = address
            if saved.id == nil, !delete { saved.id = Self.newItemId() }
            id = saved.id.map(String.init) ?? "0"
            change = .address(saved, delete: delete)
        case let .phoneNumber(phone, delete):
            if let refId = phone.id, !student.phones.contains(where: { $0.id == refId }) {
                return refused(PASIRule.invalidReference("Phone Number", id: String(refId), asn: asn))
            }
            var saved = phone
            if saved.id == nil, !delete { saved.id = Self.newItemId() }
            id = saved.id.map(String.init) ?? "0"
            change = .phoneNumber(saved, delete: delete)
        default:
            break
        }
        let changed: Student
        do {
            changed = try change.apply(to: student)
        } catch {
            return refused(Self.schemaMismatch("\(request.change.aspect.operationName) leaves the student inconsistent: \(error)"))
        }
        if changed == student {
            // Nothing to change: the same change sent again, when this client's last submit made
            // the version it names (counted for GET /admin/submits).
            noteRepeat(Student.self, id: asn, held: current, client: request.pasiCoreVersion)
            return SubmitResponse(id: id, pasiCoreVersion: current)
        }
        return SubmitResponse(id: id, pasiCoreVersion: accept(changed, isDeleted: false))
    }
}

extension Province {
    /// A new address's or phone's id: PASI's ids are numbers; random, above every id the loaded
    /// district gives (its ASN and a digit, below 10^10), so that no state has to survive a restart.
    static func newItemId() -> Int64 { Int64.random(in: 10_000_000_000...999_999_999_999) }

    /// Carries out `CreateStudent` (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/create_student.html):
    /// refuses with rule 11401 Duplicate Student when Identify Student finds a high quality match
    /// not in the acknowledged list (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_11401.html),
    /// else stores the student under a new ASN, which the answer's Id carries; the caller is then
    /// associated with the student by its creation (the store notes it).
    public func createStudent(_ request: CreateStudentRequest) -> SubmitResponse {
        let info = request.studentIdentificationInfo
        let similar = identify(IdentifyStudentRequest(
            callerInfo: request.callerInfo, lastName: info.name.lastName, firstName: info.name.firstName, birthDate: info.birthDate, gender: nil))
            .filter { $0.matchQuality == .high && !request.acknowledgeSimilarStateProvinceIdList.contains($0.asn) }
        if !similar.isEmpty {
            return SubmitResponse(id: "0", pasiCoreVersion: 0, rejection: [PASIRule.duplicateStudent(similar.map(\.asn))])
        }
        var name = info.name
        name.type = .legal
        name.isPreferred = true
        if name.refId == nil { name.refId = RefId.random() }
        let student: Student
        do {
            student = try Student(asn: nextASN(), names: [name], gender: request.gender, birthDate: info.birthDate,
                                  identificationDocument: info.identificationDocument,
                                  addresses: request.address.map { var a = $0; a.id = a.id ?? Self.newItemId(); return a },
                                  phones: request.phoneNumber.map { var p = $0; p.id = p.id ?? Self.newItemId(); return p })
        } catch {
            return SubmitResponse(id: "0", pasiCoreVersion: 0, rejection: [Self.schemaMismatch("the new student is inconsistent: \(error)")])
        }
        return SubmitResponse(id: student.asn.digits, pasiCoreVersion: accept(student, isDeleted: false))
    }

    /// An ASN no student holds: the next eight-digit prefix above the highest held, with its check
    /// digit (the project's check digit, `ASN.withCheckDigit(prefix:)`).
    private func nextASN() throws(PASIModelError) -> ASN {
        let highest = (records[.student] ?? [:]).keys.compactMap { Int($0.prefix(8)) }.max() ?? 10_000_000
        var prefix = highest + 1
        while true {
            let digits = String(prefix)
            let asn = try ASN.withCheckDigit(prefix: String(repeating: "0", count: max(0, 8 - digits.count)) + digits)
            if records[.student]?[asn.digits] == nil { return asn }
            prefix += 1
        }
    }
}
