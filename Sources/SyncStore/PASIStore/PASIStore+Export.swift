public import PASIModel

// Reading the whole store back, type by type: what a PASI Core simulator serving "the province
// this district downloaded" loads.

extension PASIStore {
    /// Every record held of `type`, in key order, handed over `batchSize` at a time so a
    /// district of any size is read with bounded memory on this side.
    /// - Parameters:
    ///   - type: The kind of record.
    ///   - body: Called with each batch.
    /// - Throws: ``SyncStoreError`` for an unreadable row; database errors; what `body` throws.
    public func forEachBatch(of type: RecordType, _ body: ([any PASIRecord]) async throws -> Void) async throws {
        let ids = try await versions(of: type).map(\.id)
        for start in stride(from: 0, to: ids.count, by: Self.batchSize) {
            try await body(try await records(of: type, ids: Array(ids[start..<min(start + Self.batchSize, ids.count)])))
        }
    }

    private func records(of type: RecordType, ids: [String]) async throws -> [any PASIRecord] {
        try await type.rows.read(self, ids)
    }
}
