import PASIContract
import PASIModel
import Testing
@testable import PASICore
@testable import SyncJobs

/// The pure parts of Daily Document Submission: how PASI's answers are sorted, and what the job
/// reports.
@Suite("Daily Document Submission logic")
struct DocumentSubmissionLogicTests {
    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/validation_rules_between_1_and_9999.html
    @Test("PASI's answers: accepted with its version, 3004 stale, a business rule rejected, an outage or 9014 transient")
    func sorting() {
        #expect(DocumentAnswer.sort(.success(SubmitResponse(id: "x", pasiCoreVersion: 7))) == .accepted(7))
        #expect(DocumentAnswer.sort(.success(SubmitResponse(id: "x", pasiCoreVersion: 3, rejection: [Rejection(code: 3004, message: "stale")])))
                == .stale)
        #expect(DocumentAnswer.sort(.success(SubmitResponse(id: "x", pasiCoreVersion: 0, rejection: [Rejection(code: 65045, message: "no")])))
                == .rejected("Rule 65045: no"))
        #expect(DocumentAnswer.sort(.failure(.fault(PASIFault(code: 9001, message: "internal")))) == .transient)
        #expect(DocumentAnswer.sort(.failure(.fault(PASIFault(code: 9014, message: "resubmit")))) == .transient)
        // A business rule is the record's answer; our defect (3002) is not: the job's policy sorts it.
        #expect(DocumentAnswer.sort(.failure(.fault(PASIFault(code: 9015, message: "rule")))) != .transient)
        #expect(DocumentAnswer.sort(.failure(.fault(PASIFault(code: 3002, message: "unreadable")))) == .transient)
    }

    @Test("progress and the final report count what was sent and what was rejected")
    func report() {
        var tally = DocumentSubmission.Tally()
        #expect(tally.message(total: 1_200) == "0 of 1,200 document(s) submitted")
        tally.sent = 1_039
        tally.rejected = 1
        #expect(tally.message(total: 1_200) == "1,040 of 1,200 document(s) submitted (1 rejected)")
        #expect(tally.report == "1,039 document(s) sent, 1 rejected")
    }

    @Test("two copies of a document are the same whatever their versions, and differ by any field")
    func sameness() throws {
        let refId = RefId.random()
        let asn = try ASN("123456782", checkDigit: .ignored)
        let ours = try StudentRecordDocument(refId: refId, asn: asn, documentType: "IPP", title: "Plan", pasiCoreVersion: 0)
        var theirs = ours
        theirs.pasiCoreVersion = 12
        #expect(DocumentSubmitter.same(theirs, ours))
        theirs.title = "Plan B"
        #expect(!DocumentSubmitter.same(theirs, ours))
    }
}
