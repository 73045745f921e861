internal import Foundation
internal import Logging
internal import PostgresNIO

extension PostgresClient {
    /// Runs a query whose one column is a row as JSON text (`to_jsonb(t)::text`) and decodes each
    /// into `Row`, whose coding keys are the row's column names.
    /// - Parameters:
    ///   - type: The row type.
    ///   - query: The query.
    ///   - table: Names the rows' table in an error.
    ///   - logger: The logger the statement logs to.
    /// - Throws: ``SyncStoreError`` with code `unreadableRow` for a row that does not decode; database errors.
    func jsonRows<Row: Decodable>(_ type: Row.Type, _ query: PostgresQuery, table: String, logger: Logger) async throws -> [Row] {
        let rows = try await self.query(query, logger: logger)
        let decoder = JSONDecoder()
        var found: [Row] = []
        for try await text in rows.decode(String.self) {
            do {
                found.append(try decoder.decode(Row.self, from: Data(text.utf8)))
            } catch {
                throw SyncStoreError(.unreadableRow, "\(table) holds a row this binary cannot read: \(error)")
            }
        }
        return found
    }
}
