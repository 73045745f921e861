import PASICore
import DistrictSynthesis
import Logging
import Foundation
import PASIContract
import PASIModel
import PasisyncTesting
import Testing

@Suite("PASI Core simulator: bad input gets PASI's fault and the simulator keeps serving")
struct BadInputTests {
    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_3002.html
    @Test("malformed XML → fault 3002 naming the problem")
    func malformed() async throws {
        try await SimulatorFixture.with { fixture in
            let answer = try await RawRequest.post(to: fixture.endpoint, soapAction: "GetCodeValues", body: Array("<s:Envelope><s:Body><GetCodeValues>".utf8))
            #expect(answer.status == 500)
            #expect(answer.body.contains("<Code>3002</Code>"))
            #expect(answer.body.contains("line 1"), "the fault names where the document breaks: \(answer.body)")
            #expect(try await fixture.client.getCodeValues(since: 0).version > 0)
        }
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_3002.html ("a required field wasn't sent")
    @Test("a well-formed body missing a required element → 3002; missing CallerInfo → 3002")
    func missingElements() async throws {
        try await SimulatorFixture.with { fixture in
            let noVersion = """
                <?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><GetCodeValues>\
                <CallerInfo><ClientMessageID>x</ClientMessageID></CallerInfo></GetCodeValues></s:Body></s:Envelope>
                """
            let answer = try await RawRequest.post(to: fixture.endpoint, soapAction: "GetCodeValues", body: Array(noVersion.utf8))
            #expect(answer.status == 500)
            #expect(answer.body.contains("<Code>3002</Code>"), "\(answer.body)")
            let noCaller = """
                <?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><GetCodeValues>\
                <LastKnownSourceVersion>0</LastKnownSourceVersion></GetCodeValues></s:Body></s:Envelope>
                """
            let callerless = try await RawRequest.post(to: fixture.endpoint, soapAction: "GetCodeValues", body: Array(noCaller.utf8))
            #expect(callerless.body.contains("<Code>3002</Code>"))
            #expect(callerless.body.contains("carries no CallerInfo"))
        }
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_3002.html
    @Test("a Get request (read by the direct path) that is broken → 3002 with its line or naming the element; without CallerInfo → 3002")
    func brokenGet() async throws {
        try await SimulatorFixture.with { fixture in
            let head = #"<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><GetStudent>"#
            let cut = try await RawRequest.post(to: fixture.endpoint, soapAction: "GetStudent", body: Array((head + "<Key><RefId>1</RefId>").utf8))
            #expect(cut.status == 500)
            #expect(cut.body.contains("<Code>3002</Code>"))
            #expect(cut.body.contains("line 1"), "\(cut.body)")
            let noCaller = try await RawRequest.post(
                to: fixture.endpoint, soapAction: "GetStudent",
                body: Array((head + "<Key><RefId>1</RefId><ExpectedVersion>0</ExpectedVersion></Key></GetStudent></s:Body></s:Envelope>").utf8))
            #expect(noCaller.body.contains("<Code>3002</Code>"), "\(noCaller.body)")
            let caller = """
                <CallerInfo><ClientMessageID>m-2</ClientMessageID><SentUtcTime>2026-11-29T12:00:00Z</SentUtcTime>\
                <Software><BuildNumber>1</BuildNumber><Manufacturer>m</Manufacturer><Product>p</Product><Version>1</Version></Software>\
                <User><IPAddress>127.0.0.1</IPAddress><LocalID>l</LocalID><Name>n</Name><OrganizationCode>\(fixture.generator.authorityCode)</OrganizationCode></User></CallerInfo>
                """
            let badKey = try await RawRequest.post(
                to: fixture.endpoint, soapAction: "GetStudentStatus",
                body: Array((head.replacingOccurrences(of: "GetStudent", with: "GetStudentStatus") + caller
                    + "<Key><RefId>1</RefId><KnownSourceVersion>new</KnownSourceVersion></Key></GetStudentStatus></s:Body></s:Envelope>").utf8))
            #expect(badKey.body.contains("<Code>3002</Code>"))
            #expect(badKey.body.contains("Key/[0]/KnownSourceVersion"), "\(badKey.body)")
            #expect(try await fixture.client.getStudents([]).isEmpty)
        }
    }

    @Test("a request over 65,536 bytes → HTTP 413 without a fault code")
    func oversized() async throws {
        try await SimulatorFixture.with { fixture in
            let big = Array(repeating: UInt8(ascii: "a"), count: 65_537)
            let answer = try await RawRequest.post(to: fixture.endpoint, soapAction: "GetCodeValues", body: big)
            #expect(answer.status == 413)
            #expect(!answer.body.contains("<Code>"))
            let atLimit = try await RawRequest.post(to: fixture.endpoint, soapAction: "GetCodeValues", body: Array(repeating: UInt8(ascii: "a"), count: 65_536))
            #expect(atLimit.status == 500)  // read, then refused as malformed
            #expect(try await fixture.client.getCodeValues(since: 0).version > 0)
        }
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_3002.html ("the WSDL the client is using is not in sync")
    @Test("an unknown operation → fault 3002; a notification type in the wrong case → 3001 for rule 3005, naming it")
    func unknownOperation() async throws {
        try await SimulatorFixture.with { fixture in
            let answer = try await RawRequest.post(to: fixture.endpoint, soapAction: "GetEverything", body: Array("<x/>".utf8))
            #expect(answer.status == 500)
            #expect(answer.body.contains("<Code>3002</Code>"))
            #expect(answer.body.contains("GetEverything"))
            let caller = """
                <CallerInfo><ClientMessageID>m-1</ClientMessageID><SentUtcTime>2026-11-29T12:00:00Z</SentUtcTime>\
                <Software><BuildNumber>1</BuildNumber><Manufacturer>m</Manufacturer><Product>p</Product><Version>1</Version></Software>\
                <User><IPAddress>127.0.0.1</IPAddress><LocalID>l</LocalID><Name>n</Name><OrganizationCode>\(fixture.generator.authorityCode)</OrganizationCode></User></CallerInfo>
                """
            let badType = """
                <?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><IsDataAvailable>\(caller)\
                <WaitTimeInMinutes>0</WaitTimeInMinutes><Notification><NotificationType>student</NotificationType>\
                <MaxPASICoreVersion>0</MaxPASICoreVersion></Notification></IsDataAvailable></s:Body></s:Envelope>
                """
            // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_3005.html: case-sensitive,
            // "returned as a Rule 3001 - Request Doesn't Match Schema exception".
            let typed = try await RawRequest.post(to: fixture.endpoint, soapAction: "IsDataAvailable", body: Array(badType.utf8))
            #expect(typed.status == 500)
            #expect(typed.body.contains("<Code>3001</Code>"))
            #expect(typed.body.contains("Rule 3005 - Invalid Type and/or School Year"))
            #expect(typed.body.contains("(student)"))
            #expect(try await fixture.client.getCodeValues(since: 0).version > 0)
        }
    }
}
