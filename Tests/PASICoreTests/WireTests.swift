import Foundation
import PASIContract
import PASIModel
import Testing

@Suite("PASI wire format and the shared hash rule")
struct WireTests {
    @Test("the canonical hash: MD5 over id-sorted `id|version` lines; order of input does not matter")
    func versionHash() {
        // md5 of "" and of "a|1\nb|22\n", computed with `printf 'a|1\nb|22\n' | md5sum`.
        #expect(VersionHash.of([]) == "d41d8cd98f00b204e9800998ecf8427e")
        let items = [FeedItem(id: "b", version: 22), FeedItem(id: "a", version: 1)]
        #expect(VersionHash.of(items) == "598c30cb435b3b78d17e82934be3a8a5")
        #expect(VersionHash.of(items.reversed()) == VersionHash.of(items))
        #expect(VersionHash.of([FeedItem(id: "a", version: 2), FeedItem(id: "b", version: 22)]) != VersionHash.of(items))
    }

    @Test("element names follow PASI's contracts and map back")
    func names() {
        #expect(WireNames.wire("asn") == "StateProvinceId")
        #expect(WireNames.wire("pasiCoreVersion") == "PASICoreVersion")
        #expect(WireNames.wire("schoolCode") == "SchoolCode")
        for name in ["asn", "pasiCoreVersion", "schoolCode", "ipAddress", "localID", "refId"] {
            #expect(WireNames.swift(WireNames.wire(name)) == name)
        }
    }

    @Test("a student travels through the envelope and back unchanged, empty lists included")
    func studentRoundTrip() throws {
        let name = try StudentName(refId: .random(), type: .legal, lastName: "Tremblay", firstName: "Ana", isPreferred: true)
        let student = try Student(asn: ASN("123456782", checkDigit: .ignored), names: [name], gender: .female, birthDate: PASIDate("2010-05-04"), pasiCoreVersion: 7)
        let response = GetRecordsResponse(item: [RetrievedRecord(id: student.recordID, availabilityStatus: .normal, pasiCoreVersion: 7, record: student)])
        let data = try SOAPEnvelope.response("GetStudent", response)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("<StateProvinceId>123456782</StateProvinceId>"))
        #expect(text.contains("<PASICoreVersion>7</PASICoreVersion>"))
        let decoded = try SOAPEnvelope.decodeResponse("GetStudent", as: GetRecordsResponse<Student>.self, from: data).get()
        #expect(decoded.item.first?.record == student)
    }

    @Test("a fault travels with its code and text")
    func faultRoundTrip() throws {
        // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_1008.html
        let data = SOAPEnvelope.fault(PASIFault(.invalidOrganizationCode, "OrganizationCode A.0001 is not yours"))
        let result = try SOAPEnvelope.decodeResponse("GetStudent", as: GetRecordsResponse<Student>.self, from: data)
        guard case let .failure(fault) = result else { Issue.record("no fault read"); return }
        #expect(fault.code == 1008)
        #expect(fault.handling == .configuration)
        #expect(fault.message.contains("A.0001"))
    }

    @Test("notification types: year exactly for year-scoped names, case-sensitive, 1905–2100")
    func notificationTypes() throws {
        // https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/2adf3a48-2674-943e-b7d7-81f9eea87e77.htm
        // (the year-less types; every other type needs a year, rule 3008; SchoolCalendarYear may have one, rule_3006.html)
        #expect(try NotificationType("StudentSchoolEnrolment.2019").year?.endYear == 2019)
        #expect(try NotificationType("Student").year == nil)
        #expect(try NotificationType("StudentRecordDocument.2019").year?.endYear == 2019)
        #expect(throws: PASIModelError.self) { try NotificationType("StudentRecordDocument") }
        #expect(try NotificationType("SchoolCalendarYear").year == nil)
        #expect(try NotificationType("SchoolCalendarYear.2019").year?.endYear == 2019)
        #expect(throws: PASIModelError.self) { try NotificationType("StudentTranscriptDetail.2019") }
        #expect(throws: PASIModelError.self) { try NotificationType("student") }
        #expect(throws: PASIModelError.self) { try NotificationType("Student.2019") }
        #expect(throws: PASIModelError.self) { try NotificationType("Section") }
        #expect(throws: PASIModelError.self) { try NotificationType("Section.1900") }
        #expect(throws: PASIModelError.self) { try NotificationType("Section.20x9") }
    }
}

@Suite("The change feed's streaming codec writes and reads the same document as XMLCoder")
struct FeedCodingTests {
    static let response = IsDataAvailableResponse(notification: [
        .init(notificationType: try! NotificationType("Student"), item: [FeedItem(id: "123456782", version: 7), FeedItem(id: "a&b<c>", version: 9)]),
        .init(notificationType: try! NotificationType("Section.2026"), hashMatched: true, item: []),
    ])

    @Test("streaming-encoded → read by XMLCoder, and XMLCoder-encoded → read by the streaming reader, unchanged")
    func bothWays() throws {
        let fast = FeedCoding.encode(Self.response)
        let viaGeneric = try SOAPEnvelope.decodeResponse("IsDataAvailable", as: IsDataAvailableResponse.self, from: fast).get()
        #expect(viaGeneric.notification == Self.response.notification)
        let generic = try SOAPEnvelope.response("IsDataAvailable", Self.response)
        #expect(try FeedCoding.decode(generic).get().notification == Self.response.notification)
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_3002.html
    @Test("a fault comes back as the fault; a broken document as 3002 with its line and column")
    func faultsAndErrors() throws {
        let fault = SOAPEnvelope.fault(PASIFault(.coreOutOfDate, "resubmit"))
        guard case let .failure(read) = try FeedCoding.decode(fault) else { Issue.record("no fault read"); return }
        #expect(read.code == 9014)
        var broken = FeedCoding.encode(Self.response)
        broken.removeLast(60)  // into the last Notification
        #expect(throws: PASIFault.self) { try FeedCoding.decode(broken) }
        do {
            _ = try FeedCoding.decode(Data("<s:Envelope><s:Body><IsDataAvailableResponse><Notification><NotificationType>student</NotificationType></Notification></IsDataAvailableResponse></s:Body></s:Envelope>".utf8))
            Issue.record("an unknown notification type was read")
        } catch {
            #expect(error.code == 3002)
            #expect(error.message.contains("line 1"))
            #expect(error.message.contains("student"))
        }
    }
}
