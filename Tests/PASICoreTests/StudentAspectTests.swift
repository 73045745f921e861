import Foundation
import PASIContract
import PASICore
import PASIModel
import PASISimulator
import PasisyncTesting
import Testing

/// A K-12 client changes a student by aspect, not by a whole-record SubmitStudent
/// (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/submit_student.html: "only
/// available on the 2017 end point", "Ministry Client User role").
@Suite("Student aspects: Create Student and one submit per aspect of a student")
struct StudentAspectTests {
    // MARK: - Fixtures

    static let birth = try! PASIDate("2012-03-04")

    static func name(_ type: StudentName.NameType, _ last: String, first: String = "Ana", refId: RefId? = nil, preferred: Bool = false) throws -> StudentName {
        try StudentName(refId: refId, type: type, lastName: last, firstName: first, isPreferred: preferred)
    }

    /// A student holding something of every aspect.
    static func full() throws -> Student {
        try Student(
            asn: ASN.withCheckDigit(prefix: "12345678"),
            names: [name(.legal, "Legalson", refId: RefId("0f8fad5b-d9cb-469f-a165-70867728950e"), preferred: true),
                    name(.alias, "Aliasson", refId: RefId("7c9e6679-7425-40de-944b-e07fc1f90ae7"))],
            gender: .female, birthDate: birth, identificationDocument: IdentificationDocument(type: "BirthCertificate", numberLastCharacters: "1234"),
            addresses: [Address(id: 11, type: .mailing, street: "1 Main St", city: "Edmonton", province: "AB", postalCode: "T5J 0A1", isPreferred: true),
                        Address(id: 12, type: .physical, street: "2 Side Rd", city: "Calgary", province: "AB", country: "CA", isPreferred: true)],
            phones: [Phone(id: 21, number: "780-555-0100", type: "Home", isPreferred: true)],
            citizenshipStatus: "1", disclosureRestrictions: [DisclosureRestriction(code: "Caution", details: "court")],
            pasiCoreVersion: 40)
    }

    /// `student` with the fields of `aspect` blanked and the version left out: what must not change
    /// when only that aspect is submitted.
    static func outside(_ aspect: StudentAspect, _ student: Student) -> Student {
        var s = student
        s.pasiCoreVersion = 0
        switch aspect {
        case .identificationInformation:
            s.names.removeAll { $0.type == .legal }
            (s.birthDate, s.identificationDocument) = (nil, nil)
        case .name: s.names.removeAll { $0.type == .alias }
        case .preferredName: for i in s.names.indices { s.names[i].isPreferred = false }
        case .gender: s.gender = .unknown
        case .address: s.addresses = []
        case .phoneNumber: s.phones = []
        case .disclosureRestriction: s.disclosureRestrictions = []
        case .citizenshipStatus: s.citizenshipStatus = nil
        case .section23EligibilityStatus: s.section23Eligibility = nil
        case .deceasedStatus: (s.isDeceased, s.deceasedDate) = (false, nil)
        }
        return s
    }

    /// A change of `aspect` that differs from what `student` holds, and how to see it applied.
    static func change(_ aspect: StudentAspect, of student: Student) throws -> (StudentAspectChange, (Student) -> Bool) {
        switch aspect {
        case .identificationInformation:
            let legal = try name(.legal, "Renamed", refId: student.legalName?.refId)
            return (.identificationInformation(legalName: legal, birthDate: birth, document: nil),
                    { $0.legalName?.lastName == "Renamed" && $0.identificationDocument == nil })
        case .name:
            return (.name(try name(.alias, "Newalias"), isPreferred: false, delete: false),
                    { $0.names.contains { $0.type == .alias && $0.lastName == "Newalias" && $0.refId != nil } })
        case .preferredName:
            let target = try #require(student.names.first { !$0.isPreferred })
            return (.preferredName(refId: target.refId, type: target.type), { $0.names.first(where: \.isPreferred)?.type == target.type })
        case .gender:
            let gender: Gender = student.gender == .male ? .female : .male
            return (.gender(gender), { $0.gender == gender })
        case .address:
            // A correction of the mailing address PASI holds, named by its id.
            let held = try #require(student.addresses.first { $0.type == .mailing })
            // V2019 carries no IsPreferred: the correction keeps the held address's.
            let moved = try Address(id: #require(held.id), type: .mailing, street: "9 New Ave", city: "Red Deer", province: "AB")
            var kept = moved
            kept.isPreferred = held.isPreferred
            return (.address(moved, delete: false), { $0.addresses.contains(kept) && $0.addresses.filter { $0.type == .mailing }.count == 1 })
        case .phoneNumber:
            let phone = try Phone(id: #require(student.phones.first?.id), number: "403-555-0199", type: "Home", isPreferred: true)
            return (.phoneNumber(phone, delete: false), { $0.phones == [phone] })
        case .disclosureRestriction:
            return (.disclosureRestriction(nil), { $0.disclosureRestrictions.isEmpty })
        case .citizenshipStatus:
            return (.citizenshipStatus("3"), { $0.citizenshipStatus == "3" })
        case .section23EligibilityStatus:
            return (.section23EligibilityStatus("Yes"), { $0.section23Eligibility == "Yes" })
        case .deceasedStatus:
            let day = try PASIDate("2026-01-05")
            return (.deceasedStatus(isDeceased: true, dateOfDeath: day), { $0.isDeceased && $0.deceasedDate == day })
        }
    }

    // MARK: - The decision (pure)

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/submit_identification_information.html (legal
    // name and birth date together), submit_name.html (aliases), submit_phone_number.html, submit_student_gender.html, …
    @Test("each field group maps to its documented service; identification groups share one")
    func groupToAspect() {
        let expected: [StudentSubmission.FieldGroup: StudentAspect] = [
            .legalName: .identificationInformation, .birthDate: .identificationInformation, .identification: .identificationInformation,
            .aliasName: .name, .preferredName: .preferredName, .gender: .gender, .mailingAddress: .address, .permanentAddress: .address,
            .phone: .phoneNumber, .disclosureRestriction: .disclosureRestriction, .citizenship: .citizenshipStatus,
            .section23: .section23EligibilityStatus, .deceased: .deceasedStatus,
        ]
        for group in StudentSubmission.FieldGroup.allCases { #expect(StudentAspectPlan.aspect(of: group) == expected[group], "\(group)") }
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/submit_phone_number.html
    @Test("a changed phone is one Submit Phone Number on the student's version; an unchanged group sends nothing")
    func phoneOnly() throws {
        let base = try Self.full()
        var record = base
        record.phones[0] = try Phone(id: 21, number: "587-555-0111", type: "Home", isPreferred: true)
        let requests = StudentAspectPlan.requests([.phone, .gender, .citizenship], from: base, to: record)
        #expect(requests == [StudentAspectRequest(asn: base.asn, pasiCoreVersion: 40, change: .phoneNumber(record.phones[0], delete: false))])
        #expect(StudentAspectPlan.requests([.phone], from: base, to: base).isEmpty)
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/submit_identification_information.html,
    // submit_name.html, submit_preferred_name.html, submit_student_disclosure_restriction.html (delete)
    @Test("every group changed: one request per aspect (identification once, each address alone), and applied in order they give the record")
    func everyGroup() throws {
        let base = try Self.full()
        var record = base
        record.names[0] = try Self.name(.legal, "Newlegal", refId: base.names[0].refId, preferred: false)
        record.names[1] = try Self.name(.alias, "Newalias", refId: base.names[1].refId, preferred: true)
        record.gender = .male
        record.birthDate = try PASIDate("2012-03-05")
        record.addresses = [try Address(id: 11, type: .mailing, street: "5 Elm", city: "Leduc", isPreferred: true), base.addresses[1]]
        record.addresses[1] = try Address(id: 12, type: .physical, street: "6 Oak", city: "Banff", country: "CA", isPreferred: true)
        record.phones = []
        record.disclosureRestrictions = []
        record.citizenshipStatus = "2"
        record.section23Eligibility = "No"
        record.isDeceased = true
        let changes = StudentAspectPlan.changes(Set(StudentSubmission.FieldGroup.allCases), from: base, to: record)
        #expect(changes.map(\.aspect) == [.identificationInformation, .name, .gender, .address, .address, .phoneNumber,
                                          .disclosureRestriction, .citizenshipStatus, .section23EligibilityStatus, .deceasedStatus])
        var applied = base
        for change in changes { applied = try change.apply(to: applied) }
        #expect(StudentSubmission.same(applied, record))
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/submit_student_gender.html,
    // submit_phone_number.html: each submit moves the student's version, so a change sent in parts can
    // stop half way (an outage after the first part).
    @Test("PASI's copy holding the first aspects of a change is recognized as our own part, another client's change is not")
    func partial() throws {
        let base = try Self.full()
        var record = base
        record.gender = .male
        record.phones = [try Phone(id: 21, number: "587-555-0111", type: "Home", isPreferred: true)]
        record.citizenshipStatus = "2"
        let groups: Set<StudentSubmission.FieldGroup> = [.gender, .phone, .citizenship]
        var halfWay = base
        halfWay.gender = .male
        halfWay.pasiCoreVersion = 41
        #expect(StudentAspectPlan.isPartial(halfWay, of: groups, from: base, to: record))
        halfWay.phones = record.phones
        #expect(StudentAspectPlan.isPartial(halfWay, of: groups, from: base, to: record))
        var theirs = base
        theirs.citizenshipStatus = "5"
        #expect(!StudentAspectPlan.isPartial(theirs, of: groups, from: base, to: record))
        #expect(!StudentAspectPlan.isPartial(base, of: groups, from: base, to: record), "nothing applied is not a part")
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/4d931471-a3f8-8f76-a431-2512aa42738a.htm
    // (SubmitNameRequest: StateProvinceId, PASICoreVersion, Name, IsPreferred, DeleteName);
    // https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/0ff48193-3f1c-a6e6-d40c-b058337bde43.htm
    // (SubmitStudentSection23EligibilityStatusRequest.Section23Eligibility)
    @Test("each aspect's request carries its documented members, under its operation's element, and no other aspect's")
    func requestShapes() throws {
        let caller = CallerInfoElement(
            try CallerInfo(user: .init(ipAddress: "127.0.0.1", localID: "l", name: "n", organizationCode: OrganizationCode("A.1234"))),
            messageID: "0f8fad5b-d9cb-469f-a165-70867728950e", sentUtcTime: "2026-11-29T12:00:00Z")
        let student = try Self.full()
        let members: [StudentAspect: [String]] = [
            .identificationInformation: ["Name", "BirthDate"], .name: ["Name", "IsPreferred", "DeleteName"], .preferredName: ["NameRefId", "NameType"],
            .gender: ["Gender"], .address: ["RefId", "Type", "Format", "Street", "City", "StateProvince", "DeleteAddress"],
            .phoneNumber: ["PhoneNumber", "DeletePhoneNumber"],
            .disclosureRestriction: ["DeleteDisclosureRestriction"], .citizenshipStatus: ["CitizenshipStatus", "DeleteCitizenshipStatus"],
            .section23EligibilityStatus: ["Section23Eligibility"], .deceasedStatus: ["IsDeceased", "DateOfDeath"],
        ]
        for aspect in StudentAspect.allCases {
            let (change, _) = try Self.change(aspect, of: student)
            let request = StudentAspectRequest(asn: student.asn, pasiCoreVersion: 40, change: change)
            #expect(request.operation.name == aspect.rawValue)
            #expect(PASIOperation(name: aspect.rawValue) == .submitStudentAspect(aspect))
            let text = String(decoding: try SOAPEnvelope.request(aspect.operationName, request.message(caller)), as: UTF8.self)
            #expect(text.contains("<\(aspect.operationName)>"), "\(text)")
            #expect(text.contains("<StateProvinceId>\(student.asn.digits)</StateProvinceId>") && text.contains("<PASICoreVersion>40</PASICoreVersion>"))
            // The operation element's own members (a `Name` or `IsPreferred` inside CallerInfo, an
            // Address or a PhoneNumber is not one of them).
            let children = Set(Self.members(of: aspect.operationName, in: text))
            #expect(children.isSuperset(of: ["CallerInfo", "StateProvinceId", "PASICoreVersion"]), "\(aspect): \(children)")
            for member in members[aspect] ?? [] { #expect(children.contains(member), "\(aspect): \(member) in \(text)") }
            let others = Set(members.filter { $0.key != aspect }.values.joined()).subtracting(members[aspect] ?? [])
            for member in others { #expect(!children.contains(member), "\(aspect) carries \(member)") }
            // Read back as the simulator reads it, by either coding.
            let message = try SOAPEnvelope.decodeRequest(aspect.operationName, as: StudentAspectMessage.self, from: Data(text.utf8))
            #expect(try StudentAspectRequest(aspect, message) == request)
            let direct = try DirectEnvelope.request(aspect.operationName, request.message(caller))
            #expect(try DirectEnvelope.decodeRequest(aspect.operationName, as: StudentAspectMessage.self, from: Data(text.utf8)) == message)
            #expect(try SOAPEnvelope.decodeRequest(aspect.operationName, as: StudentAspectMessage.self, from: direct) == message)
        }
    }

    // MARK: - Client and simulator

    /// A student this client created (Create Student), then given something of every aspect: the
    /// caller is associated with it by its creation (by_student_creation.html).
    /// The names of the child elements of `operation`'s element in `text`, in order: its members,
    /// not the elements nested in them.
    static func members(of operation: String, in text: String) -> [String] {
        guard let start = text.range(of: "<\(operation)>"), let end = text.range(of: "</\(operation)>", range: start.upperBound..<text.endIndex)
        else { return [] }
        var names: [String] = []
        var depth = 0
        for tag in text[start.upperBound..<end.lowerBound].matches(of: /<(\/?)([A-Za-z0-9_:]+)[^>]*?(\/?)>/) {
            if !tag.output.1.isEmpty {
                depth -= 1
                continue
            }
            if depth == 0 { names.append(String(tag.output.2)) }
            if tag.output.3.isEmpty { depth += 1 }
        }
        return names
    }

    static func created(_ fixture: SimulatorFixture, last: String) async throws -> Student {
        let legal = try Self.name(.legal, last, first: "Aspect")
        let answer = try await fixture.client.createStudent(
            .init(name: legal, birthDate: birth), gender: .female,
            addresses: [try Address(type: .mailing, street: "1 Main St", city: "Edmonton", isPreferred: true)],
            phones: [try Phone(number: "780-555-0100", type: "Home", isPreferred: true)], acknowledgingSimilar: [])
        let asn = try ASN(answer.id)
        var version = answer.pasiCoreVersion
        for change: StudentAspectChange in [.name(try Self.name(.alias, "Aliasson"), isPreferred: false, delete: false),
                                            .disclosureRestriction(try DisclosureRestriction(code: "Caution")), .citizenshipStatus("1")] {
            version = try await fixture.client.submitStudentAspect(StudentAspectRequest(asn: asn, pasiCoreVersion: version, change: change)).pasiCoreVersion
        }
        return try #require(await fixture.province.record(Student.self, id: asn.digits))
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/create_student.html (the ASN in the answer),
    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_11401.html (Duplicate Student)
    @Test("Create Student: PASI makes the ASN and answers it; the same name and birth date again is rule 11401 unless acknowledged")
    func createStudent() async throws {
        try await SimulatorFixture.with(students: 20) { fixture in
            let before = await fixture.province.count(of: .student)
            let student = try await Self.created(fixture, last: "Newcomer")
            #expect(student.asn.hasValidCheckDigit)
            #expect(student.legalName?.lastName == "Newcomer" && student.birthDate == Self.birth)
            #expect(await fixture.province.count(of: .student) == before + 1)
            #expect(try await fixture.client.getStudents([student.asn]).first?.record == student, "the creator sees it (By Student Creation)")

            let identification = CreateStudentRequest.StudentIdentificationInfo(name: try Self.name(.legal, "Newcomer", first: "Aspect"), birthDate: Self.birth)
            let duplicate = await coreError {
                _ = try await fixture.client.createStudent(identification, gender: .female, addresses: [], phones: [], acknowledgingSimilar: [])
            }
            #expect(duplicate?.category == .rejection)
            #expect(duplicate?.faultCode == 11401)
            #expect(duplicate?.rejections.first?.message.contains(student.asn.digits) == true)
            #expect(await fixture.province.count(of: .student) == before + 1)

            let twin = try await fixture.client.createStudent(identification, gender: .male, addresses: [], phones: [], acknowledgingSimilar: [student.asn])
            #expect(twin.id != student.asn.digits)
            #expect(await fixture.province.count(of: .student) == before + 2)
        }
    }

    // One page per service: StudentAspect.page (e.g.
    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/submit_student_gender.html,
    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/submit_phone_number.html, …):
    // "The PASICoreVersion is the new version for the student".
    @Test("each aspect service changes that aspect only and moves the student's version", arguments: StudentAspect.allCases)
    func aspectService(_ aspect: StudentAspect) async throws {
        try await SimulatorFixture.with(students: 20) { fixture in
            let student = try await Self.created(fixture, last: "Aspect\(String(aspect.rawValue.filter(\.isUppercase)))")
            let (change, applied) = try Self.change(aspect, of: student)
            let answer = try await fixture.client.submitStudentAspect(StudentAspectRequest(asn: student.asn, pasiCoreVersion: student.pasiCoreVersion, change: change))
            let after = try #require(await fixture.province.record(Student.self, id: student.asn.digits))
            #expect(answer.pasiCoreVersion > student.pasiCoreVersion)
            #expect(after.pasiCoreVersion == answer.pasiCoreVersion)
            #expect(applied(after), "\(after)")
            #expect(Self.outside(aspect, after) == Self.outside(aspect, student), "nothing but \(aspect.rawValue) changed")
            if aspect == .name {
                #expect(after.names.first { $0.lastName == "Newalias" }?.refId?.value == answer.id, "Submit Name answers the alias's RefId")
            } else if case let .address(address, _) = change {
                #expect(answer.id == address.id.map(String.init), "Submit Student Address answers the StudentAddressId")
            } else if case let .phoneNumber(phone, _) = change {
                #expect(answer.id == phone.id.map(String.init), "Submit Phone Number answers the phone's RefId")
            } else {
                #expect(answer.id == student.asn.digits)
            }
            // On the old version: 3004, nothing changed.
            let stale = await coreError {
                _ = try await fixture.client.submitStudentAspect(StudentAspectRequest(asn: student.asn, pasiCoreVersion: student.pasiCoreVersion, change: change))
            }
            #expect(stale?.faultCode == 3004)
            #expect(await fixture.province.record(Student.self, id: student.asn.digits) == after)
        }
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/37fbd5ef-aa64-fe82-9a80-30ecbd4f8a14.htm
    // (V2019 SubmitStudentAddressRequest: flat, RefId and Format required),
    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_9006.html ("A Reference ID of 0 in the
    // service request will pass this rule"), and the method page's answer: "the StudentAddressId being modified"
    // (https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/26b821e7-c4d1-eb9c-411d-0685dc1149c3.htm).
    @Test("Submit Student Address: RefId 0 adds an address PASI gives an id and answers; that id corrects and deletes it; an id the student does not hold is rule 9006")
    func addressByRefId() async throws {
        try await SimulatorFixture.with(students: 20) { fixture in
            let student = try await Self.created(fixture, last: "Addressed")
            let physical = try Address(type: .physical, street: "4 Range Rd", city: "Sylvan Lake", province: "AB", country: "CAN")
            let caller = CallerInfoElement(
                try CallerInfo(user: .init(ipAddress: "127.0.0.1", localID: "l", name: "n", organizationCode: OrganizationCode("A.1234"))),
                messageID: "0f8fad5b-d9cb-469f-a165-70867728950e", sentUtcTime: "2026-11-29T12:00:00Z")
            let added = StudentAspectRequest(asn: student.asn, pasiCoreVersion: student.pasiCoreVersion, change: .address(physical, delete: false))
            let text = String(decoding: try SOAPEnvelope.request("SubmitStudentAddress", added.message(caller)), as: UTF8.self)
            #expect(text.contains("<RefId>0</RefId>") && text.contains("<Format>Mail-CA</Format>") && text.contains("<Type>Physical</Type>"), "\(text)")

            let answer = try await fixture.client.submitStudentAspect(added)
            let id = try #require(Int64(answer.id))
            var held = try #require(await fixture.province.record(Student.self, id: student.asn.digits))
            let stored = try #require(held.addresses.first { $0.type == .physical })
            #expect(stored.id == id && stored.street == "4 Range Rd" && stored.format == "Mail-CA")
            #expect(id != student.addresses.first?.id, "a new id, not the mailing address's")

            var corrected = stored
            corrected.street = "4 Range Road"
            let second = try await fixture.client.submitStudentAspect(
                StudentAspectRequest(asn: student.asn, pasiCoreVersion: answer.pasiCoreVersion, change: .address(corrected, delete: false)))
            #expect(second.id == answer.id)
            held = try #require(await fixture.province.record(Student.self, id: student.asn.digits))
            #expect(held.addresses.filter { $0.type == .physical }.map(\.street) == ["4 Range Road"], "corrected, not added")

            var stranger = corrected
            stranger.id = 999
            let refused = await coreError {
                _ = try await fixture.client.submitStudentAspect(
                    StudentAspectRequest(asn: student.asn, pasiCoreVersion: second.pasiCoreVersion, change: .address(stranger, delete: false)))
            }
            #expect(refused?.faultCode == 9006)
            #expect(refused?.rejections.first?.message == "Invalid Student Address Reference. The record referenced (ID = 999) is not valid for ASN \(student.asn.digits).")

            let deleted = try await fixture.client.submitStudentAspect(
                StudentAspectRequest(asn: student.asn, pasiCoreVersion: second.pasiCoreVersion, change: .address(corrected, delete: true)))
            #expect(deleted.id == answer.id)
            held = try #require(await fixture.province.record(Student.self, id: student.asn.digits))
            #expect(!held.addresses.contains { $0.type == .physical })
            #expect(held.addresses.filter { $0.type == .mailing } == student.addresses.filter { $0.type == .mailing })
        }
    }

    @Test("a changed SIS address is sent as a correction of PASI's address by its id; a new one with RefId 0; removed by its id")
    func addressPlan() throws {
        let base = try Self.full()
        var record = base
        record.addresses[0].street = "77 Other St"
        #expect(StudentAspectPlan.changes([.mailingAddress], from: base, to: record) == [.address(record.addresses[0], delete: false)])
        #expect(record.addresses[0].id == 11)
        record = base
        record.addresses.remove(at: 1)
        #expect(StudentAspectPlan.changes([.permanentAddress], from: base, to: record) == [.address(base.addresses[1], delete: true)])
        var none = base
        none.addresses = [base.addresses[0]]
        record = none
        let new = try Address(type: .physical, street: "8 New Rd", city: "Olds", country: "CAN")
        record.addresses.append(new)
        let requests = StudentAspectPlan.requests([.permanentAddress], from: none, to: record)
        #expect(requests.map(\.change) == [.address(new, delete: false)])
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/submit_student.html: "only available on the
    // 2017 end point", "Ministry Client User role"; rule 1007 No Access to Service Requested.
    @Test("a whole-record SubmitStudent from this K-12 client is refused (1007) and changes nothing")
    func submitStudentRefused() async throws {
        try await SimulatorFixture.with(students: 20) { fixture in
            let student = try await Self.created(fixture, last: "Wholerecord")
            var changed = student
            changed.gender = .male
            let refused = await coreError { _ = try await fixture.client.save(changed) }
            #expect(refused?.faultCode == 1007)
            #expect(refused?.category == .configuration)
            #expect(await fixture.province.record(Student.self, id: student.asn.digits) == student)
        }
    }
}
