public import PASIContract
public import PASIModel

/// How the client reads a Get answer that may stop early: PASI processes the keys in order and,
/// at the first `ExpectedVersion` that is not the record's, returns neither that record nor any
/// after it (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/get_section.html).
/// The keys not answered are asked again: the stale one at version 0 (PASI's current record,
/// which is what the client wants once its version moved on), then the ones after it as they
/// were. Pure, so the rule is tested without PASI.
public enum GetRounds {
    /// What one answer settles.
    public struct Reading<Item>: Sendable where Item: Sendable {
        /// The items answered for good, in the order asked.
        public var answered: [Item]
        /// The keys to ask again, in order; empty when every key was answered.
        public var again: [GetRecordsRequest.Key]
    }

    /// Reads `items`, PASI's answer to `keys`.
    /// - Throws: ``PASICoreError`` (rejection) when the answer does not fit the request: more
    ///   items than keys, an item for another id than the key in its place, or no item at all for
    ///   a non-empty request (which would ask again forever).
    public static func read<R: PASIRecord>(_ keys: [GetRecordsRequest.Key], _ items: [RetrievedRecord<R>], operation: String)
        throws(PASICoreError) -> Reading<RetrievedRecord<R>> {
        try read(keys, items, ids: items.map(\.id), operation: operation) { item, key in item.isStaleStop(expected: key.expectedVersion) }
    }

    /// Reads a status Get's answer to `keys` the same way (a status's `ExpectedVersion` is the status's own).
    public static func read<R: PASIRecord>(_ keys: [GetStatusesRequest.Key], _ items: [RetrievedStatus<R>], operation: String)
        throws(PASICoreError) -> (answered: [RetrievedStatus<R>], again: [GetStatusesRequest.Key]) {
        let asRecords = keys.map { GetRecordsRequest.Key($0.id, expectedVersion: $0.expectedVersion) }
        let reading = try read(asRecords, items, ids: items.map(\.status.id), operation: operation) { item, key in
            key.expectedVersion != 0 && item.status.availabilityStatus == .normal && item.status.pasiCoreVersion != key.expectedVersion
        }
        // Same positions: the stale key goes again at status version 0, keeping its known source version.
        let again = reading.again.enumerated().map { index, key in
            let original = keys[keys.count - reading.again.count + index]
            return GetStatusesRequest.Key(key.id, expectedVersion: key.expectedVersion, knownSourceVersion: original.knownSourceVersion)
        }
        return (reading.answered, again)
    }

    private static func read<Item: Sendable>(_ keys: [GetRecordsRequest.Key], _ items: [Item], ids: [String], operation: String,
                                             isStaleStop: (Item, GetRecordsRequest.Key) -> Bool)
        throws(PASICoreError) -> Reading<Item> {
        guard items.count <= keys.count, keys.isEmpty || !items.isEmpty else {
            throw PASICoreError(.rejection, message: "\(operation) answered \(items.count) items to \(keys.count) keys")
        }
        for (index, id) in ids.enumerated() where keys[index].id != id {
            throw PASICoreError(.rejection, message: "\(operation) answered item \(index + 1) for another id than was asked")
        }
        guard let last = items.last, isStaleStop(last, keys[items.count - 1]) else {
            return Reading(answered: items, again: Array(keys[items.count...]))
        }
        let stale = keys[items.count - 1]
        return Reading(answered: Array(items.dropLast()),
                       again: [GetRecordsRequest.Key(stale.id, expectedVersion: 0)] + keys[items.count...])
    }
}
