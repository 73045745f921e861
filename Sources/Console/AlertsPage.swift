import Foundation
import Hummingbird
import PASIModel
import SyncStore

/// The PASI Core Alerts page: the seed's filters, counts, bulk acknowledge, delete of Conflicts,
/// Rejections and Failures (Advice and Warnings refused with why, as `pasisync alerts delete` refuses).
extension ConsoleServer {
    /// Alerts listed at most.
    static let alertsLimit = 200

    func alertsPage(_ session: ConsoleSession, query: FormFields, outcome: Outcome? = nil) async throws -> Response {
        var outcome = outcome
        var filter: AlertFilter
        do {
            filter = try AlertFilterForm.filter(query)
        } catch let error as AlertFilterForm.Invalid {
            outcome = .refused(error.description, .badRequest, on: .alerts)
            filter = AlertFilter()
        }
        // A user limited to some schools sees only their alerts, in the list and in every count.
        filter.schools = session.user.schools
        let listings = try await alerts.list(filter, limit: Self.alertsLimit)
        let total = try await alerts.count(filter)
        let counts = try await alerts.summary(filter)
        let selects: [[String: Any]] = [
            AlertFilterForm.select("Alert type", "type", AlertType.self, query),
            AlertFilterForm.select("Status", "status", AcknowledgementStatus.self, query),
            AlertFilterForm.select("Status type", "status_type", StatusType.self, query),
            AlertFilterForm.select("Conflict type", "conflict_type", ConflictType.self, query),
        ]
        var context: [String: Any] = [
            "canAct": session.user.role >= .operator, "limit": Self.alertsLimit, "selects": selects,
            "code": query["code"] ?? "", "school": query["school"] ?? "", "student": query["student"] ?? "",
            "includeResolved": filter.includeResolved, "total": "\(total)", "which": filter.includeResolved ? "alerts" : "open alerts",
            "counts": counts.map { count in
                [
                    "type": count.type.rawValue, "statusType": count.statusType.rawValue, "conflictType": count.conflictType?.rawValue ?? "",
                    "acknowledgement": count.acknowledgement.rawValue, "alerts": "\(count.alerts)", "oldest": count.oldestLocal,
                ]
            },
            "alerts": listings.map(Self.row),
            "acknowledgements": AcknowledgementStatus.allCases.map {
                ["value": $0.rawValue, "selected": $0 == .acknowledged] as [String: Any]
            },
            // Only the types a person may delete are offered; a form posted with another is refused all the same.
            "alertTypes": AlertType.allCases.filter(\.isDeletableByPerson).map(\.rawValue),
            "conflictTypes": ConflictType.allCases.map(\.rawValue),
            "deletionRule": AlertsStore.deletionRule.prefix(1).uppercased() + AlertsStore.deletionRule.dropFirst(),
        ]
        let filters = query.pairs.map { "\(queryEncoded($0.name))=\(queryEncoded($0.value))" }.joined(separator: "&")
        context["back"] = filters
        let live = "/alerts" + (filters.isEmpty ? "" : "?" + filters)
        var response = Page.html(Templates.render("alerts", context, layout: Self.frame(
            session, title: "PASI Core Alerts", current: .alerts, live: live, outcome: outcome)))
        if let outcome, outcome.refused { response.status = outcome.status }
        return response
    }

    static func row(_ listing: AlertListing) -> [String: Any] {
        let alert = listing.alert, record = alert.record
        let student = record.studentID.map { id in listing.studentNumber.map { "\(id)/\($0)" } ?? "\(id)" } ?? ""
        return [
            "id": "\(alert.id)", "type": record.type.rawValue, "statusType": record.statusType.rawValue,
            "conflictType": record.conflictType?.rawValue ?? "", "code": record.alertCode,
            "acknowledgement": alert.acknowledgement.rawValue, "school": record.schoolCode?.description ?? "",
            "student": student, "asn": record.asn?.formatted ?? "", "raised": listing.raisedLocal,
            "resolved": listing.resolvedLocal ?? "", "message": record.message ?? "",
            "studentHref": studentLink(alert) ?? "", "hasStudentLink": studentLink(alert) != nil,
            "studentLabel": student.isEmpty ? studentASN(alert)?.formatted ?? "" : student,
        ]
    }

    /// The selected alerts' ids, or why there are none to act on.
    static func selectedIDs(_ form: FormFields) -> Result<[Int64], Outcome> {
        let values = form.all("id")
        guard !values.isEmpty else { return .failure(.refused("select at least one alert", .badRequest, on: .alerts)) }
        let ids = values.compactMap { Int64($0) }
        guard ids.count == values.count else { return .failure(.refused("an alert id is not a number", .badRequest, on: .alerts)) }
        return .success(ids)
    }

    /// `pasisync alerts acknowledge ID… --as STATUS`: all or none.
    func acknowledge(_ session: ConsoleSession, _ form: FormFields) async throws -> Outcome {
        let ids: [Int64]
        switch Self.selectedIDs(form) {
        case .failure(let refusal): return refusal
        case .success(let selected): ids = selected
        }
        let target = "alerts " + ids.map(String.init).joined(separator: ", ")
        if let refusal = try await hidden(ids, from: session, target: target) { return refusal }
        let text = form["as"] ?? AcknowledgementStatus.acknowledged.rawValue
        guard let status = AcknowledgementStatus.allCases.first(where: { $0.rawValue.caseInsensitiveCompare(text) == .orderedSame }) else {
            return .refused("the acknowledgement must be one of \(AcknowledgementStatus.allCases.map(\.rawValue).joined(separator: ", "))",
                            .badRequest, on: .alerts, target: target)
        }
        do {
            let changes = try await alerts.acknowledge(ids: ids, as: status)
            let changed = changes.filter { $0.previous != $0.current }.count
            return .done("\(Self.alertCount(changed)) set to \(status.rawValue)", on: .alerts, target: target)
        } catch let error as SyncStoreError {
            return .refused("\(error.description): nothing was changed", error.code == .notFound ? .notFound : .conflict, on: .alerts, target: target)
        }
    }

    /// `pasisync alerts delete ID…`: all or none; an Advice or Warning among them refuses the lot.
    func deleteAlerts(_ session: ConsoleSession, _ form: FormFields) async throws -> Outcome {
        let ids: [Int64]
        switch Self.selectedIDs(form) {
        case .failure(let refusal): return refusal
        case .success(let selected): ids = selected
        }
        let target = "alerts " + ids.map(String.init).joined(separator: ", ")
        if let refusal = try await hidden(ids, from: session, target: target) { return refusal }
        do {
            return .done("deleted \(Self.alertCount(try await alerts.delete(ids: ids)))", on: .alerts, target: target)
        } catch let error as SyncStoreError {
            let suffix = error.code == .notFound ? ": nothing was deleted" : ""
            return .refused(error.description + suffix, error.code == .notFound ? .notFound : .conflict, on: .alerts, target: target)
        }
    }

    /// `pasisync alerts delete --type T [--code C] [--conflict-type CT]`: the open alerts of a type.
    func deleteByType(_ session: ConsoleSession, _ form: FormFields) async throws -> Outcome {
        let filter: AlertFilter
        do {
            let type = try AlertFilterForm.choice(form["type"], "Alert type", AlertType.self)
            let conflictType = try AlertFilterForm.choice(form["conflict_type"], "Conflict type", ConflictType.self)
            guard let type else { return .refused("name the type of the alerts to delete: Conflict, Rejection or Failure", .badRequest, on: .alerts) }
            if conflictType != nil, type != .conflict {
                return .refused("a conflict type narrows Conflicts only, not \(type.rawValue)s", .badRequest, on: .alerts)
            }
            filter = AlertFilter(type: type, conflictType: conflictType, alertCode: form["code"], schools: session.user.schools)
        } catch let error as AlertFilterForm.Invalid {
            return .refused(error.description, .badRequest, on: .alerts)
        }
        let target = "type \(filter.type?.rawValue ?? "")" + (filter.alertCode.map { " code \($0)" } ?? "")
            + (filter.conflictType.map { " conflict type \($0.rawValue)" } ?? "")
        do {
            return .done("deleted \(Self.alertCount(try await alerts.delete(matching: filter)))", on: .alerts, target: target)
        } catch let error as SyncStoreError {
            return .refused(error.description, .conflict, on: .alerts, target: target)
        }
    }

    /// For a user limited to some schools: a refusal when one of `ids` is not theirs to see, told
    /// as an unknown alert (they learn nothing of other schools' alerts); `nil` when all are.
    func hidden(_ ids: [Int64], from session: ConsoleSession, target: String) async throws -> Outcome? {
        guard let schools = session.user.schools else { return nil }
        let unique = Set(ids)
        let visible = try await alerts.count(AlertFilter(includeResolved: true, schools: schools, ids: Array(unique)))
        guard visible < unique.count else { return nil }
        return .refused("an alert selected is not one of your schools' (or does not exist): nothing was changed", .notFound,
                        on: .alerts, target: target)
    }

    static func alertCount(_ count: Int) -> String { count == 1 ? "1 alert" : "\(count) alerts" }
}

/// The alert filters of the page's query, read against the allowed values (the table's CHECKs).
enum AlertFilterForm {
    struct Invalid: Error, CustomStringConvertible { let description: String }

    static func filter(_ query: FormFields) throws -> AlertFilter {
        let type = try choice(query["type"], "Alert type", AlertType.self)
        let conflictType = try choice(query["conflict_type"], "Conflict type", ConflictType.self)
        if conflictType != nil, let type, type != .conflict {
            throw Invalid(description: "a conflict type narrows Conflicts only, not \(type.rawValue)s")
        }
        var school: OrganizationNumber?
        if let text = query["school"] {
            do { school = try OrganizationNumber(text, field: "School") } catch { throw Invalid(description: error.description) }
        }
        var student: AlertStudentKey?
        if let text = query["student"] {
            do { student = try AlertStudentKey(text) } catch { throw Invalid(description: "Student \(error.expectation), got \(error.value)") }
        }
        return AlertFilter(
            type: type, statusType: try choice(query["status_type"], "Status type", StatusType.self), conflictType: conflictType,
            acknowledgement: try choice(query["status"], "Status", AcknowledgementStatus.self), alertCode: query["code"],
            schoolCode: school, student: student, includeResolved: query["include_resolved"] != nil)
    }

    static func choice<E: RawRepresentable & CaseIterable>(_ text: String?, _ label: String, _ type: E.Type) throws -> E?
    where E.RawValue == String {
        guard let text else { return nil }
        if let value = E.allCases.first(where: { $0.rawValue.caseInsensitiveCompare(text) == .orderedSame }) { return value }
        throw Invalid(description: "\(label) must be one of \(E.allCases.map(\.rawValue).joined(separator: ", ")); got \(text.debugDescription)")
    }

    static func select<E: RawRepresentable & CaseIterable>(_ label: String, _ name: String, _ type: E.Type, _ query: FormFields) -> [String: Any]
    where E.RawValue == String {
        let chosen = query[name]
        return ["label": label, "name": name,
                "options": E.allCases.map {
                    ["value": $0.rawValue, "selected": $0.rawValue.caseInsensitiveCompare(chosen ?? "") == .orderedSame] as [String: Any]
                }]
    }
}
