import Foundation
import PASIModel
import PostgresNIO
import SyncStore
import PasisyncTesting

/// One row of `sync.settings` without its timestamps: what the catalogue says it must hold.
struct SettingRow: Hashable, CustomStringConvertible {
    var position: Int
    var key: String
    var group: String
    var label: String
    var value: String
    var defaultValue: String
    var allowed: String
    var rule: SettingRule
    var readOnly: Bool
    var needsRestart: Bool
    var oneWay: Bool
    var note: String?

    /// The row for the catalogue's setting at `index`, holding its default.
    init(catalogueIndex index: Int) {
        let definition = SettingsCatalogue.all[index]
        position = index + 1
        key = definition.key.rawValue
        group = definition.group.rawValue
        label = definition.label
        value = definition.defaultValue.description
        defaultValue = value
        allowed = definition.allowed
        rule = definition.rule
        readOnly = definition.isReadOnly
        needsRestart = definition.needsRestart
        oneWay = definition.isOneWayFromPASI
        note = definition.note
    }

    init(
        position: Int, key: String, group: String, label: String, value: String, defaultValue: String, allowed: String,
        rule: SettingRule, readOnly: Bool, needsRestart: Bool, oneWay: Bool, note: String?
    ) {
        (self.position, self.key, self.group, self.label, self.value, self.defaultValue, self.allowed) =
            (position, key, group, label, value, defaultValue, allowed)
        (self.rule, self.readOnly, self.needsRestart, self.oneWay, self.note) = (rule, readOnly, needsRestart, oneWay, note)
    }

    /// Every row the catalogue asks for, in its order.
    static var catalogue: [SettingRow] { SettingsCatalogue.all.indices.map(SettingRow.init(catalogueIndex:)) }

    /// Every row of `sync.settings`, in position order.
    static func stored(in client: PostgresClient) async throws -> [SettingRow] {
        let rows = try await client.query("""
            SELECT position, key, group_name, label, value, default_value, allowed, kind, min_value, max_value,
                   choices, max_length, read_only, needs_restart, one_way, note
            FROM sync.settings ORDER BY position
            """, logger: TestEnvironment.logger)
        var stored: [SettingRow] = []
        for try await row in rows.decode(
            (Int, String, String, String, String, String, String, String, Int?, Int?, [String]?, Int?, Bool, Bool, Bool, String?).self
        ) {
            stored.append(SettingRow(
                position: row.0, key: row.1, group: row.2, label: row.3, value: row.4, defaultValue: row.5, allowed: row.6,
                rule: SettingRule(row.7, minimum: row.8, maximum: row.9, choices: row.10, maxLength: row.11),
                readOnly: row.12, needsRestart: row.13, oneWay: row.14, note: row.15))
        }
        return stored
    }

    /// The row as a line of the migration's INSERT, for pasting into a new migration.
    var description: String {
        func literal(_ text: String?) -> String {
            text.map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" } ?? "NULL"
        }
        func number(_ value: Int?) -> String { value.map(String.init) ?? "NULL" }
        let choices = rule.choices.map { "ARRAY[" + $0.map(literal).joined(separator: ", ") + "]" } ?? "NULL"
        let fields = [
            String(position), literal(key), literal(group), literal(label), literal(value), literal(defaultValue),
            literal(allowed), literal(rule.kind), number(rule.minimum), number(rule.maximum), choices, number(rule.maxLength),
            String(readOnly), String(needsRestart), String(oneWay), literal(note),
        ]
        return "    (" + fields.joined(separator: ", ") + ")"
    }
}
