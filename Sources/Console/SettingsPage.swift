import Foundation
import Hummingbird
import PASIModel
import PostgresNIO
import SyncStore

/// The seed's Caller Information, Synchronization Settings and Logs pages: every setting under its
/// heading with its value, range, default and flags (the seed's asterisk for a restart, its double
/// asterisk for one way from PASI); an admin changes one at a time, refused exactly as
/// `pasisync settings set` refuses (both call ``SyncStore/SettingsStore/set(_:to:by:)``).
extension ConsoleServer {
    /// The three pages and the headings each one holds, in the seed's order.
    enum SettingsSection: String, CaseIterable, Sendable {
        case callerInformation = "caller", synchronization = "synchronization", logs = "logs"

        var title: String {
            switch self {
            case .callerInformation: "Caller Information"
            case .synchronization: "Synchronization Settings"
            case .logs: "Logs"
            }
        }

        var path: String { "/settings/\(rawValue)" }

        /// The seed's words at the top of the page.
        var introduction: String {
            switch self {
            case .callerInformation:
                "The Caller Information page provides a view of the system user information that is sent as part of every request made to PASI during the data synchronization process."
            case .synchronization:
                "The Synchronization Settings page provides the ability to set up and control the initial, regular, and hash synchronization processes and associated timing."
            case .logs:
                "The Log Settings page provides the ability to set up and control the volume of logging. This is required for troubleshooting the communication and data synchronization processes."
            }
        }

        var groups: [SettingGroup] {
            switch self {
            case .callerInformation: [.callerInformation]
            case .logs: [.logs]
            // Retention is this project's (how long what it keeps about children stays), not the seed's.
            case .synchronization: SettingGroup.allCases.filter { $0 != .callerInformation && $0 != .logs }
            }
        }

        static func of(_ group: SettingGroup) -> SettingsSection {
            allCases.first { $0.groups.contains(group) } ?? .synchronization
        }

        var page: ConsolePage {
            switch self {
            case .callerInformation: .callerInformation
            case .synchronization: .synchronization
            case .logs: .logs
            }
        }
    }

    /// What the seed says under a heading, where it says something.
    static func groupNote(_ group: SettingGroup) -> String? {
        switch group {
        case .general: "An asterisk ( * ) indicates that a restart of the workers (pasisync cluster) is required."
        case .demographicAndEnrolmentItems, .schoolCourseMarksItems, .diplomaExamItems:
            "Double asterisks ( ** ) indicate that the item is synchronized one way from PASI to the SIS only."
        case .threading:
            "This section is set up by default and does not require any changes."
        case .retention:
            "Not in the seed: how long pasisync keeps what it holds about children for itself. The Retention process (daily) deletes what is older."
        default: nil
        }
    }

    func settingsPage(_ session: ConsoleSession, _ section: SettingsSection, outcome: Outcome? = nil) async throws -> Response {
        let stored = try await settings.all()
        let canEdit = session.user.role >= .admin && session.user.schools == nil
        let groups: [[String: Any]] = section.groups.compactMap { group in
            let rows = stored.filter { $0.definition.group == group }
            guard !rows.isEmpty else { return nil }
            return [
                "heading": group.rawValue, "note": Self.groupNote(group) ?? "", "hasNote": Self.groupNote(group) != nil,
                "settings": rows.map { Self.settingRow($0, canEdit: canEdit) },
            ] as [String: Any]
        }
        let context: [String: Any] = [
            "heading": section.title, "introduction": section.introduction, "groups": groups, "canEdit": canEdit,
            "path": section.path, "back": section.rawValue,
        ]
        var response = Page.html(Templates.render("settings", context, layout: Self.frame(
            session, title: section.title, current: section.page, live: section.path, outcome: outcome)))
        if let outcome, outcome.refused { response.status = outcome.status }
        return response
    }

    /// One setting as its row shows it, with the control an admin changes it with.
    static func settingRow(_ setting: StoredSetting, canEdit: Bool) -> [String: Any] {
        let definition = setting.definition
        var row: [String: Any] = [
            "key": definition.key.rawValue, "label": definition.label,
            "marks": (definition.needsRestart ? " *" : "") + (definition.isOneWayFromPASI ? " **" : ""),
            "value": shown(setting.value), "allowed": definition.allowed,
            "default": shown(definition.defaultValue), "isDefault": setting.isDefault,
            "readOnly": definition.isReadOnly, "restart": definition.needsRestart, "note": definition.note ?? "",
            "updatedBy": setting.updatedBy, "editable": canEdit && !definition.isReadOnly,
        ]
        switch definition.type {
        case .bool:
            row["choices"] = ["on", "off"].map { ["value": $0, "selected": $0 == setting.value.description] as [String: Any] }
        case .choice(let values):
            row["choices"] = values.map { ["value": $0, "selected": $0 == setting.value.description] as [String: Any] }
        case .integerChoice(let values):
            row["choices"] = values.map { ["value": "\($0)", "selected": "\($0)" == setting.value.description] as [String: Any] }
        case .integer(let range):
            row["number"] = ["min": "\(range.lowerBound)", "max": "\(range.upperBound)"]
        case .timeOfDay:
            row["time"] = true
        case .text(.pasiString(let maxLength)):
            row["text"] = ["maxLength": "\(maxLength)"]
        case .text(.authorityCode):
            row["text"] = ["maxLength": "6", "pattern": "A\\.[0-9]{4}"]
        case .schoolYear:
            break
        }
        row["hasChoices"] = row["choices"] != nil
        return row
    }

    /// A value as the settings page shows it: empty text as `""`, so a blank is visible (as `pasisync settings show`).
    static func shown(_ value: SettingValue) -> String {
        let text = value.description
        return text.isEmpty ? "\"\"" : text
    }

    /// `pasisync settings set KEY VALUE`: refused as it refuses; the change (old → new) in the audit log.
    func setSetting(_ session: ConsoleSession, _ form: FormFields) async throws -> Outcome {
        let key = form["key"] ?? ""
        // The value as typed, blank included: an empty text setting (Name) is a value, "not yet configured".
        let value = form.pairs.first { $0.name == "value" }?.value ?? ""
        let section = (try? SettingsCatalogue.definition(for: key)).map { SettingsSection.of($0.group) }
            ?? SettingsSection(rawValue: form["back"] ?? "") ?? .synchronization
        let target = "setting " + (key.isEmpty ? "(none)" : key)
        // The settings are the whole district's: an admin limited to some schools reads them, no more.
        if let schools = session.user.schools {
            return .refused("your user is limited to schools \(schools.joined(separator: ", ")): the settings are the whole district's, "
                            + "changed by an admin of every school", .forbidden, on: section.page, target: target)
        }
        do {
            let change = try await settings.set(key, to: value, by: "console:\(session.user.name)")
            let label = change.definition.key.rawValue
            guard change.previous != change.value else {
                return .done("\(label) = \(Self.shown(change.value)) (unchanged)", on: section.page, target: target)
            }
            var message = "\(label) = \(Self.shown(change.value)) (was \(Self.shown(change.previous)))"
            var detail = "\(Self.shown(change.previous)) → \(Self.shown(change.value))"
            if change.needsRestart {
                message += "; restart needed: the change takes effect when the workers restart (pasisync cluster)"
                detail += " (restart needed)"
            }
            var outcome = Outcome.done(message, on: section.page, target: target)
            outcome.detail = detail
            return outcome
        } catch let error as PASIModelError {
            let status: HTTPResponse.Status = error.code == .unknownSetting ? .notFound : error.code == .readOnlySetting ? .conflict : .badRequest
            return .refused(error.description, status, on: section.page, target: target)
        } catch let error as PSQLError {
            // The database's own check (the same ranges, a read-only key): its message and hint, never
            // its DETAIL. Anything else (a privilege missing, the connection lost) is the console's fault.
            let state = error.serverInfo?[.sqlState] ?? ""
            guard let message = error.serverInfo?[.message], ["22", "23", "P0"].contains(String(state.prefix(2))) || state == "42501" && message.contains("read-only")
            else { throw error }
            return .refused(message + (error.serverInfo?[.hint].map { " (hint: \($0))" } ?? ""), .badRequest, on: section.page,
                            target: target)
        }
    }
}
