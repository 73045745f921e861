import ArgumentParser
import Foundation
import PASIModel
import PostgresNIO
import SyncStore

/// `pasisync alerts`: the seed's PASI Core Alerts page (Special Functions → PASI Core Alerts).
struct Alerts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The PASI Core Alerts page: list, count, acknowledge and delete alerts.",
        discussion: """
            The alerts live in sync.core_alerts: PASI's core alerts (Advice, Warning) and the \
            Conflicts, Rejections and Failures this software raises. In psql the open ones are the \
            views sync.open_alerts and sync.open_alert_counts; each subcommand's --help shows the \
            SQL that does the same. The seed's way to clear Conflicts after Initial Synchronization: \
            `pasisync alerts --type Conflict --status Unacknowledged`, narrowed with --status-type \
            Student|Enrolment and --conflict-type; fix the data, then run Initial Synchronization again.
            """,
        subcommands: [List.self, Summary.self, Acknowledge.self, Delete.self],
        defaultSubcommand: List.self
    )

    /// `pasisync alerts [list]`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List alerts, newest first (the default subcommand).",
            discussion: """
                The same in psql (add AND a.school_code = '1042', AND a.student_id = 7 or \
                AND a.asn = '123456782', AND a.alert_code = '…' as needed):
                  SELECT a.*, s.student_number
                  FROM sync.open_alerts a LEFT JOIN sis.students s ON s.id = a.student_id
                  WHERE a.alert_type = 'Conflict' AND a.acknowledgement = 'Unacknowledged'
                    AND a.status_type = 'Student' AND a.conflict_type = 'Phone Number'
                  ORDER BY a.created_at DESC, a.id DESC LIMIT 50;
                With --include-resolved, read sync.core_alerts instead of sync.open_alerts.
                The list shows the ASN and the SIS student (id/number) an operator needs to find the \
                record; it shows no names.
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var filters: AlertFilterOptions

        @Option(help: ArgumentHelp("Rows to show, \(List.limits.lowerBound) to \(List.limits.upperBound).", valueName: "n"))
        var limit: Int = 50

        @Flag(help: ArgumentHelp("Show whole messages (otherwise cut at \(AlertsText.messageWidth) characters)."))
        var wide = false

        static let limits = 1...10_000

        func validate() throws {
            guard Self.limits.contains(limit) else {
                throw ValidationError("--limit must be from \(Self.limits.lowerBound) to \(Self.limits.upperBound), got \(limit)")
            }
        }

        func run() async throws {
            let (filter, limit, wide) = (try filters.filter(), self.limit, self.wide)
            let (alerts, total) = try await database.withClient(label: "pasisync.alerts") { client, logger in
                let store = AlertsStore(client: client, logger: logger)
                return (try await store.list(filter, limit: limit), try await store.count(filter))
            }
            print(AlertsText.list(alerts, total: total, includeResolved: filter.includeResolved, wide: wide), terminator: "")
        }
    }

    /// `pasisync alerts summary`.
    struct Summary: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "summary",
            abstract: "Count alerts per alert type, status type, conflict type and acknowledgement, with a total.",
            discussion: """
                Without filters this is the view sync.open_alert_counts:
                  SELECT * FROM sync.open_alert_counts;
                With filters, the same grouping over sync.core_alerts, e.g.
                  SELECT alert_type, status_type, coalesce(conflict_type, ''),
                         acknowledgement, count(*)
                  FROM sync.core_alerts WHERE resolved_at IS NULL AND school_code = '1042'
                  GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4;
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var filters: AlertFilterOptions

        func run() async throws {
            let filter = try filters.filter()
            let counts = try await database.withClient(label: "pasisync.alerts") { client, logger in
                try await AlertsStore(client: client, logger: logger).summary(filter)
            }
            print(AlertsText.summary(counts, includeResolved: filter.includeResolved), terminator: "")
        }
    }

    /// `pasisync alerts acknowledge ID…`.
    struct Acknowledge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "acknowledge",
            abstract: "Set the acknowledgement of alerts: all of them, or none if an id is unknown.",
            discussion: """
                The same in psql (one statement, so all or none):
                  UPDATE sync.core_alerts SET acknowledgement = 'Acknowledged', updated_at = now()
                  WHERE id IN (12, 13);
                The value is held to the acknowledgement_is_known CHECK (\(AlertChoice.allowed(AcknowledgementStatus.self))).
                The acknowledgement of one of PASI's core alerts (Advice, Warnings and Rejections PASI
                raised on a status) is then sent to PASI by Regular Sync (Submit<Type>StatusAcknowledgement),
                from psql too: see sync.data_events WHERE table_name = 'sync.core_alerts'. Only Alberta
                Education may set one of PASI's core alerts to Overridden: it is refused here, and one
                set in psql is not sent (a Rejection alert says why). The alerts this
                software raises (Conflicts, its Rejections and Failures) stay in this database.
                """)

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The alerts' ids (pasisync alerts lists them).")
        var ids: [Int64] = []

        @Option(name: .customLong("as"), help: ArgumentHelp(
            "The acknowledgement to set: \(AlertChoice.allowed(AcknowledgementStatus.self)).", valueName: "status"))
        var status: String = AcknowledgementStatus.acknowledged.rawValue

        func validate() throws {
            guard !ids.isEmpty else { throw ValidationError("name at least one alert id") }
            _ = try AlertChoice.parse(status, option: "--as", as: AcknowledgementStatus.self)
        }

        func run() async throws {
            let ids = self.ids
            guard let status = try AlertChoice.parse(status, option: "--as", as: AcknowledgementStatus.self) else { return }
            let changes = try await database.withClient(label: "pasisync.alerts") { client, logger in
                do {
                    return try await AlertsStore(client: client, logger: logger).acknowledge(ids: ids, as: status)
                } catch let error as SyncStoreError {
                    throw CommandFailure("\(error.description): nothing was changed")
                }
            }
            var changed = 0
            for change in changes {
                if change.previous == change.current {
                    print("alert \(change.id): already \(change.current.rawValue)")
                } else {
                    print("alert \(change.id): \(change.previous.rawValue) → \(change.current.rawValue)"
                          + (change.isPASIs ? " (Regular Sync sends it to PASI)" : ""))
                    changed += 1
                }
            }
            print("\(AlertsText.alerts(changed)) set to \(status.rawValue)")
        }
    }

    /// `pasisync alerts delete`.
    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "delete",
            abstract: "Delete Conflicts, Rejections or Failures, by id or by type (Advice and Warnings are refused).",
            discussion: """
                Either ids (all or none), or --type with --code and --conflict-type to narrow it (open \
                alerts only, unless --include-resolved). \(AlertsStore.deletionRule.prefix(1).uppercased() + AlertsStore.deletionRule.dropFirst()).
                The same in psql:
                  DELETE FROM sync.core_alerts
                  WHERE id IN (12, 13) AND alert_type IN ('Conflict', 'Rejection', 'Failure');
                  DELETE FROM sync.core_alerts
                  WHERE alert_type = 'Conflict' AND alert_code = 'UNMATCHED_ASN'
                    AND resolved_at IS NULL;
                """)

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The alerts' ids.")
        var ids: [Int64] = []

        @Option(help: ArgumentHelp("Delete every alert of this type: Conflict, Rejection or Failure.", valueName: "type"))
        var type: String?

        @Option(help: "With --type: only alerts with this alert code.")
        var code: String?

        @Option(name: .customLong("conflict-type"), help: ArgumentHelp(
            "With --type Conflict: only this conflict type (\(AlertChoice.allowed(ConflictType.self))).", valueName: "type"))
        var conflictType: String?

        @Flag(help: "With --type: resolved alerts too.")
        var includeResolved = false

        func validate() throws { _ = try request() }

        /// The ids, or the filter of a deletion by type.
        func request() throws -> Either {
            let type = try AlertChoice.parse(type, option: "--type", as: AlertType.self)
            let conflictType = try AlertChoice.parse(conflictType, option: "--conflict-type", as: ConflictType.self)
            if let type, !type.isDeletableByPerson {
                throw ValidationError("\(type == .advice ? "Advice" : "\(type.rawValue)s") cannot be deleted: \(AlertsStore.deletionRule)")
            }
            if !ids.isEmpty {
                guard type == nil, code == nil, conflictType == nil, !includeResolved else {
                    throw ValidationError("give either alert ids or --type (with --code, --conflict-type), not both")
                }
                return .ids(ids)
            }
            guard let type else { throw ValidationError("name the alerts to delete: their ids, or --type Conflict|Rejection|Failure") }
            if conflictType != nil, type != .conflict {
                throw ValidationError("--conflict-type narrows Conflicts only, not \(type.rawValue)s")
            }
            if let code, code.isEmpty { throw ValidationError("--code must not be empty") }
            return .filter(AlertFilter(type: type, conflictType: conflictType, alertCode: code, includeResolved: includeResolved))
        }

        enum Either: Sendable {
            case ids([Int64])
            case filter(AlertFilter)
        }

        func run() async throws {
            let request = try request()
            let deleted = try await database.withClient(label: "pasisync.alerts") { client, logger in
                let store = AlertsStore(client: client, logger: logger)
                do {
                    switch request {
                    case .ids(let ids): return try await store.delete(ids: ids)
                    case .filter(let filter): return try await store.delete(matching: filter)
                    }
                } catch let error as SyncStoreError {
                    throw CommandFailure("\(error.description)\(error.code == .notFound ? ": nothing was deleted" : "")")
                }
            }
            print("deleted \(AlertsText.alerts(deleted))")
        }
    }
}

/// The filters of the PASI Core Alerts page, shared by `alerts list` and `alerts summary`.
struct AlertFilterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Alert type: \(AlertChoice.allowed(AlertType.self)).", valueName: "type"))
    var type: String?

    @Option(help: ArgumentHelp("Acknowledgement status: \(AlertChoice.allowed(AcknowledgementStatus.self)).", valueName: "status"))
    var status: String?

    @Option(name: .customLong("status-type"), help: ArgumentHelp(
        "Status type: \(AlertChoice.allowed(StatusType.self)).", valueName: "type"))
    var statusType: String?

    @Option(name: .customLong("conflict-type"), help: ArgumentHelp(
        "Conflict type (Conflicts only): \(AlertChoice.allowed(ConflictType.self)).", valueName: "type"))
    var conflictType: String?

    @Option(help: "Alert code, e.g. JOB_FAILED.")
    var code: String?

    @Option(help: ArgumentHelp("School code (four digits).", valueName: "code"))
    var school: String?

    @Option(help: ArgumentHelp(
        "A student: SIS student id, student number or ASN (123456789 or 1234-5678-9); a number matches any of the three.",
        valueName: "id-or-asn"))
    var student: String?

    @Flag(help: "Include resolved alerts (by default only open ones).")
    var includeResolved = false

    func validate() throws { _ = try filter() }

    /// The filter, or a validation error naming the allowed values of the option that is wrong.
    func filter() throws -> AlertFilter {
        let type = try AlertChoice.parse(type, option: "--type", as: AlertType.self)
        let conflictType = try AlertChoice.parse(conflictType, option: "--conflict-type", as: ConflictType.self)
        if conflictType != nil, let type, type != .conflict {
            throw ValidationError("--conflict-type narrows Conflicts only, not \(type.rawValue)s")
        }
        var schoolCode: OrganizationNumber?
        if let school {
            do {
                schoolCode = try OrganizationNumber(school, field: "--school")
            } catch {
                throw ValidationError(error.description)
            }
        }
        var studentKey: AlertStudentKey?
        if let student {
            do {
                studentKey = try AlertStudentKey(student)
            } catch {
                throw ValidationError("--student \(error.expectation), got \(error.value)")
            }
        }
        if let code, code.isEmpty { throw ValidationError("--code must not be empty") }
        return AlertFilter(
            type: type, statusType: try AlertChoice.parse(statusType, option: "--status-type", as: StatusType.self),
            conflictType: conflictType, acknowledgement: try AlertChoice.parse(status, option: "--status", as: AcknowledgementStatus.self),
            alertCode: code, schoolCode: schoolCode, student: studentKey, includeResolved: includeResolved)
    }
}

/// An option value read against its allowed list, which is the spelling of the table's CHECK.
enum AlertChoice {
    /// The value whose spelling matches `text` (ignoring case), or a validation error naming every allowed value.
    static func parse<E: RawRepresentable & CaseIterable>(
        _ text: String?, option: String, as type: E.Type
    ) throws -> E? where E.RawValue == String {
        guard let text else { return nil }
        let wanted = text.trimmingCharacters(in: .whitespaces)
        if let value = E.allCases.first(where: { $0.rawValue.caseInsensitiveCompare(wanted) == .orderedSame }) { return value }
        throw ValidationError("\(option) must be one of \(allowed(E.self)); got \(text.debugDescription)")
    }

    /// The allowed values, those with spaces quoted as a shell would need them.
    static func allowed<E: RawRepresentable & CaseIterable>(_ type: E.Type) -> String where E.RawValue == String {
        E.allCases.map { $0.rawValue.contains(" ") ? "\"\($0.rawValue)\"" : $0.rawValue }.joined(separator: ", ")
    }
}

/// The alerts as text, kept apart from I/O.
enum AlertsText {
    /// Messages are cut here in the list unless `--wide`.
    static let messageWidth = 80

    static func alerts(_ count: Int) -> String { count == 1 ? "1 alert" : "\(count) alerts" }

    static func list(_ listings: [AlertListing], total: Int, includeResolved: Bool, wide: Bool) -> String {
        let which = includeResolved ? "alerts" : "open alerts"
        guard !listings.isEmpty else { return total == 0 ? "no \(which) match\n" : "no \(which) on this page of \(total)\n" }
        var header = ["ID", "TYPE", "STATUS TYPE", "CONFLICT TYPE", "CODE", "ACKNOWLEDGEMENT", "SCHOOL", "STUDENT", "ASN", "RAISED"]
        if includeResolved { header.append("RESOLVED") }
        header.append("MESSAGE")
        var rows = [header]
        for listing in listings {
            let alert = listing.alert, record = alert.record
            var row = [
                "\(alert.id)", record.type.rawValue, record.statusType.rawValue, record.conflictType?.rawValue ?? "",
                record.alertCode, alert.acknowledgement.rawValue, record.schoolCode?.description ?? "",
                student(record.studentID, listing.studentNumber), record.asn?.formatted ?? "", listing.raisedLocal,
            ]
            if includeResolved { row.append(listing.resolvedLocal ?? "") }
            row.append(message(record.message ?? "", wide: wide))
            rows.append(row)
        }
        let range = listings.count == 1 ? "1" : "1-\(listings.count)"
        return QueueTable.table(rows) + "\(which) \(range) of \(total), newest first\n"
    }

    /// `id/number`, `id` when the SIS student is gone, nothing without a student.
    static func student(_ id: Int?, _ number: Int64?) -> String {
        guard let id else { return "" }
        return number.map { "\(id)/\($0)" } ?? "\(id)"
    }

    static func message(_ text: String, wide: Bool) -> String {
        guard !wide, text.count > messageWidth else { return text }
        return String(text.prefix(messageWidth - 3)) + "..."
    }

    static func summary(_ counts: [AlertCount], includeResolved: Bool) -> String {
        let which = includeResolved ? "alerts" : "open alerts"
        let total = counts.reduce(0) { $0 + $1.alerts }
        guard total > 0 else { return "no \(which) match\ntotal 0\n" }
        var rows = [["ALERT TYPE", "STATUS TYPE", "CONFLICT TYPE", "ACKNOWLEDGEMENT", "ALERTS", "OLDEST"]]
        for count in counts {
            rows.append([count.type.rawValue, count.statusType.rawValue, count.conflictType?.rawValue ?? "",
                         count.acknowledgement.rawValue, "\(count.alerts)", count.oldestLocal])
        }
        var text = QueueTable.table(rows) + "\n"
        text += "by alert type: " + tally(counts, \.type.rawValue) + "\n"
        text += "by status type: " + tally(counts, \.statusType.rawValue) + "\n"
        let conflicts = counts.filter { $0.conflictType != nil }
        if !conflicts.isEmpty { text += "by conflict type: " + tally(conflicts) { $0.conflictType?.rawValue ?? "" } + "\n" }
        text += "by acknowledgement: " + tally(counts, \.acknowledgement.rawValue) + "\n"
        text += "total \(total) \(which)\n"
        return text
    }

    /// `Name N, Name N` per distinct value, in first-seen order of the sorted summary.
    static func tally(_ counts: [AlertCount], _ key: (AlertCount) -> String) -> String {
        var order: [String] = []
        var sums: [String: Int] = [:]
        for count in counts {
            let name = key(count)
            if sums[name] == nil { order.append(name) }
            sums[name, default: 0] += count.alerts
        }
        return order.sorted().map { "\($0) \(sums[$0] ?? 0)" }.joined(separator: ", ")
    }
}
