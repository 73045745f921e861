import PASIContract
import PASIModel
@testable import SyncJobs
import Testing

@Suite("Regular Sync's aspect submits: the ids PASI answers are kept")
struct StudentAspectSendingTests {
    static let asn = try! ASN.withCheckDigit(prefix: "12345678")

    // The answer's Id of Submit Student Address is "the StudentAddressId being modified"
    // (https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/26b821e7-c4d1-eb9c-411d-0685dc1149c3.htm),
    // of Submit Phone Number the phone's RefId; a later correction names that id, not RefId 0.
    @Test("a new address and a new phone take the ids PASI answered; a corrected item keeps its own")
    func adoptsNewIds() throws {
        let physical = try Address(type: .physical, street: "4 Range Rd", city: "Olds", country: "CAN")
        let phone = try Phone(number: "403-555-0100", type: "Cell")
        let mailing = try Address(id: 71, type: .mailing, street: "1 Main St", city: "Edmonton", isPreferred: true)
        let record = try Student(asn: Self.asn, names: [StudentName(type: .legal, lastName: "Ng", isPreferred: true)], gender: .female,
                                 addresses: [mailing, physical], phones: [phone], pasiCoreVersion: 5)
        let requests = [
            StudentAspectRequest(asn: Self.asn, pasiCoreVersion: 5, change: .address(mailing, delete: false)),
            StudentAspectRequest(asn: Self.asn, pasiCoreVersion: 6, change: .address(physical, delete: false)),
            StudentAspectRequest(asn: Self.asn, pasiCoreVersion: 7, change: .phoneNumber(phone, delete: false)),
        ]
        let answers = [SubmitResponse(id: "71", pasiCoreVersion: 6), SubmitResponse(id: "10000000042", pasiCoreVersion: 7),
                       SubmitResponse(id: "10000000043", pasiCoreVersion: 8)]
        let adopted = StudentAspectSending.adopting(answers, of: requests, into: record)
        #expect(adopted.addresses.map(\.id) == [71, 10_000_000_042])
        #expect(adopted.phones.map(\.id) == [10_000_000_043])
        // Without the answers the new items keep no id: what the adoption adds is the answers'.
        #expect(StudentAspectSending.adopting([], of: requests, into: record).addresses.map(\.id) == [71, nil])
    }
}
