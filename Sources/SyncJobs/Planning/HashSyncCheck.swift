import PASIContract
import PASIModel
import SyncStore

/// One type's check in Hash Synchronization, apart from its I/O: it says what to ask PASI, takes
/// PASI's answers, and ends in what to do to the local store. ``HashSync`` reads the local
/// versions, performs each ``Action`` and writes the result; every rule of the check is here,
/// tested without PostgreSQL or PASI.
///
/// The local store's ``VersionHash`` goes with the first question. Equal (or no answer): the type
/// is Matched. Different: PASI answers every item it holds, page by page from the highest version
/// seen while a page is full (``FeedLimits``: there is no "more" flag), and the ``HashDifference``
/// of the two lists is what is fetched and removed (Refreshed).
struct HashSyncCheck: Sendable {
    /// What the check asks for next.
    enum Action: Sendable, Hashable {
        /// Ask PASI (IsDataAvailable, no wait) and hand its answer to ``received(_:)``.
        case ask(IsDataAvailableRequest.Query)
        /// The hashes agree: nothing changes but the result written.
        case matched(DownloadStore.HashResult)
        /// The hashes differ: remove and fetch what the difference says, and write the result.
        case refresh(DownloadStore.HashResult, HashDifference)
    }

    let object: SynchronizedObject
    let type: NotificationType
    /// What the local store holds of the type.
    let local: [FeedItem]
    /// The local store's hash of ``local``.
    let hash: String
    /// How much PASI answers at once: a full page is followed by another question.
    let limits: FeedLimits
    /// Every item PASI answered so far, once the hashes were found to differ.
    private var held: [FeedItem]?

    init(_ object: SynchronizedObject, _ type: NotificationType, local: [FeedItem], limits: FeedLimits = .documented) {
        self.object = object
        self.type = type
        self.local = local
        self.limits = limits
        hash = VersionHash.of(local)
    }

    /// The first question: the hash, from the start of the feed.
    var start: Action { .ask(IsDataAvailableRequest.Query(type, after: 0, hash: hash)) }

    /// Takes PASI's answer to the last ``Action/ask(_:)`` (`nil` when PASI answered nothing for the type).
    mutating func received(_ answer: IsDataAvailableResponse.Answer?) -> Action {
        guard var items = held else {
            guard let answer, !answer.hashMatched else { return .matched(result(status: "Matched")) }
            held = answer.item
            return next(after: answer)
        }
        guard let answer else { return refresh() }
        items += answer.item
        held = items
        return next(after: answer)
    }

    private func next(after answer: IsDataAvailableResponse.Answer) -> Action {
        // One type is asked at a time, so the answer's total is this type's.
        guard limits.isFull(answer, total: answer.item.count), let highest = answer.highestVersion else { return refresh() }
        return .ask(IsDataAvailableRequest.Query(type, after: highest, hash: hash))
    }

    private func refresh() -> Action {
        let pasi = held ?? []
        let difference = HashDifference(local: local, pasi: pasi)
        var result = result(status: "Refreshed")
        result.pasiItems = pasi.count
        result.toFetch = difference.toFetch.count
        result.removed = difference.toRemove.count
        return .refresh(result, difference)
    }

    private func result(status: String) -> DownloadStore.HashResult {
        DownloadStore.HashResult(object: object.rawValue, type: type, status: status, localItems: local.count,
                                 pasiItems: nil, toFetch: 0, removed: 0, localHash: hash)
    }
}

/// What a hash difference asks for: the ids PASI holds at another version than the local copy
/// (or that the copy lacks), and the ids the copy holds that PASI no longer has.
struct HashDifference: Sendable, Hashable {
    let toFetch: [String]
    let toRemove: [String]

    init(local: [FeedItem], pasi: [FeedItem]) {
        let held = Dictionary(local.map { ($0.id, $0.version) }, uniquingKeysWith: max)
        let theirs = Set(pasi.map(\.id))
        toFetch = pasi.filter { held[$0.id] != $0.version }.map(\.id).sorted()
        toRemove = local.map(\.id).filter { !theirs.contains($0) }.sorted()
    }
}
