import PASIContract
@testable import PASICore
import Testing

/// What the client says a fault or a rejection means: the jobs ask these, never the numbers.
@Suite("PASI's codes, as the client reads them")
struct FaultMeaningTests {
    @Test("9014 asks for a resubmit; no other fault, and no fault at all, does")
    func resubmit() {
        #expect(PASICoreError.fault(PASIFault(.resubmit, "later")).isResubmitRequested)
        let others = PASIFault.Code.allCases.filter { $0 != .resubmit }
        #expect(others.allSatisfy { !PASICoreError.fault(PASIFault($0, "no")).isResubmitRequested })
        #expect(!PASICoreError(.transient, message: "HTTP 503").isResubmitRequested)
    }

    @Test("3004 is a stale version, 3001 a record PASI does not hold; a business rule is neither")
    func rejections() {
        #expect(Rejection(code: 3004, message: "version").isStaleVersion)
        #expect(!Rejection(code: 3004, message: "version").isRecordNotFound)
        #expect(Rejection(code: 3001, message: "not found").isRecordNotFound)
        #expect(!Rejection(code: 3001, message: "not found").isStaleVersion)
        let rule = Rejection(code: 3002, message: "rule")
        #expect(!rule.isStaleVersion && !rule.isRecordNotFound)
    }
}
