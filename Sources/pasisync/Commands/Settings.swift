import ArgumentParser
import Foundation
import PASIModel
import PostgresNIO
import SyncStore

/// `pasisync settings`: the seed's Caller Information, Synchronization Settings and Logs pages.
struct Settings: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show or change the settings (the seed's Caller Information, Synchronization Settings and Logs pages).",
        discussion: """
            The settings live in sync.settings; psql sees them as the view sync.settings_page, and an \
            UPDATE there is held to the same ranges as `pasisync settings set`.
            """,
        subcommands: [Show.self, SetValue.self],
        defaultSubcommand: Show.self
    )

    /// `pasisync settings show`.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Print every setting under the seed's headings.")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let settings = try await database.withClient(label: "pasisync.settings") { client, logger in
                try await SettingsStore(client: client, logger: logger).all()
            }
            print(SettingsPage(settings).text, terminator: "")
        }
    }

    /// `pasisync settings set KEY VALUE`.
    struct SetValue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set", abstract: "Change one setting.",
            discussion: "Keys are the snake_case names `pasisync settings show` prints, e.g. maximum_attempts.")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The setting's key, e.g. maximum_attempts.")
        var key: String

        @Argument(help: "The new value: on/off, a number, a choice, HH:MM or text.")
        var value: String

        @Option(name: .long, help: "Who makes the change, recorded in sync.settings.updated_by. Defaults to $USER.")
        var by: String?

        func run() async throws {
            let (key, value) = (self.key, self.value)
            let user = by ?? ProcessInfo.processInfo.environment["USER"] ?? "pasisync"
            let change = try await database.withClient(label: "pasisync.settings") { client, logger in
                do {
                    return try await SettingsStore(client: client, logger: logger).set(key, to: value, by: user)
                } catch let error as PASIModelError {
                    throw CommandFailure(error.description)
                } catch let error as PSQLError {
                    throw CommandFailure(describe(error))
                }
            }
            let label = change.definition.key.rawValue
            if change.previous == change.value {
                print("\(label) = \(shown(change.value)) (unchanged)")
            } else {
                print("\(label) = \(shown(change.value)) (was \(shown(change.previous)))")
            }
            if change.needsRestart {
                print("restart needed: the change takes effect when the workers restart (pasisync cluster)")
            }
        }
    }
}

/// A value as the settings page shows it: empty text as `""`, so a blank is visible.
private func shown(_ value: SettingValue) -> String {
    let text = value.description
    return text.isEmpty ? "\"\"" : text
}

/// The settings as text, under the seed's headings, one line each:
/// label, key, value, and markers for a changed default, read-only and restart-needed settings.
struct SettingsPage {
    let settings: [StoredSetting]

    init(_ settings: [StoredSetting]) { self.settings = settings }

    var text: String {
        let labelWidth = settings.map(\.definition.label.count).max() ?? 0
        let keyWidth = settings.map(\.definition.key.rawValue.count).max() ?? 0
        // Capped, so that one long text value does not push every marker off the screen.
        let valueWidth = min(settings.map { shown($0.value).count }.max() ?? 0, 20)
        var lines: [String] = []
        var group: SettingGroup?
        for setting in settings {
            if setting.definition.group != group {
                group = setting.definition.group
                if !lines.isEmpty { lines.append("") }
                lines.append(setting.definition.group.rawValue)
            }
            lines.append(line(setting, widths: (labelWidth, keyWidth, valueWidth)))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func line(_ setting: StoredSetting, widths: (label: Int, key: Int, value: Int)) -> String {
        let definition = setting.definition
        var markers = [setting.isDefault ? "(default)" : "(default: \(shown(definition.defaultValue)))"]
        if definition.isReadOnly { markers.append("(read-only)") }
        if definition.needsRestart { markers.append("(restart needed)") }
        let label = definition.label.padding(toLength: widths.label, withPad: " ", startingAt: 0)
        let key = definition.key.rawValue.padding(toLength: widths.key, withPad: " ", startingAt: 0)
        let value = shown(setting.value)
        let paddedValue = value.count < widths.value ? value.padding(toLength: widths.value, withPad: " ", startingAt: 0) : value
        return "  \(label)  \(key)  \(paddedValue)  " + markers.joined(separator: " ")
    }
}
