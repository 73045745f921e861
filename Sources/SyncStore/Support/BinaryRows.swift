internal import Foundation
internal import Logging
internal import PostgresNIO

// Rows read straight from PostgreSQL's binary cells into the same `Decodable` row types that
// `jsonRows` fills from `to_jsonb` text. Initial Synchronization reads a few thousand wide rows per
// batch, and turning each into JSON text in the server and parsing it again with Foundation's
// JSONDecoder was most of its cost (docs/getting-ready.md, "Benchmark"). The row types keep their
// CodingKeys (the column names); the values come as the JSON path gave them: dates as
// `YYYY-MM-DD`, UUIDs as lowercase text, jsonb columns decoded from their JSON.

extension PostgresClient {
    /// The rows of a query, each decoded by column name from its binary cells. A column the row
    /// type asks for and the query lacks reads as absent (`nil` for an optional).
    /// - Throws: ``SyncStoreError`` with code `unreadableRow` naming `table` when a row does not
    ///   decode; database errors.
    func binaryRows<Row: Decodable>(_ type: Row.Type, _ query: PostgresQuery, table: String, logger: Logger) async throws -> [Row] {
        let rows = try await self.query(query, logger: logger)
        var found: [Row] = []
        var columns: ColumnPlan?
        for try await row in rows {
            do {
                let cells = row.makeRandomAccess()
                let plan = columns ?? ColumnPlan(cells)
                columns = plan
                plan.startRow()
                found.append(try Row(from: CellDecoder(row: cells, columns: plan)))
            } catch {
                throw SyncStoreError(.unreadableRow, "\(table) holds a row this binary cannot read: \(error)")
            }
        }
        return found
    }
}

/// Where a query's columns are, learnt from its first row, with the order in which the row type
/// asks for them. The rows of one query share their columns and a row type's `init(from:)` asks
/// for the same keys in the same order every row, so after the first row each key is found by
/// comparing its name with the one asked for at that turn: looking every name up in every row
/// (PostgresNIO hashes it on `contains` and again on the subscript, two or three times per
/// column) was a fifth of Initial Synchronization's CPU in its workers (perf).
private final class ColumnPlan {
    private let positions: [String: Int]
    /// The name asked for at each turn of a row, and where it is (`nil`: no such column).
    private var turns: [(name: String, position: Int?)] = []
    private var turn = 0

    init(_ row: PostgresRandomAccessRow) {
        var positions: [String: Int] = [:]
        for (position, cell) in row.enumerated() { positions[cell.columnName] = position }
        self.positions = positions
    }

    func startRow() { turn = 0 }

    /// The position of column `name`, or `nil` when the query has no such column.
    func position(of name: String) -> Int? {
        defer { turn += 1 }
        // Keys' names are string literals, so a repeat compares equal on its storage at once.
        if turn < turns.count, turns[turn].name == name { return turns[turn].position }
        let position = positions[name]
        if turn < turns.count { turns[turn] = (name, position) } else { turns.append((name, position)) }
        return position
    }
}

/// A `Decoder` over one row: a keyed container whose keys are the row's column names.
private struct CellDecoder: Decoder {
    let row: PostgresRandomAccessRow
    let columns: ColumnPlan
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(CellContainer<Key>(row: row, columns: columns))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: [], debugDescription: "a row is read by column name"))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw DecodingError.typeMismatch(Any.self, .init(codingPath: [], debugDescription: "a row is read by column name"))
    }
}

private struct CellContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let row: PostgresRandomAccessRow
    let columns: ColumnPlan
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { row.compactMap { Key(stringValue: $0.columnName) } }

    func contains(_ key: Key) -> Bool { row.contains(key.stringValue) }

    /// The key's cell, or `nil` when the query has no such column.
    private func present(_ key: Key) -> PostgresCell? {
        columns.position(of: key.stringValue).map { row[$0] }
    }

    private func cell(_ key: Key) throws -> PostgresCell {
        guard let cell = present(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: [], debugDescription: "no column \(key.stringValue)"))
        }
        return cell
    }

    func decodeNil(forKey key: Key) throws -> Bool { try cell(key).bytes == nil }

    private func value<T: PostgresDecodable>(_ type: T.Type, _ key: Key) throws -> T {
        try value(type, in: try cell(key), key)
    }

    /// An optional column in one look-up (the default `decodeIfPresent` asks `contains`, then
    /// `decodeNil`, then `decode`): absent or NULL is `nil`.
    private func optional<T>(_ key: Key, _ decode: (PostgresCell) throws -> T) throws -> T? {
        guard let cell = present(key), cell.bytes != nil else { return nil }
        return try decode(cell)
    }

    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try optional(key) { try text(in: $0, key) } }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try optional(key) { try value(Int.self, in: $0, key) } }
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try optional(key) { try value(Bool.self, in: $0, key) } }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try optional(key) { try value(Int64.self, in: $0, key) } }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try optional(key) { try value(Double.self, in: $0, key) } }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { try optional(key) { try json(type, in: $0, key) } }

    private func value<T: PostgresDecodable>(_ type: T.Type, in cell: PostgresCell, _ key: Key) throws -> T {
        guard cell.bytes != nil else {
            throw DecodingError.valueNotFound(type, .init(codingPath: [key], debugDescription: "\(key.stringValue) is NULL"))
        }
        do {
            return try cell.decode(T.self)
        } catch {
            throw DecodingError.typeMismatch(type, .init(codingPath: [key], debugDescription: "\(key.stringValue) (\(cell.dataType)): \(error)"))
        }
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try value(Bool.self, key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try value(Int.self, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try value(Int64.self, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try value(Int32.self, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try value(Int16.self, key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try value(Double.self, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try value(Float.self, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { Int8(try value(Int16.self, key)) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { UInt(try value(Int64.self, key)) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { UInt8(try value(Int16.self, key)) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { UInt16(try value(Int32.self, key)) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { UInt32(try value(Int64.self, key)) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { UInt64(try value(Int64.self, key)) }

    /// Text as `to_jsonb` writes it: dates `YYYY-MM-DD`, UUIDs in lowercase, the rest as PostgresNIO reads text.
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try text(in: try cell(key), key) }

    private func text(in cell: PostgresCell, _ key: Key) throws -> String {
        switch cell.dataType {
        case .date:
            let seconds = try value(Date.self, in: cell, key).timeIntervalSince1970
            guard seconds.isFinite, let text = Self.isoDate(daysSince1970: Int((seconds / 86_400).rounded(.down))) else {
                throw DecodingError.dataCorrupted(.init(codingPath: [key], debugDescription: "\(key.stringValue) is not a finite date"))
            }
            return text
        case .uuid:
            return try value(UUID.self, in: cell, key).uuidString.lowercased()
        case .timestamp, .timestamptz, .time, .timetz, .interval, .numeric:
            // Their binary form is not their text: the query must cast them (none of the rows read here has them).
            throw DecodingError.typeMismatch(String.self, .init(codingPath: [key], debugDescription: "\(key.stringValue) (\(cell.dataType)) must be cast to text"))
        default:
            return try value(String.self, in: cell, key)
        }
    }

    /// A jsonb (or json) column decoded from its JSON, as the JSON path read it nested.
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try json(type, in: try cell(key), key) }

    private func json<T: Decodable>(_ type: T.Type, in cell: PostgresCell, _ key: Key) throws -> T {
        guard cell.dataType == .jsonb || cell.dataType == .json else {
            throw DecodingError.typeMismatch(type, .init(codingPath: [key], debugDescription: "\(key.stringValue) (\(cell.dataType)) is not json"))
        }
        let text = try value(String.self, in: cell, key)
        return try JSONDecoder().decode(T.self, from: Data(text.utf8))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        throw DecodingError.typeMismatch(type, .init(codingPath: [key], debugDescription: "a row has no nested containers"))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: [key], debugDescription: "a row has no nested containers"))
    }

    func superDecoder() throws -> any Decoder { CellDecoder(row: row, columns: columns) }
    func superDecoder(forKey key: Key) throws -> any Decoder { CellDecoder(row: row, columns: columns) }

    /// `YYYY-MM-DD` of a day counted from 1970-01-01, or `nil` outside years 0 to 9999.
    static func isoDate(daysSince1970 days: Int) -> String? {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        guard (0...9_999).contains(year) else { return nil }
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }
}
