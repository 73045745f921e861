public import PASIContract
public import PASIModel

extension Province {
    /// Carries out a submit under PASI's optimistic-concurrency rules (3004): a create
    /// sends version 0, an update the current version, a logically deleted record accepts
    /// its current version or 0. A version above the current one is "not yet visible":
    /// PASI waits (``resubmitWait``) and then faults with 9014, resubmit.
    ///
    /// A create resubmitted with the same RefId and the same content is answered as the
    /// first time, so a client may resend after a lost answer.
    /// Answers with the Knowledge Base's rules: 3001 for a request whose values do not hold
    /// together, 3004 for a version mismatch, the documented business rules (9003, 9015, 9030,
    /// 9035, …) and, for a record PASI does not hold, the documented not-found rule of its kind
    /// (``notFound(_:id:)``).
    /// - Parameter rejecting: Ids the fault injection refuses, with rule 9020 (``FaultPlan/rejectIDs``).
    /// - Throws: ``PASIFault`` 9014.
    public func submit<R: PASIRecord>(_ request: SubmitRequest<R>, rejecting: Set<String> = []) async throws(PASIFault) -> SubmitResponse {
        if rejecting.contains(request.id) {
            return reject(request, PASIRule.unauthorizedOrganization(R.recordType.rawValue, id: request.id, organization: organization.description))
        }
        // Rule 9010: a student the caller is not associated with may not be changed (Province+Association.swift).
        if R.recordType == .student, let rule = associationRule(forStudent: request.id) { return reject(request, rule) }
        if let existing = records[R.recordType]?[request.id], request.pasiCoreVersion > existing.version {
            try await waitForVersion(R.recordType, request.id, request.pasiCoreVersion)
        } else if records[R.recordType]?[request.id] == nil, request.pasiCoreVersion > 0 {
            try await waitForVersion(R.recordType, request.id, request.pasiCoreVersion)
        }
        switch request.action {
        case .save: return save(request)
        case .delete: return delete(request)
        case .undelete: return undelete(request)
        }
    }

    /// Carries out a list submit (`SubmitSection`, `SubmitCourseEnrolment`, `SubmitEvaluatedMark`):
    /// each record is judged on its own, as ``submit(_:rejecting:)`` judges one, so a bad record is
    /// refused alone and the others are saved ("Each Section on the request will be processed
    /// individually, therefore some of the updates may be successful while others may fail",
    /// https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/833e01e8-38c2-06c6-b36f-f47ce120a55e.htm).
    /// A version not yet visible is that record's rule 9014 rejection (rule_9014.html: a Rejection
    /// rule of "any Submit request"), not a fault of the whole list.
    /// - Returns: One answer per item, in the order asked.
    public func submit<R: PASIRecord>(_ request: MultipleSubmitRequest<R>, rejecting: Set<String> = []) async -> MultipleSubmitResponse {
        var answers: [SubmitResponse] = []
        for item in request.item {
            let single = SubmitRequest(callerInfo: request.callerInfo, action: item.action, id: item.id,
                                       pasiCoreVersion: item.pasiCoreVersion, record: item.record)
            do {
                answers.append(try await submit(single, rejecting: rejecting))
            } catch {
                answers.append(reject(single, Rejection(code: error.code ?? PASIFault.Code.coreOutOfDate.rawValue, message: error.message)))
            }
        }
        return MultipleSubmitResponse(submitResponse: answers)
    }

    /// A Save. A record that carries its own `IsDeleted` (a 2020-endpoint school enrolment) is
    /// deleted by saving it with the flag set (Created in Error) and brought back by saving it
    /// without (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/submit_student_school_enrolment_2018_end_point_earlier.html:
    /// "CreatedInError (Registration Status) | True", every other status False).
    private func save<R: PASIRecord>(_ request: SubmitRequest<R>) -> SubmitResponse {
        guard var record = request.record else {
            return reject(request, Self.schemaMismatch("a Save of \(R.recordType.rawValue) \(request.id) carries no record"))
        }
        guard record.recordID == request.id else {
            return reject(request, Self.schemaMismatch("the record's id \(record.recordID) is not the submitted id \(request.id)"))
        }
        if let rule = businessRule(record) { return reject(request, rule) }
        let deleting = (record as? any CarriesIsDeleted)?.isDeleted ?? false
        guard let existing = records[R.recordType]?[request.id] else {
            return judged(record, isDeleted: deleting)
        }
        record.pasiCoreVersion = existing.version
        let unchanged = (existing.record as? R) == record
        if unchanged, !existing.isDeleted { noteRepeat(R.self, id: request.id, held: existing.version, client: request.pasiCoreVersion) }
        if request.pasiCoreVersion == 0, !existing.isDeleted {
            // A resubmitted create: the same content is answered the same way.
            if unchanged { return SubmitResponse(id: request.id, pasiCoreVersion: existing.version) }
            return reject(request, Self.versionMismatch(core: existing.version, client: request.pasiCoreVersion))
        }
        guard request.pasiCoreVersion == existing.version || (existing.isDeleted && request.pasiCoreVersion == 0) else {
            return reject(request, Self.versionMismatch(core: existing.version, client: request.pasiCoreVersion))
        }
        if unchanged, existing.isDeleted == deleting { return SubmitResponse(id: request.id, pasiCoreVersion: existing.version) }
        return judged(record, isDeleted: deleting)
    }

    /// A save that passed the version checks, judged by the documented validation rules
    /// (`Sources/PASISimulator/Rules`): with any Rejection broken, every one comes back and nothing
    /// is saved; else the record is stored and the Warnings and Advice it breaks are put on its status.
    private func judged<R: PASIRecord>(_ record: R, isDeleted: Bool) -> SubmitResponse {
        let broken = brokenRules(record)
        let rejections = broken.filter { $0.rule.type == .rejection }.map(\.rejection)
        if !rejections.isEmpty {
            return SubmitResponse(id: record.recordID, pasiCoreVersion: records[R.recordType]?[record.recordID]?.version ?? 0, rejection: rejections)
        }
        let version = accept(record, isDeleted: isDeleted)
        if R.recordType == .schoolEnrolment {
            reviseRuleAlerts(R.recordType, id: record.recordID, broken: broken, rules: SchoolEnrolmentRules.all)
        }
        return SubmitResponse(id: record.recordID, pasiCoreVersion: version)
    }

    private func delete<R: PASIRecord>(_ request: SubmitRequest<R>) -> SubmitResponse {
        guard let existing = records[R.recordType]?[request.id], let record = existing.record as? R else {
            return reject(request, Self.notFound(R.self, id: request.id))
        }
        if existing.isDeleted { noteRepeat(R.self, id: request.id, held: existing.version, client: request.pasiCoreVersion) }
        if existing.isDeleted, request.pasiCoreVersion == existing.version || request.pasiCoreVersion == 0 {
            return SubmitResponse(id: request.id, pasiCoreVersion: existing.version)
        }
        guard request.pasiCoreVersion == existing.version else {
            return reject(request, Self.versionMismatch(core: existing.version, client: request.pasiCoreVersion))
        }
        return SubmitResponse(id: request.id, pasiCoreVersion: accept(record, isDeleted: true))
    }

    private func undelete<R: PASIRecord>(_ request: SubmitRequest<R>) -> SubmitResponse {
        guard let existing = records[R.recordType]?[request.id], let record = existing.record as? R else {
            return reject(request, Self.notFound(R.self, id: request.id))
        }
        guard request.pasiCoreVersion == existing.version || (existing.isDeleted && request.pasiCoreVersion == 0) else {
            return reject(request, Self.versionMismatch(core: existing.version, client: request.pasiCoreVersion))
        }
        guard existing.isDeleted else { return SubmitResponse(id: request.id, pasiCoreVersion: existing.version) }
        return SubmitResponse(id: request.id, pasiCoreVersion: accept(record, isDeleted: false))
    }

    /// Stores a submitted record under a new version, and counts it: tests check that a client
    /// never makes PASI apply the same change twice.
    func accept<R: PASIRecord>(_ record: R, isDeleted: Bool) -> Int64 {
        let key = R.recordType.rawValue + ":" + record.recordID
        acceptedSubmits[key, default: 0] += 1
        let version = store(record, version: latestVersion + 1, isDeleted: isDeleted)
        submittedVersions[key] = version
        return version
    }

    /// Counts a submit that carries what the record already holds, when an earlier submit of
    /// this client put it there (the version it wrote is still the record's): the same change
    /// sent twice. With the held version PASI would save it again as a new version (the
    /// simulator answers it as before, so it is counted here instead: `GET /admin/submits`); a
    /// resent create (version 0, answered as the first time) or an older version (rule 3004) is
    /// not applied, and counts apart.
    func noteRepeat<R: PASIRecord>(_ type: R.Type, id: String, held: Int64, client: Int64) {
        let key = R.recordType.rawValue + ":" + id
        guard submittedVersions[key] == held else { return }
        if client == held {
            appliedTwice[key, default: 0] += 1
        } else {
            refusedRepeats[key, default: 0] += 1
        }
    }

    /// What `GET /admin/submits` reports: the accepted submits, and the same change sent twice.
    public var submitCounts: SubmitCounts {
        SubmitCounts(accepted: acceptedSubmitTotal, appliedTwice: appliedTwice.values.reduce(0, +),
                     appliedTwiceRecords: appliedTwice.keys.sorted(),
                     refusedRepeats: refusedRepeats.values.reduce(0, +))
    }

    /// How many submits of a record made a new version (a resubmit PASI answered as before does not count).
    public func acceptedSubmitCount(_ type: RecordType, id: String) -> Int { acceptedSubmits[type.rawValue + ":" + id] ?? 0 }

    /// How many submits made a new version, over all records.
    public var acceptedSubmitTotal: Int { acceptedSubmits.values.reduce(0, +) }

    /// The business rules the simulator knows of, as the Knowledge Base numbers and words them.
    private func businessRule(_ record: some PASIRecord) -> Rejection? {
        if let enrolment = record as? SchoolEnrolment, records[.school]?[enrolment.schoolCode.description] == nil {
            return PASIRule.invalidSchoolCode(enrolment.schoolCode.description)
        }
        // Rule 9030's page names sections, course enrolments and marks; the simulator answers a
        // school enrolment outside the open years with it too (docs/pasi-protocol.md).
        if let enrolment = record as? SchoolEnrolment, !reference.accepts(enrolment.schoolYear) {
            return PASIRule.invalidSchoolYear("Student School Enrolment", firstOpenEndYear: reference.acceptedYears.map(\.schoolYear.endYear).min() ?? enrolment.schoolYear.endYear)
        }
        if let courseCode = Self.courseCode(of: record), records[.course]?[courseCode] == nil {
            return PASIRule.invalidCourseCode(courseCode)
        }
        if let enrolment = record as? CourseEnrolment, records[.section]?[enrolment.sectionRefId.value] == nil {
            return PASIRule.notFound(.sectionNotFound, id: enrolment.sectionRefId.value)
        }
        return nil
    }

    /// The documented rule for a record PASI does not hold: 9035 Section Not Found, 9033 Course
    /// Enrolment Not Found, 9034 Evaluated Mark Not Found, 9002 Invalid ASN for a student, and
    /// 9006 Invalid Reference ID for the other kinds (rule_9006.html: "doesn't exist within PASI").
    static func notFound<R: PASIRecord>(_ type: R.Type, id: String) -> Rejection {
        switch R.recordType {
        case .section: PASIRule.notFound(.sectionNotFound, id: id)
        case .courseEnrolment: PASIRule.notFound(.courseEnrolmentNotFound, id: id)
        case .evaluatedMark: PASIRule.notFound(.evaluatedMarkNotFound, id: id)
        case .student: PASIRule.invalidASN(id)
        default: PASIRule.invalidReference(words(R.recordType.rawValue), id: id, asn: nil)
        }
    }

    /// "StudentSchoolEnrolment" → "Student School Enrolment", as PASI's messages name the kinds.
    static func words(_ name: String) -> String {
        var text = ""
        for character in name {
            if character.isUppercase, !text.isEmpty { text.append(" ") }
            text.append(character)
        }
        return text
    }

    /// Rule 3004's message (rule_3004.html), its versions filled.
    static func versionMismatch(core: Int64, client: Int64) -> Rejection {
        Rejection(code: PASIFault.Code.versionMismatch.rawValue, message: "Invalid Request. In order to update this record, your information must be up to date and current. Synchronize your data and try again. Core (\(core)) and Client (\(client)) versions are not equal.")
    }

    /// Rule 3001's message (rule_3001.html), with what does not hold together as its details.
    static func schemaMismatch(_ details: String) -> Rejection {
        Rejection(code: PASIFault.Code.requestDoesNotMatchSchema.rawValue, message: "Invalid Request. The following errors were found in the request: \(details)")
    }

    /// The course a school course marks record is about.
    private static func courseCode(of record: some PASIRecord) -> String? {
        switch record {
        case let section as Section: section.courseCode
        case let enrolment as CourseEnrolment: enrolment.courseCode
        case let mark as EvaluatedMark: mark.courseCode
        default: nil
        }
    }

    private func reject<R: PASIRecord>(_ request: SubmitRequest<R>, _ rejection: Rejection) -> SubmitResponse {
        SubmitResponse(id: request.id, pasiCoreVersion: records[R.recordType]?[request.id]?.version ?? 0, rejection: [rejection])
    }

    /// Rule 9014: wait for a version that is not visible yet, then give up.
    func waitForVersion(_ type: RecordType, _ id: String, _ version: Int64) async throws(PASIFault) {
        let deadline = ContinuousClock.now + resubmitWait
        while ContinuousClock.now < deadline {
            if let stored = records[type]?[id], stored.version >= version { return }
            try? await Task.sleep(for: .milliseconds(50))
        }
        throw PASIFault(.coreOutOfDate, "Data Unavailable. The data used in the request is not yet available. Resubmit your request.")
    }
}

/// The simulator's count of submits (`GET /admin/submits`), for the chaos benchmark and tests.
public struct SubmitCounts: Codable, Sendable, Hashable {
    /// Submits that made a new version.
    public var accepted: Int
    /// Submits answered as accepted that carried, with the record's current version, exactly the
    /// content an earlier submit of the same record had made PASI hold: PASI would have applied
    /// the same change a second time.
    public var appliedTwice: Int
    /// Those records, as `Type:id`.
    public var appliedTwiceRecords: [String]
    /// The same change sent again but not applied: a resent create (version 0) or an update with
    /// an out-of-date version (refused with rule 3004).
    public var refusedRepeats: Int
}
