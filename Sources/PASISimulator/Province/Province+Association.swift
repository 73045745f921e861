public import PASIContract
public import PASIModel

/// Which records the caller's organization may not see. PASI decides it by the association
/// rules (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/by_current_school_enrolment.html,
/// by_last_school_enrolment.html, …); this simulator so far only by a withdrawal a test or a demo
/// asks for (`POST /admin/access`): a record withdrawn answers No Access to every Get and status
/// Get and leaves the change feed, as a record of a student the authority is no longer associated
/// with does (is_data_available.html).
struct AccessRules {
    /// `Type:id` of the records withdrawn from the caller.
    var withdrawn: Set<String> = []

    static func key(_ type: RecordType, _ id: String) -> String { type.rawValue + ":" + id }
}

extension Province {
    /// Whether the caller may see the record `id` of `type`: the one hook the Gets, the status
    /// Gets and the change feed ask (the feed: an item is announced only while this holds).
    public func isVisible(_ type: RecordType, id: String) -> Bool {
        !access.withdrawn.contains(AccessRules.key(type, id))
    }

    /// Withdraws a record from the caller (No Access) or gives it back (Normal).
    ///
    /// Withdrawn, the record and its validation status leave the change feed and PASI's hash list,
    /// as PASI's feed carries only what the organization may see. Given back, the record gets a
    /// new version, so the feed announces it again as PASI would to a newly associated
    /// organization.
    /// - Returns: The record's version after the change.
    /// - Throws: ``ProvinceEditError`` for a record the province does not hold.
    @discardableResult
    public func setAccess(_ type: RecordType, id: String, noAccess: Bool) throws(ProvinceEditError) -> Int64 {
        guard let stored = records[type]?[id] else { throw ProvinceEditError(description: "no \(type.rawValue) \(id)") }
        let key = AccessRules.key(type, id)
        if noAccess {
            access.withdrawn.insert(key)
            current[stored.notificationType]?[id] = nil
            if let status = statuses[type]?[id] { current[status.notificationType]?[id] = nil }
            return stored.version
        }
        guard access.withdrawn.remove(key) != nil else { return stored.version }
        if var status = statuses[type]?[id] { _ = bumpStatus(type, id, &status) }
        return reannounce(stored.record, isDeleted: stored.isDeleted)
    }

    private func reannounce<R: PASIRecord>(_ record: R, isDeleted: Bool) -> Int64 {
        store(record, version: latestVersion + 1, isDeleted: isDeleted)
    }
}
