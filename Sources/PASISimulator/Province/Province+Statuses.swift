public import PASIContract
public import PASIModel

/// One record's validation status: its version and alerts.
struct StatusEntry {
    var version: Int64
    var alerts: [StatusAlert]
    var notificationType: NotificationType
}

extension Province {
    /// Puts a core alert on a record's validation status, as PASI's validation would;
    /// the status gets a new version and appears in the status feed.
    /// - Returns: The status's new version, or `nil` if the record type keeps no status
    ///   or the record does not exist.
    @discardableResult
    public func raise(_ alert: StatusAlert, on type: RecordType, id: String) -> Int64? {
        guard let statusName = type.statusNotificationName, let stored = records[type]?[id] else { return nil }
        let year = statusName.isYearScoped ? stored.record.recordYear : nil
        guard let feedType = try? NotificationType(statusName, year: year) else { return nil }
        var entry = statuses[type]?[id] ?? StatusEntry(version: 0, alerts: [], notificationType: feedType)
        entry.alerts.append(alert)
        return bumpStatus(type, id, &entry)
    }

    /// What a status Get answers for `keys`, in order
    /// (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/get_student_school_enrolment_status.html):
    /// Unknown for an id PASI does not hold, No Access for a record the caller may not see, else the
    /// status (version 0 and no alerts when PASI has raised none). An `ExpectedVersion` other than 0
    /// that is not the status's version stops the answer there, as a record Get does. With a
    /// `KnownSourceVersion` below the record's version, the record comes back with its status
    /// (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/known_source_version.html).
    public func statuses<R: PASIRecord>(_ type: R.Type, _ keys: [GetStatusesRequest.Key]) -> [RetrievedStatus<R>] {
        var answer: [RetrievedStatus<R>] = []
        for key in keys {
            guard let stored = records[R.recordType]?[key.id] else {
                answer.append(RetrievedStatus(status: RecordStatus(id: key.id, availabilityStatus: .unknown, pasiCoreVersion: 0, alert: [])))
                continue
            }
            guard isVisible(R.recordType, id: key.id) else {
                answer.append(RetrievedStatus(status: RecordStatus(id: key.id, availabilityStatus: .noAccess, pasiCoreVersion: 0, alert: [])))
                continue
            }
            let entry = statuses[R.recordType]?[key.id]
            let version = entry?.version ?? 0
            if key.expectedVersion != 0, key.expectedVersion != version {
                answer.append(RetrievedStatus(status: RecordStatus(id: key.id, pasiCoreVersion: version, alert: [])))
                break
            }
            var source: RetrievedRecord<R>?
            if let known = key.knownSourceVersion, stored.version > known {
                source = retrieve(R.self, key.id, expectedVersion: 0)
            }
            answer.append(RetrievedStatus(status: RecordStatus(id: key.id, pasiCoreVersion: version, alert: entry?.alerts ?? []),
                                          sourceRecord: source))
        }
        return answer
    }

    /// A person's acknowledgement of one alert of a `type` record's status
    /// (`Submit<Type>StatusAcknowledgement`), matched on alert code and argument set.
    ///
    /// An alert not on the status is answered with rule 9006 Invalid Reference ID
    /// (rule_9006.html: the referenced record "doesn't exist within PASI"): the acknowledgement
    /// services list their own rules 12000–12004 (`SubmitStudentStatusAcknowledgement`), but
    /// only 12003's page is in the copies, so this is the project's choice (docs/pasi-protocol.md).
    /// "Only Alberta Education can submit an Acknowledgement Status of Overridden"
    /// (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/submit_student_status_acknowledgement.html),
    /// and only Alberta Education (O.1) may change an Overridden alert (rule_12003.html): from any
    /// other caller both are refused with rule 12003, nothing saved. An acknowledgement of a
    /// student's alert from an organization that may not change the student is refused with rule
    /// 9010, which `SubmitStudentStatusAcknowledgement` lists ("9002, 9010, 12000, …",
    /// https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/42ad38e9-04c4-cadc-5423-a5683b698c2a.htm).
    public func acknowledge(_ type: RecordType, _ request: AcknowledgeStatusRequest) -> SubmitResponse {
        if type == .student, let rule = associationRule(forStudent: request.id) {
            return SubmitResponse(id: request.id, pasiCoreVersion: statuses[type]?[request.id]?.version ?? 0, rejection: [rule])
        }
        guard var entry = statuses[type]?[request.id],
              let index = entry.alerts.firstIndex(where: { $0.alertCode == request.alertCode && $0.arguments == request.arguments })
        else {
            return SubmitResponse(
                id: request.id, pasiCoreVersion: statuses[type]?[request.id]?.version ?? 0,
                rejection: [PASIRule.invalidReference("Core Alert \(request.alertCode)", id: request.id, asn: type == .student ? request.id : nil)])
        }
        let overriding = request.acknowledgementStatus == .overridden || entry.alerts[index].acknowledgementStatus == .overridden
        if overriding, request.acknowledgementStatus != entry.alerts[index].acknowledgementStatus, !Self.isMinistry(request.callerInfo) {
            return SubmitResponse(id: request.id, pasiCoreVersion: entry.version, rejection: [PASIRule.overriddenCannotBeModified()])
        }
        entry.alerts[index].acknowledgementStatus = request.acknowledgementStatus
        acceptedAcknowledgements[type.rawValue + ":" + request.id, default: 0] += 1
        return SubmitResponse(id: request.id, pasiCoreVersion: bumpStatus(type, request.id, &entry))
    }

    /// Whether the caller is Alberta Education, organization O.1 (rule_12003.html), written `O.0001`
    /// or `O.1`.
    static func isMinistry(_ caller: CallerInfoElement) -> Bool {
        let parts = caller.user.organizationCode.split(separator: ".")
        return parts.count == 2 && parts[0] == "O" && Int(parts[1]) == 1
    }

    /// How many acknowledgements of a record's alerts PASI took: tests check that a client sends
    /// each once.
    public func acknowledgementCount(_ type: RecordType, id: String) -> Int { acceptedAcknowledgements[type.rawValue + ":" + id] ?? 0 }

    func bumpStatus(_ type: RecordType, _ id: String, _ entry: inout StatusEntry) -> Int64 {
        let version = latestVersion + 1
        entry.version = version
        statuses[type, default: [:]][id] = entry
        feeds[entry.notificationType, default: []].append(FeedItem(id: id, version: version))
        current[entry.notificationType, default: [:]][id] = version
        latestVersion = version
        return version
    }

    // MARK: - Reference data and lookups

    /// What `GetCodeValues` answers.
    public func codeValues(since version: Int64) -> GetCodeValuesResponse {
        reference.codeValues(since: version)
    }

    /// What `IdentifyStudent` answers: students whose legal last name matches, graded
    /// High (first name and birth date match too), Medium (one of them matches, the
    /// other was not asked or differs only where the request is silent), Low (the
    /// last name and one of first name / birth date, the other differing). At most 10.
    public func identify(_ request: IdentifyStudentRequest) -> [StudentCandidate] {
        let last = request.lastName.lowercased()
        var found: [StudentCandidate] = []
        for stored in (records[.student] ?? [:]).values where !stored.isDeleted {
            guard let student = stored.record as? Student, let name = student.legalName, name.lastName.lowercased() == last else { continue }
            let first: Bool? = request.firstName.map { $0.lowercased() == name.firstName?.lowercased() }
            let birth: Bool? = request.birthDate.map { $0 == student.birthDate }
            let quality: MatchQuality
            switch (first, birth) {
            case (true, true): quality = .high
            case (true, nil), (nil, true): quality = .medium
            case (true, false), (false, true): quality = .low
            default: continue
            }
            found.append(StudentCandidate(asn: student.asn, matchQuality: quality, lastName: name.lastName, firstName: name.firstName, birthDate: student.birthDate))
        }
        return Array(found.sorted { ($0.matchQuality, $0.asn) < ($1.matchQuality, $1.asn) }.prefix(10))
    }
}
