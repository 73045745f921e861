public import PASIContract
public import PASIModel
import Foundation

/// A province's data as PASI Core holds it: every record with its `PASICoreVersion`,
/// the change feed, validation statuses and reference data.
///
/// Versions come from one counter that grows with every change, so each type's feed is
/// in version order and "everything above version v" is one binary search away.
public actor Province {
    /// One stored record.
    struct Stored {
        var record: any PASIRecord
        var version: Int64
        var isDeleted: Bool
        var notificationType: NotificationType
    }

    /// The organization the simulator's client certificate represents: CallerInfo must name it.
    public nonisolated let organization: OrganizationCode
    /// The most items one feed answer holds, per type and in all (PASI: 150,000 and about 600,000).
    public private(set) var feedLimits: FeedLimits
    /// How long a submit naming a version not yet visible waits before fault 9014 (PASI: 5 s).
    public private(set) var resubmitWait: Duration

    var records: [RecordType: [String: Stored]] = [:]
    /// Per notification type: every (id, version) ever written, in version order.
    /// Superseded entries stay and are skipped when answering.
    var feeds: [NotificationType: [FeedItem]] = [:]
    /// Per notification type: each id's current version.
    var current: [NotificationType: [String: Int64]] = [:]
    var statuses: [RecordType: [String: StatusEntry]] = [:]
    /// Per `Type:id`, the submits that made a new version.
    var acceptedSubmits: [String: Int] = [:]
    /// Per `Type:id`, the version the latest accepted submit wrote: a later submit carrying the
    /// same content while that version is still held is the same change sent again.
    var submittedVersions: [String: Int64] = [:]
    /// Per `Type:id`, the submits answered as accepted that carried exactly the content an earlier
    /// submit of the record had already made PASI hold (``Province/repeatedSubmits``).
    var appliedTwice: [String: Int] = [:]
    /// Per `Type:id`, the same repeats sent with an out-of-date version, refused with rule 3004.
    var refusedRepeats: [String: Int] = [:]
    /// Per `Type:id`, the acknowledgements PASI took (`Submit<Type>StatusAcknowledgement`).
    var acceptedAcknowledgements: [String: Int] = [:]
    /// The highest version handed out.
    public internal(set) var latestVersion: Int64 = 0
    let reference: ReferenceData
    /// Which records the caller may not see (`Province+Association.swift`).
    var access = AccessRules()

    /// Creates an empty province.
    /// - Parameters:
    ///   - organization: The authority the caller acts for, `A.NNNN`.
    ///   - feedLimits: Items per type, and in all, in one feed answer.
    ///   - resubmitWait: The rule-9014 wait.
    ///   - today: PASI's date: the school year under way on it is the current one, and its
    ///     calendar year sets the synchronized years (``ReferenceData``).
    public init(organization: OrganizationCode, feedLimits: FeedLimits = .documented, resubmitWait: Duration = .seconds(5), today: PASIDate) {
        self.organization = organization
        self.feedLimits = feedLimits
        self.resubmitWait = resubmitWait
        reference = ReferenceData(today: today)
    }

    /// Changes the feed limits (tests of paging use small ones).
    public func setFeedLimits(_ limits: FeedLimits) { feedLimits = limits }

    /// Changes the rule-9014 wait.
    public func setResubmitWait(_ wait: Duration) { resubmitWait = wait }

    // MARK: - Writing records

    /// Loads records with the versions they carry (a provincial data set), as one batch.
    /// - Parameter batch: Records of any type; a version of 0 gets a new one.
    public func load(_ batch: [any PASIRecord]) {
        var touched: Set<NotificationType> = []
        access.loading = true
        defer { endLoading() }
        for record in batch {
            var version = record.pasiCoreVersion
            if version == 0 { version = latestVersion + 1 }
            storeAny(record, version: version)
            touched.insert(record.notificationType(undated: reference.currentSchoolYear))
        }
        for type in touched { feeds[type]?.sort { $0.version < $1.version } }
    }

    /// Writes a record as another school authority (or PASI itself) would: behind the
    /// client's back, with a new version. A record that carries its own `IsDeleted` (a school
    /// enrolment) is deleted or brought back by it; any other keeps its deletion.
    /// - Returns: The new version.
    @discardableResult
    public func change<R: PASIRecord>(_ record: R) -> Int64 {
        let isDeleted = (record as? any CarriesIsDeleted)?.isDeleted ?? records[R.recordType]?[record.recordID]?.isDeleted ?? false
        return store(record, version: latestVersion + 1, isDeleted: isDeleted)
    }

    /// The current record of `type` with `id`, if any.
    public func record<R: PASIRecord>(_ type: R.Type, id: String) -> R? {
        records[R.recordType]?[id]?.record as? R
    }

    /// How many records of `type` the province holds.
    public func count(of type: RecordType) -> Int { records[type]?.count ?? 0 }

    /// Every current record of `type`.
    public func all<R: PASIRecord>(_ type: R.Type) -> [R] {
        records[R.recordType]?.values.compactMap { $0.record as? R } ?? []
    }

    /// Stores `record` under `version`. A record that carries its own `IsDeleted` (a school
    /// enrolment, ``CarriesIsDeleted``) is stored with the flag set as `isDeleted` says, so every
    /// Get answers the record and its item alike.
    @discardableResult
    func store<R: PASIRecord>(_ record: R, version: Int64, isDeleted: Bool) -> Int64 {
        var record = Self.flagged(record, isDeleted: isDeleted)
        record.pasiCoreVersion = version
        let feedType = record.notificationType(undated: reference.currentSchoolYear)
        let id = record.recordID
        if let old = records[R.recordType]?[id], old.notificationType != feedType {
            // The record moved to another school year: it leaves the old year's feed.
            current[old.notificationType]?[id] = nil
        }
        records[R.recordType, default: [:]][id] = Stored(record: record, version: version, isDeleted: isDeleted, notificationType: feedType)
        // Versions from the counter only grow, so appending keeps the feed in version order.
        feeds[feedType, default: []].append(FeedItem(id: id, version: version))
        current[feedType, default: [:]][id] = version
        latestVersion = max(latestVersion, version)
        noteStored(record)
        return version
    }

    /// Opens the existential so ``store(_:version:isDeleted:)`` sees the concrete type. A loaded
    /// school enrolment is deleted as its `IsDeleted` says.
    private func storeAny(_ record: any PASIRecord, version: Int64) {
        store(record, version: version, isDeleted: (record as? any CarriesIsDeleted)?.isDeleted ?? false)
    }

    /// `record` with its own `IsDeleted` (when it carries one) set to `isDeleted`.
    static func flagged<R: PASIRecord>(_ record: R, isDeleted: Bool) -> R {
        guard var carrier = record as? any CarriesIsDeleted, carrier.isDeleted != isDeleted else { return record }
        carrier.isDeleted = isDeleted
        return carrier as? R ?? record
    }

    // MARK: - The change feed

    /// What `IsDataAvailable` answers for `queries` (every one naming a type: the rules of
    /// ``ChangeFeedRules`` come first), right now: the types in the order asked, each up to
    /// ``FeedLimits/perType`` items, until the answer holds ``FeedLimits/overall``; a type reached
    /// after that is cut short or answered empty, and the client asks again (``FeedLimits``).
    public func answer(_ queries: [IsDataAvailableRequest.Query]) -> IsDataAvailableResponse {
        var room = feedLimits.overall
        var answers: [IsDataAvailableResponse.Answer] = []
        for query in queries {
            guard let type = query.notificationType else { continue }
            let answer = answer(query, type, limit: min(feedLimits.perType, room))
            room -= answer.item.count
            answers.append(answer)
        }
        return IsDataAvailableResponse(notification: answers)
    }

    /// One type's answer of at most `limit` items.
    private func answer(_ query: IsDataAvailableRequest.Query, _ type: NotificationType, limit: Int) -> IsDataAvailableResponse.Answer {
        let holding = current[type] ?? [:]
        // Only what the caller may see: the students it is associated with (Province+Association.swift).
        let visible = feedVisibility(type)
        if let hash = query.pasiCoreVersionHash {
            let items = holding.compactMap { visible?($0.key) == false ? nil : FeedItem(id: $0.key, version: $0.value) }
            if VersionHash.of(items) == hash {
                return .init(notificationType: type, hashMatched: true, item: [])
            }
            // Different: every item PASI holds, in version order, paged like the feed.
            let sorted = items.sorted { $0.version < $1.version }.filter { $0.version > query.maxPASICoreVersion }
            return .init(notificationType: type, item: Array(sorted.prefix(limit)))
        }
        let log = feeds[type] ?? []
        var index = firstIndex(in: log, above: query.maxPASICoreVersion)
        var items: [FeedItem] = []
        while index < log.count, items.count < limit {
            let item = log[index]
            if holding[item.id] == item.version, visible?(item.id) ?? true { items.append(item) }
            index += 1
        }
        return .init(notificationType: type, item: items)
    }

    /// The hash of what the province holds for `type` (what a client compares against).
    public func hash(of type: NotificationType) -> String {
        let visible = feedVisibility(type)
        return VersionHash.of((current[type] ?? [:]).compactMap { visible?($0.key) == false ? nil : FeedItem(id: $0.key, version: $0.value) })
    }

    private func firstIndex(in log: [FeedItem], above version: Int64) -> Int {
        var low = 0, high = log.count
        while low < high {
            let middle = (low + high) / 2
            if log[middle].version <= version { low = middle + 1 } else { high = middle }
        }
        return low
    }

    // MARK: - Get services

    /// What a Get service answers for `keys`, processed in order
    /// (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/get_section.html): Unknown
    /// for an id PASI does not hold, No Access for a record the caller may not see
    /// (``isVisible(_:id:)``), else Normal with the record. An `ExpectedVersion` other than 0 that
    /// is not the record's version stops the answer: that item comes back without its record and
    /// "no further requested records will be processed".
    /// `knownSourceVersion` is GetStudentTranscriptDetail's (``transcriptParts(_:above:)``).
    public func get<R: PASIRecord>(_ type: R.Type, _ keys: [GetRecordsRequest.Key], knownSourceVersion: Int64? = nil) -> [RetrievedRecord<R>] {
        var answer: [RetrievedRecord<R>] = []
        for key in keys {
            let item = transcriptParts(retrieve(R.self, key.id, expectedVersion: key.expectedVersion), above: knownSourceVersion)
            answer.append(item)
            if item.isStaleStop(expected: key.expectedVersion) { break }
        }
        return answer
    }

    /// One record as a Get answers it.
    func retrieve<R: PASIRecord>(_ type: R.Type, _ id: String, expectedVersion: Int64) -> RetrievedRecord<R> {
        guard let stored = records[R.recordType]?[id], let record = stored.record as? R else {
            return RetrievedRecord(id: id, availabilityStatus: .unknown, pasiCoreVersion: 0, record: nil)
        }
        guard isVisible(R.recordType, id: id) else {
            return RetrievedRecord(id: id, availabilityStatus: .noAccess, pasiCoreVersion: 0, record: nil)
        }
        let wanted = expectedVersion == 0 || expectedVersion == stored.version
        return RetrievedRecord(
            id: id, availabilityStatus: .normal, pasiCoreVersion: stored.version, isDeleted: stored.isDeleted,
            record: wanted ? record : nil)
    }
}

extension Province {
    /// Gives the first `count` records of `type` (in id order) a new version without
    /// changing their content, as if another school authority had saved them.
    /// - Returns: How many were changed.
    public func touch(_ type: RecordType, count: Int) -> Int {
        let ids = (records[type] ?? [:]).keys.sorted().prefix(max(0, count))
        for id in ids { restore(id, type) }
        return ids.count
    }

    private func restore(_ id: String, _ type: RecordType) {
        guard let stored = records[type]?[id] else { return }
        storeExisting(stored.record, isDeleted: stored.isDeleted)
    }

    private func storeExisting<R: PASIRecord>(_ record: R, isDeleted: Bool) {
        store(record, version: latestVersion + 1, isDeleted: isDeleted)
    }
}

extension Province {
    /// Every record of `type` PASI holds, as JSON lines (`GET /admin/records?type=…`): one object
    /// per record, `{"id": …, "version": …, "deleted": …, "record": {…}}`, the record in its
    /// Codable form; in id order. `ids`, when given, keeps those only. For the chaos benchmark's
    /// comparison of PASI's final state with the SIS, and for tests.
    /// - Throws: If a record cannot be encoded.
    public func recordLines(_ type: RecordType, ids: Set<String>? = nil) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var text = ""
        for (id, stored) in (records[type] ?? [:]).sorted(by: { $0.key < $1.key }) where ids?.contains(id) ?? true {
            let record = String(decoding: try encoder.encode(stored.record), as: UTF8.self)
            let key = String(decoding: try encoder.encode(id), as: UTF8.self)
            text += "{\"id\":\(key),\"version\":\(stored.version),\"deleted\":\(stored.isDeleted),\"record\":\(record)}\n"
        }
        return text
    }
}
