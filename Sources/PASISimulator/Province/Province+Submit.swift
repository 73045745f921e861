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
    /// - Parameter rejecting: Ids the fault injection refuses (3002).
    /// - Throws: ``PASIFault`` 9014.
    public func submit<R: PASIRecord>(_ request: SubmitRequest<R>, rejecting: Set<String> = []) async throws(PASIFault) -> SubmitResponse {
        if rejecting.contains(request.id) {
            return reject(request, .businessRule, "\(R.recordType.rawValue) \(request.id) is refused (fault injection)")
        }
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

    private func save<R: PASIRecord>(_ request: SubmitRequest<R>) -> SubmitResponse {
        guard var record = request.record else {
            return reject(request, .malformedRequest, "a Save must carry the record")
        }
        guard record.recordID == request.id else {
            return reject(request, .malformedRequest, "the record's id \(record.recordID) is not the submitted id \(request.id)")
        }
        if let rule = businessRule(record) { return reject(request, .businessRule, rule) }
        guard let existing = records[R.recordType]?[request.id] else {
            return SubmitResponse(id: request.id, pasiCoreVersion: accept(record, isDeleted: false))
        }
        record.pasiCoreVersion = existing.version
        let unchanged = (existing.record as? R) == record
        if request.pasiCoreVersion == 0, !existing.isDeleted {
            // A resubmitted create: the same content is answered the same way.
            if unchanged { return SubmitResponse(id: request.id, pasiCoreVersion: existing.version) }
            return reject(request, .versionConflict, "\(R.recordType.rawValue) \(request.id) exists at version \(existing.version); an update must send it")
        }
        guard request.pasiCoreVersion == existing.version || (existing.isDeleted && request.pasiCoreVersion == 0) else {
            return reject(request, .versionConflict, "\(R.recordType.rawValue) \(request.id) is at version \(existing.version), not \(request.pasiCoreVersion)")
        }
        if unchanged, !existing.isDeleted { return SubmitResponse(id: request.id, pasiCoreVersion: existing.version) }
        return SubmitResponse(id: request.id, pasiCoreVersion: accept(record, isDeleted: false))
    }

    private func delete<R: PASIRecord>(_ request: SubmitRequest<R>) -> SubmitResponse {
        guard let existing = records[R.recordType]?[request.id], let record = existing.record as? R else {
            return reject(request, .recordNotFound, "\(R.recordType.rawValue) \(request.id) does not exist")
        }
        if existing.isDeleted, request.pasiCoreVersion == existing.version || request.pasiCoreVersion == 0 {
            return SubmitResponse(id: request.id, pasiCoreVersion: existing.version)
        }
        guard request.pasiCoreVersion == existing.version else {
            return reject(request, .versionConflict, "\(R.recordType.rawValue) \(request.id) is at version \(existing.version), not \(request.pasiCoreVersion)")
        }
        return SubmitResponse(id: request.id, pasiCoreVersion: accept(record, isDeleted: true))
    }

    private func undelete<R: PASIRecord>(_ request: SubmitRequest<R>) -> SubmitResponse {
        guard let existing = records[R.recordType]?[request.id], let record = existing.record as? R else {
            return reject(request, .recordNotFound, "\(R.recordType.rawValue) \(request.id) does not exist")
        }
        guard request.pasiCoreVersion == existing.version || (existing.isDeleted && request.pasiCoreVersion == 0) else {
            return reject(request, .versionConflict, "\(R.recordType.rawValue) \(request.id) is at version \(existing.version), not \(request.pasiCoreVersion)")
        }
        guard existing.isDeleted else { return SubmitResponse(id: request.id, pasiCoreVersion: existing.version) }
        return SubmitResponse(id: request.id, pasiCoreVersion: accept(record, isDeleted: false))
    }

    /// Stores a submitted record under a new version, and counts it: tests check that a client
    /// never makes PASI apply the same change twice.
    private func accept<R: PASIRecord>(_ record: R, isDeleted: Bool) -> Int64 {
        acceptedSubmits[R.recordType.rawValue + ":" + record.recordID, default: 0] += 1
        return store(record, version: latestVersion + 1, isDeleted: isDeleted)
    }

    /// How many submits of a record made a new version (a resubmit PASI answered as before does not count).
    public func acceptedSubmitCount(_ type: RecordType, id: String) -> Int { acceptedSubmits[type.rawValue + ":" + id] ?? 0 }

    /// How many submits made a new version, over all records.
    public var acceptedSubmitTotal: Int { acceptedSubmits.values.reduce(0, +) }

    /// The rules PASI checks beyond the data contract that the simulator knows of.
    private func businessRule(_ record: some PASIRecord) -> String? {
        if let enrolment = record as? SchoolEnrolment, records[.school]?[enrolment.schoolCode.description] == nil {
            return "school \(enrolment.schoolCode) does not exist"
        }
        if let enrolment = record as? SchoolEnrolment, !reference.accepts(enrolment.schoolYear) {
            return "school year \(enrolment.schoolYear) is not open for registrations"
        }
        if let courseCode = Self.courseCode(of: record), records[.course]?[courseCode] == nil {
            return "course \(courseCode) does not exist"
        }
        if let enrolment = record as? CourseEnrolment, records[.section]?[enrolment.sectionRefId.value] == nil {
            return "section \(enrolment.sectionRefId.value) does not exist"
        }
        return nil
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

    private func reject<R: PASIRecord>(_ request: SubmitRequest<R>, _ code: PASIFault.Code, _ text: String) -> SubmitResponse {
        SubmitResponse(
            id: request.id, pasiCoreVersion: records[R.recordType]?[request.id]?.version ?? 0,
            rejection: [Rejection(code: code.rawValue, message: text)])
    }

    /// Rule 9014: wait for a version that is not visible yet, then give up.
    private func waitForVersion(_ type: RecordType, _ id: String, _ version: Int64) async throws(PASIFault) {
        let deadline = ContinuousClock.now + resubmitWait
        while ContinuousClock.now < deadline {
            if let stored = records[type]?[id], stored.version >= version { return }
            try? await Task.sleep(for: .milliseconds(50))
        }
        throw PASIFault(.resubmit, "version \(version) of \(type.rawValue) \(id) is not visible yet; resubmit")
    }
}
