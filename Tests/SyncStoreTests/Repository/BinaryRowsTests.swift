import PostgresNIO
@testable import SyncStore
import Testing
import PasisyncTesting

/// Rows read from binary cells find each column by the order the row type asks for them, learnt
/// from the first row; a row type that asks in another order on some rows must still read right.
@Suite("Rows read from binary cells")
struct BinaryRowsTests {
    /// Asks for `note` only when `kind` is 'long', and for `missing`, which no query has.
    struct Row: Decodable, Equatable {
        var id: Int
        var kind: String
        var note: String?
        var born: String?
        var missing: String?

        enum CodingKeys: String, CodingKey { case id, kind, note, born, missing }

        init(id: Int, kind: String, note: String?, born: String?) {
            (self.id, self.kind, self.note, self.born, self.missing) = (id, kind, note, born, nil)
        }

        init(from decoder: any Decoder) throws {
            let row = try decoder.container(keyedBy: CodingKeys.self)
            kind = try row.decode(String.self, forKey: .kind)
            if kind == "long" { note = try row.decodeIfPresent(String.self, forKey: .note) }
            born = try row.decodeIfPresent(String.self, forKey: .born)
            id = try row.decode(Int.self, forKey: .id)
            missing = try row.decodeIfPresent(String.self, forKey: .missing)
        }
    }

    @Test("columns asked for in a different order on some rows, absent columns and NULLs read right")
    func orderChangesBetweenRows() async throws {
        try await TestDatabase.with { database in
            let rows = try await database.client.binaryRows(Row.self, """
                SELECT * FROM (VALUES (1, 'short', 'x', DATE '2010-02-03'), (2, 'long', 'kept', NULL),
                                      (3, 'short', 'y', DATE '1999-12-31'), (4, 'long', NULL, DATE '2000-01-01'))
                    AS t (id, kind, note, born) ORDER BY id
                """, table: "test rows", logger: TestEnvironment.logger)
            #expect(rows == [
                Row(id: 1, kind: "short", note: nil, born: "2010-02-03"), Row(id: 2, kind: "long", note: "kept", born: nil),
                Row(id: 3, kind: "short", note: nil, born: "1999-12-31"), Row(id: 4, kind: "long", note: nil, born: "2000-01-01"),
            ])
        }
    }

    @Test("a column the row type needs and the query lacks is an unreadable row naming the table")
    func missingRequiredColumn() async throws {
        try await TestDatabase.with { database in
            let error = await #expect(throws: SyncStoreError.self) {
                _ = try await database.client.binaryRows(Row.self, "SELECT 'short' AS kind", table: "test rows", logger: TestEnvironment.logger)
            }
            #expect(error?.description.contains("test rows holds a row") == true)
            #expect(error?.description.contains("no column id") == true)
        }
    }
}
