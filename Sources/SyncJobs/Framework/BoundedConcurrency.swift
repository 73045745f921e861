/// Work run side by side, but never more than a limit at once: a round's submits to PASI, a batch
/// of documents. PASI and the database are shared, so the limit is what the settings allow
/// (Processes), not what the machine could do.
enum BoundedConcurrency {
    /// Runs every piece of `work`, at most `limit` at once (at least one), each started as soon
    /// as an earlier one ends.
    /// - Returns: What each piece returned, in the order they ended.
    static func run<T: Sendable>(_ work: [@Sendable () async -> T], limit: Int) async -> [T] {
        let limit = max(1, limit)
        return await withTaskGroup(of: T.self) { group in
            var results: [T] = []
            results.reserveCapacity(work.count)
            var next = 0
            while next < min(limit, work.count) {
                group.addTask(operation: work[next])
                next += 1
            }
            for await result in group {
                results.append(result)
                if next < work.count {
                    group.addTask(operation: work[next])
                    next += 1
                }
            }
            return results
        }
    }
}
