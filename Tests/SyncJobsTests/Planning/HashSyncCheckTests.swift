import PASIContract
import PASIModel
import SyncStore
@testable import SyncJobs
import Testing

@Suite("Hash Synchronization: one type's check, without PASI")
struct HashSyncCheckTests {
    static let type = try! NotificationType(.student)
    static let local = [FeedItem(id: "a", version: 1), FeedItem(id: "b", version: 2), FeedItem(id: "d", version: 4)]

    /// Pages of two items are full (IsDataAvailable pages without a flag:
    /// https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/4e51f707-4e1c-3dd0-eec9-aa2c7fb43393.htm).
    static let limits = FeedLimits(perType: 2, overall: 600_000)

    static func answer(_ items: [FeedItem], hashMatched: Bool = false) -> IsDataAvailableResponse.Answer {
        IsDataAvailableResponse.Answer(notificationType: type, hashMatched: hashMatched, item: items)
    }

    static func result(_ status: String, pasiItems: Int? = nil, toFetch: Int = 0, removed: Int = 0) -> DownloadStore.HashResult {
        DownloadStore.HashResult(object: "Student", type: type, status: status, localItems: local.count, pasiItems: pasiItems,
                                 toFetch: toFetch, removed: removed, localHash: VersionHash.of(local))
    }

    @Test("the first question sends the local store's hash from the start of the feed")
    func start() {
        let check = HashSyncCheck(.student, Self.type, local: Self.local, limits: Self.limits)
        #expect(check.start == .ask(IsDataAvailableRequest.Query(Self.type, after: 0, hash: VersionHash.of(Self.local))))
    }

    @Test("equal hashes, or no answer for the type: Matched, and nothing asked or changed")
    func matched() {
        var check = HashSyncCheck(.student, Self.type, local: Self.local, limits: Self.limits)
        #expect(check.received(Self.answer([], hashMatched: true)) == .matched(Self.result("Matched")))
        var unanswered = HashSyncCheck(.student, Self.type, local: Self.local, limits: Self.limits)
        #expect(unanswered.received(nil) == .matched(Self.result("Matched")))
    }

    @Test("different hashes: every page is asked for from the highest version seen, then newer or missing ids are fetched and gone ones removed")
    func refreshed() {
        var check = HashSyncCheck(.student, Self.type, local: Self.local, limits: Self.limits)
        // A full page (two items): PASI may hold more above its highest version.
        let first = check.received(Self.answer([FeedItem(id: "a", version: 1), FeedItem(id: "c", version: 5)]))
        #expect(first == .ask(IsDataAvailableRequest.Query(Self.type, after: 5, hash: VersionHash.of(Self.local))))
        // A later page's hash flag decides nothing: only the first answer compares hashes.
        let last = check.received(Self.answer([FeedItem(id: "b", version: 6)], hashMatched: true))
        #expect(last == .refresh(Self.result("Refreshed", pasiItems: 3, toFetch: 2, removed: 1),
                                 HashDifference(local: Self.local, pasi: [FeedItem(id: "a", version: 1), FeedItem(id: "c", version: 5),
                                                                          FeedItem(id: "b", version: 6)])))
        guard case .refresh(_, let difference) = last else { return }
        #expect(difference.toFetch == ["b", "c"])
        #expect(difference.toRemove == ["d"])
    }

    @Test("a page PASI does not answer ends the paging with what it answered so far")
    func pagingCutShort() {
        var check = HashSyncCheck(.student, Self.type, local: Self.local, limits: Self.limits)
        _ = check.received(Self.answer([FeedItem(id: "a", version: 1), FeedItem(id: "b", version: 2)]))
        let action = check.received(nil)
        #expect(action == .refresh(Self.result("Refreshed", pasiItems: 2, toFetch: 0, removed: 1),
                                   HashDifference(local: Self.local, pasi: [FeedItem(id: "a", version: 1), FeedItem(id: "b", version: 2)])))
    }

    @Test("a page short of the limit is the last: nothing more is asked")
    func shortPageEnds() {
        var check = HashSyncCheck(.student, Self.type, local: Self.local, limits: Self.limits)
        guard case .refresh(let result, _) = check.received(Self.answer([FeedItem(id: "a", version: 1)])) else {
            Issue.record("expected a refresh after a page of one item under a limit of two")
            return
        }
        #expect(result.pasiItems == 1)
    }

    @Test("PASI holding nothing of the type: everything local is removed")
    func pasiEmpty() {
        var check = HashSyncCheck(.student, Self.type, local: Self.local, limits: Self.limits)
        guard case .refresh(let result, let difference) = check.received(Self.answer([])) else {
            Issue.record("expected a refresh")
            return
        }
        #expect(result.pasiItems == 0 && result.removed == 3)
        #expect(difference.toRemove == ["a", "b", "d"] && difference.toFetch.isEmpty)
    }

    @Test("the difference takes a local id held twice at its highest version")
    func duplicateLocalIDs() {
        let difference = HashDifference(local: [FeedItem(id: "a", version: 1), FeedItem(id: "a", version: 3)],
                                        pasi: [FeedItem(id: "a", version: 3)])
        #expect(difference.toFetch.isEmpty && difference.toRemove.isEmpty)
    }
}
