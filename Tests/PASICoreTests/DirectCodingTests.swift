import Foundation
import PASIContract
@testable import PASICore
import PASIModel
import Testing

/// Records of every type, with every optional field filled and with every one left empty.
enum Samples {
    static let asn = try! ASN("123456782", checkDigit: .ignored)
    static let refId = try! RefId("0f8fad5b-d9cb-469f-a165-70867728950e")
    static let other = try! RefId("7c9e6679-7425-40de-944b-e07fc1f90ae7")
    static let school = try! OrganizationNumber(1234)
    static let year = try! SchoolYear(endYear: 2026)
    static func date(_ text: String) -> PASIDate { try! PASIDate(text) }
    /// Every character XML escapes, and names beyond ASCII.
    static let awkward = #"O'Brien & <Zoë> "Nguyễn" Ægir > 北"#

    static let fullStudent = try! Student(
        asn: asn, primaryASN: ASN("111111118", checkDigit: .ignored),
        secondaryASNs: [ASN("222222226", checkDigit: .ignored), ASN("333333334", checkDigit: .ignored)], isDeactivated: true,
        names: [
            StudentName(refId: refId, type: .legal, lastName: awkward, firstName: "Zoë", middleName: "Marie-Ève", suffix: "Jr.", isNameExact: false, isPreferred: true, effectiveDate: date("2010-01-02")),
            StudentName(type: .alias, lastName: "Tremblay"),
        ],
        gender: .female, birthDate: date("2010-05-04"),
        identificationDocument: IdentificationDocument(type: "BC", numberLastCharacters: "12&4", issueDate: date("2011-01-01")),
        addresses: [
            Address(type: .mailing, street: "1 Rue d'Église & <Main>", city: "Saint-Rémi", province: "AB", country: "CAN", postalCode: "T5J 0N3", isPreferred: true, effectiveDate: date("2012-01-01"), expiryDate: date("2013-01-01")),
            Address(type: .physical, street: "2 Oak", city: "Calgary"),
        ],
        phones: [Phone(number: "780-555-0100", extension: "12", type: "Home", isListable: false, isPreferred: true, effectiveDate: date("2014-01-01"), expiryDate: date("2015-01-01"))],
        citizenshipStatus: "Canadian", section23Eligibility: "Yes",
        disclosureRestrictions: [DisclosureRestriction(code: "PO", details: #"Protection "order" <A>"#, effectiveDate: date("2016-01-01"), expiryDate: date("2017-01-01"))],
        isDeceased: true, deceasedDate: date("2020-01-01"), maturity: "Independent", pasiCoreVersion: 9)
    static let bareStudent = try! Student(asn: asn, names: [], gender: .unknown)

    static let fullEnrolment = try! SchoolEnrolment(
        refId: refId, asn: asn, schoolCode: school, schoolYear: year, grade: GradeCode("KG"), entryDate: date("2025-09-01"),
        exitDate: date("2026-06-30"), registrationType: "Primary", isDeleted: true,
        extendedInfo: SchoolEnrolment.ExtendedInfo(
            localStudentID: "L&1", residentBoard: OrganizationNumber(5), francophoneBoard: OrganizationNumber(6), fnmiDeclaration: "Métis",
            frenchHoursOfInstruction: 7, enrolmentTypeCodes: ["a", "b"], exceptionCodes: ["c"], grantsProgramCodes: ["d", "e", "f"]),
        pasiCoreVersion: 3)
    static let bareEnrolment = try! SchoolEnrolment(
        refId: other, asn: asn, schoolCode: school, schoolYear: year, grade: GradeCode("01"), entryDate: date("2025-09-01"),
        registrationType: "P", extendedInfo: SchoolEnrolment.ExtendedInfo())
    static let bareEnrolmentWithoutInfo = try! SchoolEnrolment(
        refId: other, asn: asn, schoolCode: school, schoolYear: year, grade: GradeCode("01"), entryDate: date("2025-09-01"),
        registrationType: "P")
}

/// Every Get answer and request, and every status Get, through both paths: the same bytes
/// written, and each path reads what the other wrote.
@Suite("The Get messages' direct codec writes and reads the same documents as XMLCoder")
struct DirectCodingTests {
    /// The XMLCoder document with its envelope's namespaces in the direct path's order
    /// (XMLCoder writes them in a dictionary's order, which changes from run to run).
    static func canonical(_ data: Data) -> String {
        String(decoding: data, as: UTF8.self).replacingOccurrences(
            of: #"<s:Envelope xmlns="\#(SOAPEnvelope.pasiNamespace)" xmlns:s="\#(SOAPEnvelope.soapNamespace)">"#,
            with: #"<s:Envelope xmlns:s="\#(SOAPEnvelope.soapNamespace)" xmlns="\#(SOAPEnvelope.pasiNamespace)">"#)
    }

    /// The answer with the items given, plus a deleted one and two the caller cannot have.
    func agree<R: PASIRecord>(_ records: R..., sourceLocation: SourceLocation = #_sourceLocation) throws {
        let items = records.map { RetrievedRecord(id: $0.recordID, availabilityStatus: .normal, pasiCoreVersion: $0.pasiCoreVersion, record: $0) }
            + [
                RetrievedRecord(id: records[0].recordID, availabilityStatus: .normal, pasiCoreVersion: 12, isDeleted: true, record: records[0]),
                RetrievedRecord(id: "unknown & <gone>", availabilityStatus: .unknown, pasiCoreVersion: 0, record: nil),
                RetrievedRecord(id: "secret", availabilityStatus: .noAccess, pasiCoreVersion: 4, isDeleted: true, record: nil),
            ]
        let response = GetRecordsResponse(item: items)
        let operation = R.recordType.getOperation
        let direct = try DirectEnvelope.response(operation, response)
        let generic = try SOAPEnvelope.response(operation, response)
        #expect(String(decoding: direct, as: UTF8.self) == Self.canonical(generic), "\(operation): the bytes differ", sourceLocation: sourceLocation)
        #expect(try SOAPEnvelope.decodeResponse(operation, as: GetRecordsResponse<R>.self, from: direct).get().item == items, sourceLocation: sourceLocation)
        #expect(try DirectEnvelope.decodeResponse(operation, as: GetRecordsResponse<R>.self, from: generic).get().item == items, sourceLocation: sourceLocation)
        let empty = GetRecordsResponse<R>(item: [])
        #expect(String(decoding: try DirectEnvelope.response(operation, empty), as: UTF8.self) == Self.canonical(try SOAPEnvelope.response(operation, empty)), sourceLocation: sourceLocation)
        #expect(try DirectEnvelope.decodeResponse(operation, as: GetRecordsResponse<R>.self, from: SOAPEnvelope.response(operation, empty)).get().item.isEmpty, sourceLocation: sourceLocation)
    }

    @Test("students and school enrolments: every optional field filled and empty, special characters, deleted and unavailable items")
    func studentsAndEnrolments() throws {
        try agree(Samples.fullStudent, Samples.bareStudent)
        try agree(Samples.fullEnrolment, Samples.bareEnrolment, Samples.bareEnrolmentWithoutInfo)
    }

    @Test("every other record type, fields filled and empty")
    func everyType() throws {
        let (asn, refId, other, school, year) = (Samples.asn, Samples.refId, Samples.other, Samples.school, Samples.year)
        let date = Samples.date
        try agree(try School(code: school, name: Samples.awkward, authorityCode: OrganizationNumber(42), pasiCoreVersion: 5), try School(code: school, name: "É"))
        try agree(try SchoolAuthority(code: school, name: Samples.awkward, pasiCoreVersion: 2), try SchoolAuthority(code: OrganizationNumber(0), name: "A"))
        try agree(try Course(code: "ELA1105", name: "Language & <Arts>", credits: 5, isDiplomaCourse: true, pasiCoreVersion: 1_001), try Course(code: "X", name: "Y"))
        try agree(
            try Section(
                refId: refId, schoolCode: school, schoolYear: year, courseCode: "MAT3037", creditsOffered: 5, termCode: "S1",
                primaryDeliveryMethod: "Online", languageOfInstruction: "Français", deliverySchedule: "Day", instructionalMinutesOffered: 6_250,
                startDate: date("2025-09-02"), pasiCoreVersion: 8),
            try Section(refId: other, schoolCode: school, schoolYear: year, courseCode: "C", termCode: "T"))
        try agree(
            try CourseEnrolment(
                refId: refId, asn: asn, sectionRefId: other, schoolCode: school, schoolYear: year, courseCode: "MAT3037", creditsAttempted: 5,
                entryDate: date("2025-09-02"), exitDate: date("2026-01-30"), status: "Completed", markValue: 87, isMarkApproved: true,
                isFundingRequested: true, pasiCoreVersion: 4),
            try CourseEnrolment(refId: other, asn: asn, sectionRefId: refId, schoolCode: school, schoolYear: year, courseCode: "C", entryDate: date("2025-09-02"), status: "Active"))
        try agree(
            try EvaluatedMark(
                refId: refId, asn: asn, schoolCode: school, schoolYear: year, courseCode: "PED0770", credits: 3, markValue: 100,
                isMarkValueApproved: true, evaluationMethod: "Challenge", evaluationDate: date("2026-02-01"), isFundingRequested: true, pasiCoreVersion: 6),
            try EvaluatedMark(refId: other, asn: asn, schoolCode: school, schoolYear: year, courseCode: "C", markValue: 0, evaluationMethod: "M", evaluationDate: date("2026-02-01")))
        try agree(try DiplomaExam(refId: refId, courseCode: "ELA3036", schoolYear: year, examPeriod: "January", pasiCoreVersion: 2))
        try agree(
            try DiplomaExamSitting(refId: refId, examRefId: other, schoolYear: year, sittingDate: date("2026-01-20"), writingCentre: "École 1234", pasiCoreVersion: 3),
            try DiplomaExamSitting(refId: other, examRefId: refId, schoolYear: year, sittingDate: date("2026-01-20")))
        try agree(
            try DiplomaExamMark(refId: refId, asn: asn, courseCode: "ELA3036", schoolYear: year, sittingRefId: other, examMark: 71, pasiCoreVersion: 4),
            try DiplomaExamMark(refId: other, asn: asn, courseCode: "ELA3036", schoolYear: year))
        try agree(
            try StudentRecordDocument(refId: refId, asn: asn, documentType: "IPP", title: #"Plan "A" & <B>"#, schoolCode: school, documentDate: date("2025-10-01"), pasiCoreVersion: 5),
            try StudentRecordDocument(refId: other, asn: asn, documentType: "T", title: "t"))
        try agree(
            try ClassroomAccommodation(refId: refId, asn: asn, schoolYear: year, accommodationCode: "Scribe", comment: "l'élève & <lui>", pasiCoreVersion: 7),
            try ClassroomAccommodation(refId: other, asn: asn, schoolYear: year, accommodationCode: "A"))
    }

    @Test("Get and status Get requests, and status answers with and without alerts")
    func requestsAndStatuses() throws {
        let caller = CallerInfoElement(
            try CallerInfo(user: .init(ipAddress: "127.0.0.1", localID: "d'Arcy & <co>", name: "Zoë \"Z\"", organizationCode: OrganizationCode("A.1234"))),
            messageID: "0f8fad5b-d9cb-469f-a165-70867728950e", sentUtcTime: "2026-11-29T12:00:00Z")
        for keys in [[GetRecordsRequest.Key("123456782"), .init("a&b<'\"é>", expectedVersion: 4)], []] {
            let request = GetRecordsRequest(callerInfo: caller, key: keys)
            let direct = try DirectEnvelope.request("GetStudent", request)
            #expect(String(decoding: direct, as: UTF8.self) == Self.canonical(try SOAPEnvelope.request("GetStudent", request)))
            let generic = try SOAPEnvelope.decodeRequest("GetStudent", as: GetRecordsRequest.self, from: direct)
            let fast = try DirectEnvelope.decodeRequest("GetStudent", as: GetRecordsRequest.self, from: SOAPEnvelope.request("GetStudent", request))
            #expect(generic.key == keys && fast.key == keys && generic.callerInfo == caller && fast.callerInfo == caller)
        }
        let statusRequest = GetStatusesRequest(callerInfo: caller, key: [.init("123456782", knownSourceVersion: 3), .init("&")])
        let statusBytes = try DirectEnvelope.request("GetStudentStatus", statusRequest)
        #expect(String(decoding: statusBytes, as: UTF8.self) == Self.canonical(try SOAPEnvelope.request("GetStudentStatus", statusRequest)))
        #expect(try SOAPEnvelope.decodeRequest("GetStudentStatus", as: GetStatusesRequest.self, from: statusBytes).key == statusRequest.key)
        #expect(try DirectEnvelope.decodeRequest("GetStudentStatus", as: GetStatusesRequest.self, from: statusBytes).key == statusRequest.key)

        // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/known_source_version.html: a status may bring its source record.
        let statuses = GetStatusesResponse<Student>(item: [
            RetrievedStatus(status: RecordStatus(id: "123456782", pasiCoreVersion: 5, alert: [
                StatusAlert(alertCode: "A-1", severity: .error, message: #"Birth date "2010" & <later>"#, acknowledgementStatus: .inProgress,
                            arguments: AlertArguments(["FieldName": "BirthDate", "Wert": "Zoë & <Ægir>"])),
                StatusAlert(alertCode: "A-2", severity: .reminder),
            ]), sourceRecord: RetrievedRecord(id: "123456782", availabilityStatus: .normal, pasiCoreVersion: 9, record: Samples.fullStudent)),
            RetrievedStatus(status: RecordStatus(id: "none", pasiCoreVersion: 2, alert: [])),
            RetrievedStatus(status: RecordStatus(id: "hidden", availabilityStatus: .noAccess, pasiCoreVersion: 0, alert: [])),
        ])
        let direct = try DirectEnvelope.response("GetStudentStatus", statuses)
        let generic = try SOAPEnvelope.response("GetStudentStatus", statuses)
        #expect(String(decoding: direct, as: UTF8.self) == Self.canonical(generic))
        #expect(try SOAPEnvelope.decodeResponse("GetStudentStatus", as: GetStatusesResponse<Student>.self, from: direct).get().item == statuses.item)
        #expect(try DirectEnvelope.decodeResponse("GetStudentStatus", as: GetStatusesResponse<Student>.self, from: generic).get().item == statuses.item)
    }

    @Test("Submit requests (save with a full or bare record, delete without one) and their answers, accepted and rejected")
    func submits() throws {
        let caller = CallerInfoElement(
            try CallerInfo(user: .init(ipAddress: "127.0.0.1", localID: "d'Arcy & <co>", name: "Zoë", organizationCode: OrganizationCode("A.1234"))),
            messageID: "0f8fad5b-d9cb-469f-a165-70867728950e", sentUtcTime: "2026-11-29T12:00:00Z")
        func agree<R: PASIRecord>(_ request: SubmitRequest<R>, sourceLocation: SourceLocation = #_sourceLocation) throws {
            let operation = R.recordType.submitOperation
            let direct = try DirectEnvelope.request(operation, request)
            #expect(String(decoding: direct, as: UTF8.self) == Self.canonical(try SOAPEnvelope.request(operation, request)), sourceLocation: sourceLocation)
            let generic = try SOAPEnvelope.decodeRequest(operation, as: SubmitRequest<R>.self, from: direct)
            let fast = try DirectEnvelope.decodeRequest(operation, as: SubmitRequest<R>.self, from: SOAPEnvelope.request(operation, request))
            for read in [generic, fast] {
                #expect(read.record == request.record && read.id == request.id && read.action == request.action
                        && read.pasiCoreVersion == request.pasiCoreVersion && read.callerInfo == caller, sourceLocation: sourceLocation)
            }
        }
        for student in [Samples.fullStudent, Samples.bareStudent] {
            try agree(SubmitRequest(callerInfo: caller, action: .save, id: student.recordID, pasiCoreVersion: 9, record: student))
        }
        for enrolment in [Samples.fullEnrolment, Samples.bareEnrolment, Samples.bareEnrolmentWithoutInfo] {
            try agree(SubmitRequest(callerInfo: caller, action: .save, id: enrolment.recordID, pasiCoreVersion: 0, record: enrolment))
        }
        try agree(SubmitRequest<SchoolEnrolment>(callerInfo: caller, action: .delete, id: Samples.refId.value, pasiCoreVersion: 3, record: nil))
        for answer in [SubmitResponse(id: "123456782", pasiCoreVersion: 10),
                       SubmitResponse(id: "a&b", pasiCoreVersion: 9, rejection: [.init(code: 3004, message: #"at version 10, not "9" & <x>"#),
                                                                                   .init(code: 3002, message: "Zoë")])] {
            let direct = try DirectEnvelope.response("SubmitStudent", answer)
            let generic = try SOAPEnvelope.response("SubmitStudent", answer)
            #expect(String(decoding: direct, as: UTF8.self) == Self.canonical(generic))
            #expect(try SOAPEnvelope.decodeResponse("SubmitStudent", as: SubmitResponse.self, from: direct).get() == answer)
            #expect(try DirectEnvelope.decodeResponse("SubmitStudent", as: SubmitResponse.self, from: generic).get() == answer)
        }
        // A list submit and its MultipleSubmitResponse
        // (https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/833e01e8-38c2-06c6-b36f-f47ce120a55e.htm).
        let section = try Section(refId: Samples.refId, schoolCode: OrganizationNumber("1042"), schoolYear: SchoolYear(endYear: 2026),
                                  courseCode: "MAT1791", termCode: "S1")
        let list = MultipleSubmitRequest(callerInfo: caller, item: [SubmitItem(saving: section),
                                                                   SubmitItem<Section>(action: .delete, id: "a&b", pasiCoreVersion: 4, record: nil)])
        let directList = try DirectEnvelope.request("SubmitSection", list)
        #expect(String(decoding: directList, as: UTF8.self) == Self.canonical(try SOAPEnvelope.request("SubmitSection", list)))
        #expect(String(decoding: directList, as: UTF8.self).contains("<Item><Action>Save</Action><RefId>\(Samples.refId.value)</RefId>"))
        for read in [try SOAPEnvelope.decodeRequest("SubmitSection", as: MultipleSubmitRequest<Section>.self, from: directList),
                     try DirectEnvelope.decodeRequest("SubmitSection", as: MultipleSubmitRequest<Section>.self, from: SOAPEnvelope.request("SubmitSection", list))] {
            #expect(read.item == list.item && read.callerInfo == caller)
        }
        let answers = MultipleSubmitResponse(submitResponse: [SubmitResponse(id: Samples.refId.value, pasiCoreVersion: 7),
                                                              SubmitResponse(id: "a&b", pasiCoreVersion: 4, rejection: [.init(code: 9035, message: "gone")])])
        let directAnswers = try DirectEnvelope.response("SubmitSection", answers)
        #expect(String(decoding: directAnswers, as: UTF8.self) == Self.canonical(try SOAPEnvelope.response("SubmitSection", answers)))
        #expect(try DirectEnvelope.decodeResponse("SubmitSection", as: MultipleSubmitResponse.self, from: directAnswers).get() == answers)
        #expect(try SOAPEnvelope.decodeResponse("SubmitSection", as: MultipleSubmitResponse.self, from: directAnswers).get() == answers)
    }

    @Test("what XMLCoder also reads: any element order, other prefixes, references, comments; and what only the direct reader does: white space between elements, CDATA")
    func lenientReading() throws {
        let document = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- a comment before the root -->
            <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:p="urn:x"><soap:Header/><soap:Body>\
            <p:GetSchoolInformationResponse><p:Item><p:PASICoreVersion>5</p:PASICoreVersion>\
            <p:Record><Name>&#201;cole &lt;Saint&gt; &apos;Jean&#x27;s &amp; co</Name><Code>1234</Code><!-- a comment --><PASICoreVersion>+5</PASICoreVersion></p:Record>\
            <p:RefId>1234</p:RefId><p:AvailabilityStatus>Normal</p:AvailabilityStatus><p:IsDeleted>0</p:IsDeleted></p:Item>\
            </p:GetSchoolInformationResponse></soap:Body></soap:Envelope>
            """
        func read(_ document: String) throws -> [RetrievedRecord<School>] {
            try DirectEnvelope.decodeResponse("GetSchoolInformation", as: GetRecordsResponse<School>.self, from: Data(document.utf8)).get().item
        }
        let school = try School(code: Samples.school, name: "École <Saint> 'Jean's & co", pasiCoreVersion: 5)
        #expect(try read(document) == [RetrievedRecord(id: "1234", availabilityStatus: .normal, pasiCoreVersion: 5, record: school)])
        #expect(try SOAPEnvelope.decodeResponse("GetSchoolInformation", as: GetRecordsResponse<School>.self, from: Data(document.utf8)).get().item == read(document))
        // XMLCoder reads white space between elements as an element without a name, and keeps
        // only the text before a CDATA section.
        let spaced = document.replacingOccurrences(of: "><", with: ">\n  \t<")
        #expect(try read(spaced) == read(document))
        #expect(try read(document.replacingOccurrences(of: "&lt;Saint&gt;", with: "<![CDATA[<Saint>]]><!-- dropped -->")) == read(document))
    }

    @Test("a fault answer is read as the fault")
    func fault() throws {
        let data = SOAPEnvelope.fault(PASIFault(.coreOutOfDate, "resubmit & <wait>"))
        guard case let .failure(fault) = try DirectEnvelope.decodeResponse("GetStudent", as: GetRecordsResponse<Student>.self, from: data) else {
            Issue.record("no fault read")
            return
        }
        #expect(fault == PASIFault(.coreOutOfDate, "resubmit & <wait>"))
    }
}

/// Pieces of a GetStudent answer, to be broken on purpose.
enum Fragments {
    static let item = "<Item><RefId>123456782</RefId><AvailabilityStatus>Normal</AvailabilityStatus><PASICoreVersion>1</PASICoreVersion><IsDeleted>false</IsDeleted>"
    static let student = "<Record><StateProvinceId>123456782</StateProvinceId><IsDeactivated>false</IsDeactivated><Gender>Male</Gender><IsDeceased>false</IsDeceased><PASICoreVersion>1</PASICoreVersion>"
    static let name = "<Names><Type>Legal</Type><LastName>A</LastName><IsNameExact>true</IsNameExact><IsPreferred>true</IsPreferred></Names>"
}

@Suite("The Get messages' direct reader refuses what it cannot read with PASI's faults, naming where")
struct DirectCodingErrorTests {
    static func answer(_ items: String, operation: String = "GetStudent") -> Data {
        Data(#"<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><\#(operation)Response>\#(items)</\#(operation)Response></s:Body></s:Envelope>"#.utf8)
    }

    static func fault(_ data: Data) -> PASIFault? {
        do {
            _ = try DirectEnvelope.decodeResponse("GetStudent", as: GetRecordsResponse<Student>.self, from: data).get()
            return nil
        } catch {
            return error
        }
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_3002.html
    @Test("not well formed: 3002 with the line, the column and what is wrong", arguments: [
        ("<s:Envelope><s:Body><GetStudentResponse><Item>", "ends inside <Item>"),
        ("<s:Envelope><s:Body></s:Envelope>", "</s:Envelope> closes <s:Body>"),
        ("<s:Envelope><s:Body>\u{1}</s:Body></s:Envelope>", "control character 1"),
        ("<s:Envelope><s:Body>&nbsp;</s:Body></s:Envelope>", "& that starts no reference"),
        ("<!DOCTYPE x [<!ENTITY a \"b\">]><s:Envelope/>", "DOCTYPE is not accepted"),
        ("<s:Envelope a=b/>", "attribute value without quotes"),
        ("<s:Envelope/><s:Envelope/>", "a second root element"),
        ("junk<s:Envelope/>", "text outside the root element"),
        ("", "no root element"),
        ("<s:Envelope>\n<s:Body>\n<GetStudentResponse></GetStudentsResponse>", "line 3, column 21"),
    ])
    func notWellFormed(document: String, expected: String) {
        let fault = Self.fault(Data(document.utf8))
        #expect(fault?.code == 3002)
        #expect(fault?.message.contains("not well formed at line") == true)
        #expect(fault?.message.contains(expected) == true, "\(fault?.message ?? "no fault")")
    }

    @Test("bytes that are not UTF-8 are refused, naming the element")
    func notUTF8() {
        var data = Self.answer(Fragments.item + Fragments.student + "<Names><Type>Legal</Type><LastName>A</LastName><IsNameExact>true</IsNameExact><IsPreferred>true</IsPreferred></Names></Record></Item>")
        data.replaceSubrange(data.range(of: Data("<LastName>A".utf8))!, with: Data("<LastName>".utf8) + [0xC3, 0x28])
        let fault = Self.fault(data)
        // Bytes that are not text cannot be deserialized at all (rule_3002.html).
        #expect(fault?.code == 3002)
        #expect(fault?.message.contains("Item/[0]/Record/Names/[0]/LastName") == true, "\(fault?.message ?? "no fault")")
        #expect(fault?.message.contains("UTF-8") == true)
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_3001.html (a value out of range, with details)
    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_3002.html (the contract cannot be deserialized)
    @Test("well formed but not the contract: 3001 for a value out of range, 3002 for what cannot be deserialized, naming the element and the field", arguments: [
        (Fragments.item + Fragments.student.replacingOccurrences(of: "123456782</", with: "12345</") + "</Record></Item>", "Item/[0]/Record/StateProvinceId: ASN must be nine digits", 3001),
        (Fragments.item + Fragments.student + Fragments.name + Fragments.name + "</Record></Item>", "Item/[0]/Record: Student.names must have at most one preferred name", 3001),
        (Fragments.item + Fragments.student + Fragments.name.replacingOccurrences(of: "<LastName>A", with: "<LastName> A") + "</Record></Item>", "Item/[0]/Record/Names/[0]: StudentName.lastName must be a PASI string", 3001),
        (Fragments.item + Fragments.student + "</Record></Item>" + Fragments.item.replacingOccurrences(of: ">1<", with: ">x<") + "</Item>", "Item/[1]/PASICoreVersion: the text is not an integer", 3002),
        (Fragments.item.replacingOccurrences(of: "<PASICoreVersion>1</PASICoreVersion>", with: "") + "</Item>", "Item/[0]/PASICoreVersion is missing", 3002),
        (Fragments.item.replacingOccurrences(of: "Normal", with: "Maybe") + "</Item>", "Item/[0]/AvailabilityStatus: Cannot initialize AvailabilityStatus from invalid String value Maybe", 3001),
        (Fragments.item.replacingOccurrences(of: ">false<", with: ">maybe<") + "</Item>", "Item/[0]/IsDeleted: the text is not true or false", 3002),
        (Fragments.item + Fragments.student.replacingOccurrences(of: "<Gender>Male</Gender>", with: "<Gender><X/></Gender>") + "</Record></Item>", "Item/[0]/Record/Gender: it holds elements, not text", 3002),
    ])
    func notTheContract(items: String, expected: String, code: Int) {
        let fault = Self.fault(Self.answer(items))
        #expect(fault?.code == code)
        #expect(fault?.message.contains("the GetStudentResponse message cannot be read: \(expected)") == true, "\(fault?.message ?? "no fault")")
    }

    @Test("the envelope: another root, no body, an empty body, another operation's element")
    func envelope() {
        #expect(Self.fault(Data("<Envelope2/>".utf8))?.message.contains("not a SOAP envelope") == true)
        #expect(Self.fault(Data("<s:Envelope><s:Header/></s:Envelope>".utf8))?.message.contains("no SOAP Body") == true)
        #expect(Self.fault(Data("<s:Envelope><s:Body/></s:Envelope>".utf8))?.message.contains("the SOAP body is empty") == true)
        #expect(Self.fault(Self.answer("", operation: "GetSchoolInformation"))?.message.hasSuffix("the body holds GetSchoolInformationResponse, expected GetStudentResponse") == true)
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_3002.html
    @Test("a request without CallerInfo is 3002; one with a bad key 3002 naming it")
    func requests() {
        let document = #"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><GetStudent><Key><RefId>1</RefId><ExpectedVersion>0</ExpectedVersion></Key></GetStudent></s:Body></s:Envelope>"#
        #expect(throws: PASIFault(.requestNotStructuredCorrectly, "Invalid Request. The request was not structured correctly: the GetStudent message carries no CallerInfo")) {
            try DirectEnvelope.decodeRequest("GetStudent", as: GetRecordsRequest.self, from: Data(document.utf8))
        }
        let caller = CallerInfoElement(try! CallerInfo(user: .init(ipAddress: "1", localID: "l", name: "n", organizationCode: OrganizationCode("A.1234"))), messageID: "m", sentUtcTime: "t")
        var data = try! DirectEnvelope.request("GetStudent", GetRecordsRequest(callerInfo: caller, key: [.init("1"), .init("2", expectedVersion: 3)]))
        data = Data(String(decoding: data, as: UTF8.self).replacingOccurrences(of: "<ExpectedVersion>3<", with: "<ExpectedVersion>three<").utf8)
        do {
            _ = try DirectEnvelope.decodeRequest("GetStudent", as: GetRecordsRequest.self, from: data)
            Issue.record("a bad key was read")
        } catch {
            #expect(error.code == 3002)
            #expect(error.message.contains("Key/[1]/ExpectedVersion"), "\(error.message)")
        }
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_3001.html, rule_3002.html
    @Test("any truncation or damage of an answer gives the answer or a 3001/3002 fault, never a crash")
    func damage() throws {
        let items = [RetrievedRecord(id: "1", availabilityStatus: .normal, pasiCoreVersion: 9, record: Samples.fullStudent)]
        let valid = try DirectEnvelope.response("GetStudent", GetRecordsResponse(item: items))
        for length in 0..<valid.count {
            #expect(Self.fault(valid.prefix(length))?.code == 3002)
        }
        var random = SeededRandom(seed: 7)
        let alphabet = Array("<>/&;#x:=\"' !-?[]CDATA\u{0}\u{1}\u{7F}".utf8) + [0xC3, 0xFF, 0x80]
        for _ in 0..<3_000 {
            var damaged = [UInt8](valid)
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let at = Int.random(in: 0..<damaged.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: damaged[at] = alphabet.randomElement(using: &random)!
                case 1: damaged.remove(at: at)
                default: damaged.insert(alphabet.randomElement(using: &random)!, at: at)
                }
            }
            do {
                _ = try DirectEnvelope.decodeResponse("GetStudent", as: GetRecordsResponse<Student>.self, from: Data(damaged)).get()
            } catch {
                // A damaged value is out of range (3001), a damaged structure cannot be read (3002).
                #expect(error.code == 3001 || error.code == 3002, "\(error)")
            }
        }
    }

    @Test("the client reports an answer it cannot read as its own defect naming the element, without a PASI code")
    func client() throws {
        let data = Self.answer(Fragments.item.replacingOccurrences(of: ">1<", with: ">one<") + "</Item>")
        do {
            _ = try PASICoreClient.read(status: 200, data, operation: .getRecords(.student), direct: true, as: GetRecordsResponse<Student>.self)
            Issue.record("an unreadable answer was read")
        } catch {
            #expect(error.category == .defect)
            #expect(error.faultCode == nil)
            #expect(error.message.contains("the answer to GetStudent cannot be read"), "\(error.message)")
        }
    }
}

/// A small deterministic generator (SplitMix64) so a failing damage case repeats.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
