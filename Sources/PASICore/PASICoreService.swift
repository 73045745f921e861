public import PASIContract
public import PASIModel

/// The operations of PASI Core that the synchronization processes use. Every method
/// throws ``PASICoreError`` and nothing else.
public protocol PASICoreService: Sendable {
    /// `IsDataAvailable`: what changed above the versions given, per notification type;
    /// with a hash per type, nothing when the hash matches and every item when it differs.
    /// Holds the call open up to `wait` when nothing is available (a long poll).
    func isDataAvailable(_ queries: [IsDataAvailableRequest.Query], wait: Duration) async throws(PASICoreError) -> [IsDataAvailableResponse.Answer]

    /// How much PASI answers per type and in all: an answer that reaches them is asked again
    /// from its highest version (``FeedLimits``; PASI's documented ones unless configured).
    var feedLimits: FeedLimits { get }

    /// One call of a Get service: records by id with the version expected (0 = current). The
    /// answer stops at the first version mismatch (get_section.html); ``getAll(_:_:)`` asks again
    /// for what it left.
    func get<R: PASIRecord>(_ type: R.Type, _ keys: [GetRecordsRequest.Key]) async throws(PASICoreError) -> [RetrievedRecord<R>]

    /// One call of a status Get: the validation status (core alerts) of records, each with the
    /// source record when it is newer than the key's `KnownSourceVersion` (known_source_version.html).
    func getStatuses<R: PASIRecord>(_ type: R.Type, _ keys: [GetStatusesRequest.Key]) async throws(PASICoreError) -> [RetrievedStatus<R>]

    /// A Submit service: save (create with version 0, update with the current version),
    /// delete or undelete.
    /// - Throws: ``PASICoreError`` with category `rejection` carrying PASI's rejections.
    func submit<R: PASIRecord>(_ type: R.Type, action: SubmitAction, id: String, version: Int64, record: R?) async throws(PASICoreError) -> SubmitResponse

    /// One aspect submit of a student (``PASIContract/StudentAspect``: `SubmitName`,
    /// `SubmitStudentGender`, …), the way a K-12 client changes a student; answered as a submit is.
    /// - Throws: ``PASICoreError`` with category `rejection` carrying PASI's rejections.
    func submitStudentAspect(_ request: StudentAspectRequest) async throws(PASICoreError) -> SubmitResponse

    /// `CreateStudent`: a new student, whose ASN PASI makes and answers as the Id (rule 11401
    /// refuses a student PASI already holds, unless its ASN is acknowledged).
    /// - Throws: ``PASICoreError`` with category `rejection` carrying PASI's rejections.
    func createStudent(_ identification: CreateStudentRequest.StudentIdentificationInfo, gender: Gender, addresses: [Address],
                       phones: [Phone], acknowledgingSimilar: [ASN]) async throws(PASICoreError) -> SubmitResponse

    /// A list submit (`SubmitSection`, `SubmitCourseEnrolment`, `SubmitEvaluatedMark`: the kinds
    /// whose ``PASIModel/RecordType/submitsInLists``): PASI judges every item on its own and answers
    /// each (a `MultipleSubmitResponse`); a list over PASI's 65,536-byte limit is sent in parts.
    /// - Returns: One result per item, in order: PASI's answer when accepted, else the error a
    ///   single submit of it would throw (category by its codes: a business rule is `rejection`,
    ///   9014 `transient` and resubmitted, 3001 a `defect` naming the call's ClientMessageID).
    /// - Throws: ``PASICoreError`` when the call as a whole failed (an outage, a fault, a refused caller).
    func submitList<R: PASIRecord>(_ items: [SubmitItem<R>]) async throws(PASICoreError) -> [Result<SubmitResponse, PASICoreError>]

    /// A person's acknowledgement of one core alert.
    func acknowledge(_ type: RecordType, id: String, alertCode: String, arguments: AlertArguments, status: AcknowledgementStatus) async throws(PASICoreError) -> SubmitResponse

    /// Code values changed since `version` (0 = all) and the accepted school years.
    func getCodeValues(since version: Int64) async throws(PASICoreError) -> GetCodeValuesResponse

    /// Students PASI thinks match these demographics, best first.
    func identifyStudent(lastName: String, firstName: String?, birthDate: PASIDate?, gender: Gender?) async throws(PASICoreError) -> [StudentCandidate]
}

extension PASICoreService {
    /// Saves `record`: creates it when its version is 0, else updates that version.
    public func save<R: PASIRecord>(_ record: R) async throws(PASICoreError) -> SubmitResponse {
        try await submit(R.self, action: .save, id: record.recordID, version: record.pasiCoreVersion, record: record)
    }

    /// Logically deletes the record `id` at `version`.
    public func delete<R: PASIRecord>(_ type: R.Type, id: String, version: Int64) async throws(PASICoreError) -> SubmitResponse {
        try await submit(R.self, action: .delete, id: id, version: version, record: nil)
    }

    /// Brings back the logically deleted record `id` (at its current version, or 0).
    public func undelete<R: PASIRecord>(_ type: R.Type, id: String, version: Int64) async throws(PASICoreError) -> SubmitResponse {
        try await submit(R.self, action: .undelete, id: id, version: version, record: nil)
    }

    /// Sends aspect submits in order, each on the student's version the answer before it gave
    /// (each accepted submit moves the student's version); stops at the first that fails.
    /// - Returns: Every answer, in order.
    /// - Throws: The first failure, as ``submitStudentAspect(_:)`` throws it.
    public func submitStudentAspects(_ requests: [StudentAspectRequest]) async throws(PASICoreError) -> [SubmitResponse] {
        var answers: [SubmitResponse] = []
        for var request in requests {
            if let last = answers.last { request.pasiCoreVersion = last.pasiCoreVersion }
            answers.append(try await submitStudentAspect(request))
        }
        return answers
    }

    /// Every key answered, in order: when PASI stops at a version mismatch, the keys it left are
    /// asked for again (``GetRounds``), the stale one at its current version.
    public func getAll<R: PASIRecord>(_ type: R.Type, _ keys: [GetRecordsRequest.Key]) async throws(PASICoreError) -> [RetrievedRecord<R>] {
        var answered: [RetrievedRecord<R>] = []
        var left = keys
        repeat {
            let reading = try GetRounds.read(left, try await get(R.self, left), operation: R.recordType.getOperation)
            answered += reading.answered
            left = reading.again
        } while !left.isEmpty
        return answered
    }

    /// Every status key answered, in order, as ``getAll(_:_:)`` does for records.
    public func getAllStatuses<R: PASIRecord>(_ type: R.Type, _ keys: [GetStatusesRequest.Key]) async throws(PASICoreError) -> [RetrievedStatus<R>] {
        var answered: [RetrievedStatus<R>] = []
        var left = keys
        repeat {
            let reading = try GetRounds.read(left, try await getStatuses(R.self, left), operation: R.recordType.getStatusOperation)
            answered += reading.answered
            left = reading.again
        } while !left.isEmpty
        return answered
    }

    /// Current records by id.
    public func get<R: PASIRecord>(_ type: R.Type, ids: [String]) async throws(PASICoreError) -> [RetrievedRecord<R>] {
        try await getAll(R.self, ids.map { GetRecordsRequest.Key($0) })
    }

    /// Students by ASN (`GetStudent`).
    public func getStudents(_ asns: [ASN]) async throws(PASICoreError) -> [RetrievedRecord<Student>] {
        try await get(Student.self, ids: asns.map(\.digits))
    }

    /// School enrolments by RefId (`GetStudentSchoolEnrolment`).
    public func getSchoolEnrolments(_ refIds: [RefId]) async throws(PASICoreError) -> [RetrievedRecord<SchoolEnrolment>] {
        try await get(SchoolEnrolment.self, ids: refIds.map(\.value))
    }

    /// Every item of one type's feed above `version`, asking again from the highest version seen
    /// while an answer is full (``FeedLimits``): PASI's answer carries no "more" flag
    /// (https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/4e51f707-4e1c-3dd0-eec9-aa2c7fb43393.htm).
    /// - Parameter pageHandler: Called with each page's items, in version order.
    public func followFeed(_ type: NotificationType, after version: Int64, pageHandler: ([FeedItem]) async throws(PASICoreError) -> Void) async throws(PASICoreError) -> Int64 {
        var highest = version
        while true {
            let answers = try await isDataAvailable([.init(type, after: highest)], wait: .zero)
            guard let answer = answers.first else { return highest }
            if !answer.item.isEmpty { try await pageHandler(answer.item) }
            highest = answer.highestVersion ?? highest
            let total = answers.reduce(0) { $0 + $1.item.count }
            if answer.item.isEmpty || !feedLimits.isFull(answer, total: total) { return highest }
        }
    }
}
