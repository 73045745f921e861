import PASIContract
@testable import PASICore
import Testing

/// What the client says a fault or a rejection means: the jobs ask these, never the numbers.
/// The codes and names follow
/// https://extranet.education.alberta.ca/pasidevnet/Docs/Business/validation_rules_between_1_and_9999.html
@Suite("PASI's codes, as the client reads them")
struct FaultMeaningTests {
    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/validation_rules_between_1_and_9999.html
    @Test("every documented code below 9002 has its Knowledge Base name and one handling")
    func codeTable() {
        let table: [Int: (String, PASIFault.Handling)] = [
            1001: ("Certificate Not Registered", .configuration), 1002: ("Certificate Disabled", .configuration),
            1003: ("PASI Client Disabled", .configuration), 1004: ("Invalid Certification Information", .configuration),
            1006: ("Invalid IP Address", .configuration), 1007: ("No Access to Service Requested", .configuration),
            1008: ("Invalid Organization Code", .configuration), 2001: ("PASI Core Not Available", .outage),
            3001: ("Request Doesn't Match Schema", .defect), 3002: ("Request Not Structured Correctly", .defect),
            3004: ("PASI Core Version Mismatch", .businessRule), 3005: ("Notification Type is Invalid", .defect),
            3006: ("Unexpected School Year Filter", .defect), 3007: ("Invalid Wait Time In Minutes", .defect),
            3008: ("Missing School Year Filter", .defect), 4001: ("Unable To Save", .outage),
            4002: ("Connection Timeout in PASI", .outage), 5001: ("Missing Organization Code", .configuration),
            9001: ("Unexpected Problem in PASI", .outage), 9014: ("PASI Core Out of Date", .resubmit),
        ]
        #expect(Set(PASIFault.Code.allCases.map(\.rawValue)) == Set(table.keys))
        for code in PASIFault.Code.allCases {
            #expect(code.name == table[code.rawValue]?.0, "\(code.rawValue)")
            #expect(code.handling == table[code.rawValue]?.1, "\(code.rawValue)")
            #expect(code.page == "https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_\(code.rawValue).html")
            // A configuration fault tells a person what to check; no other does.
            #expect((code.whatToCheck != nil) == (code.handling == .configuration), "\(code.rawValue)")
        }
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/validation_rules.html (rules from 9002 up)
    @Test("numbers the table does not hold: 9002 and up are business rules; below, or none, our defect")
    func otherNumbers() {
        for rule in [9002, 9035, 10103, 40100, 65045] { #expect(PASIFault.handling(of: rule) == .businessRule, "\(rule)") }
        for unknown in [1005, 1009, 2500, 3003, 6000] { #expect(PASIFault.handling(of: unknown) == .defect, "\(unknown)") }
        #expect(PASIFault.handling(of: nil) == .defect)
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/validation_rules_between_1_and_9999.html
    @Test("the client's category of each handling: outages and 9014 retry, the rest do not")
    func categories() {
        #expect(PASICoreError.fault(PASIFault(.coreNotAvailable, "down")).category == .transient)
        #expect(PASICoreError.fault(PASIFault(.connectionTimeout, "slow")).category == .transient)
        #expect(PASICoreError.fault(PASIFault(.unexpectedProblem, "oops")).category == .transient)
        #expect(PASICoreError.fault(PASIFault(.unableToSave, "later")).category == .transient)
        #expect(PASICoreError.fault(PASIFault(.certificateNotRegistered, "who")).category == .configuration)
        #expect(PASICoreError.fault(PASIFault(.missingOrganizationCode, "none")).category == .configuration)
        #expect(PASICoreError.fault(PASIFault(.requestDoesNotMatchSchema, "bad")).category == .defect)
        #expect(PASICoreError.fault(PASIFault(.missingSchoolYearFilter, "year")).category == .defect)
        #expect(PASICoreError.fault(PASIFault(code: 10103, message: "rule")).category == .rejection)
        let configuration = PASICoreError.fault(PASIFault(.certificateNotRegistered, "who"))
        #expect(configuration.whatToCheck?.contains("not registered for this PASI environment: check the certificate setting") == true)
        #expect(PASICoreError.fault(PASIFault(.coreNotAvailable, "down")).whatToCheck == nil)
        // A submit's rejections: the most urgent handling decides.
        #expect(PASICoreClient.category(of: [Rejection(code: 10103, message: "rule")]) == .rejection)
        #expect(PASICoreClient.category(of: [Rejection(code: 10103, message: "rule"), Rejection(code: 3001, message: "bad")]) == .defect)
        #expect(PASICoreClient.category(of: [Rejection(code: 9014, message: "later")]) == .transient)
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_9014.html
    @Test("9014 asks for a resubmit, as a fault or as a rejection; no other code, and no fault at all, does")
    func resubmit() {
        #expect(PASICoreError.fault(PASIFault(.coreOutOfDate, "later")).isResubmitRequested)
        let others = PASIFault.Code.allCases.filter { $0 != .coreOutOfDate }
        #expect(others.allSatisfy { !PASICoreError.fault(PASIFault($0, "no")).isResubmitRequested })
        #expect(!PASICoreError(.transient, message: "HTTP 503").isResubmitRequested)
        #expect(PASICoreError(.transient, faultCode: 10103, rejections: [Rejection(code: 10103, message: "r"), Rejection(code: 9014, message: "later")],
                              message: "rejected").isResubmitRequested)
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_3004.html
    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_9006.html
    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_9002.html
    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_3001.html
    @Test("3004 is a stale version; 9002, 9006, 9033, 9034, 9035 a record PASI does not hold; 3001 and a business rule are neither")
    func rejections() {
        #expect(Rejection(code: 3004, message: "version").isStaleVersion)
        #expect(!Rejection(code: 3004, message: "version").isRecordNotFound)
        for notFound in [9002, 9006, 9033, 9034, 9035] {
            #expect(Rejection(code: notFound, message: "gone").isRecordNotFound, "\(notFound)")
            #expect(!Rejection(code: notFound, message: "gone").isStaleVersion)
        }
        for other in [3001, 3002, 9015, 9020, 10103] {
            let rule = Rejection(code: other, message: "rule")
            #expect(!rule.isStaleVersion && !rule.isRecordNotFound, "\(other)")
        }
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_9035.html (named in validation_rules_between_1_and_9999.html)
    @Test("a rejection shows its rule number, its name when known, and PASI's message")
    func ruleText() {
        let rejection = PASIRule.notFound(.sectionNotFound, id: "S-1")
        #expect(rejection.ruleText == "Rule 9035 Section Not Found: Invalid Reference ID. The Section Reference ID provided (S-1) does not exist in PASI.")
        #expect(Rejection(code: 10103, message: "Invalid grade.").ruleText == "Rule 10103: Invalid grade.")
        let error = PASICoreError(.rejection, faultCode: 9015, rejections: [PASIRule.invalidCourseCode("MAT9999"), Rejection(code: 10103, message: "x")], message: "m")
        #expect(error.ruleText == "Rule 9015 Invalid Course Code: Invalid Course Code. The Course Code provided (MAT9999) does not exist within PASI.; Rule 10103: x")
    }
}
