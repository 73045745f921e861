import PASIContract
import PASICore
import PASIModel

/// How Regular Synchronization sends a student's change: one aspect submit per changed aspect
/// (``StudentAspectPlan``, pure), in order, each on the version the one before gave, as a K-12
/// client must (`SubmitStudent` is the Ministry's:
/// https://extranet.education.alberta.ca/pasidevnet/Docs/Business/submit_student.html).
enum StudentAspectSending {
    /// Sends the aspect submits that take `base` (PASI's copy) to `record` for `groups`, starting
    /// on `version`.
    /// - Returns: The last answer, its Id the ASN and its version the student's new one, and the
    ///   record as PASI now holds it (a new alias with the RefId PASI gave it).
    /// - Throws: The first failed submit's ``PASICoreError``: the submits before it stay applied in
    ///   PASI, whose copy reaches the local store by the feed.
    static func send(_ pasi: any PASICoreService, groups: Set<StudentSubmission.FieldGroup>, base: Student, record: Student,
                     version: Int64) async throws(PASICoreError) -> (SubmitResponse, Student) {
        var start = base
        start.pasiCoreVersion = version
        let requests = StudentAspectPlan.requests(groups, from: start, to: record)
        let answers = try await pasi.submitStudentAspects(requests)
        return (SubmitResponse(id: base.asn.digits, pasiCoreVersion: answers.last?.pasiCoreVersion ?? version),
                adopting(answers, of: requests, into: record))
    }

    /// `record` with the id PASI gave each new alias, address and phone (Submit Name answers the
    /// name's RefId, Submit Student Address "the StudentAddressId", Submit Phone Number the phone's RefId).
    static func adopting(_ answers: [SubmitResponse], of requests: [StudentAspectRequest], into record: Student) -> Student {
        var record = record
        for (request, answer) in zip(requests, answers) {
            switch request.change {
            case let .name(name, _, false) where name.refId == nil:
                guard let refId = try? RefId(answer.id), let index = record.names.firstIndex(where: { $0 == name }) else { continue }
                record.names[index].refId = refId
            case let .address(address, false) where address.id == nil:
                guard let id = Int64(answer.id), let index = record.addresses.firstIndex(where: { $0.id == nil && $0.type == address.type }) else { continue }
                record.addresses[index].id = id
            case let .phoneNumber(phone, false) where phone.id == nil:
                guard let id = Int64(answer.id), let index = record.phones.firstIndex(where: { $0.id == nil && $0.number == phone.number }) else { continue }
                record.phones[index].id = id
            default:
                continue
            }
        }
        return record
    }
}
