import Foundation
import Hummingbird
import PASIModel
import SyncStore

/// A student's page, which no PowerSchool page has: the SIS record and the local PASI copy side by
/// side, field by field, differences marked as Initial Synchronization would raise them; the
/// student's enrolments on both sides, alerts, data events and what became of them, and the PASI
/// messages that named the student. Found by ASN, student number or name (`/students?q=`) and from
/// every alert. Personal data is shown here, which is the page's purpose, and never logged: the
/// audit log records no page views, and the search text is not written anywhere.
extension ConsoleServer {
    var students: StudentPageStore { StudentPageStore(client: client, logger: logger) }

    /// `/students?q=`: the search box's answer, a list of students to open.
    func studentSearchPage(_ session: ConsoleSession, query: FormFields) async throws -> Response {
        let text = query["q"] ?? ""
        let hits = text.isEmpty ? [] : try await students.search(text, schools: session.user.schools, limit: Self.searchLimit)
        let context: [String: Any] = [
            "q": text, "searched": !text.isEmpty, "limit": Self.searchLimit,
            "hits": hits.map { hit in
                [
                    "href": hit.sisID.map { "/students/\($0)" } ?? "/students/asn/\(hit.asn ?? "")",
                    "name": hit.name.isEmpty ? "(no name held)" : hit.name, "sisID": hit.sisID.map(String.init) ?? "",
                    "studentNumber": hit.studentNumber.map(String.init) ?? "", "asn": Self.formattedASN(hit.asn),
                    "birthDate": hit.birthDate ?? "", "schools": hit.schools.joined(separator: ", "),
                    "onlyPASI": hit.sisID == nil,
                ] as [String: Any]
            },
        ]
        return Page.html(Templates.render("students", context, layout: Self.frame(
            session, title: "Students", current: .students, live: "", search: text)))
    }

    /// `/students/ID` (the SIS id) or `/students/asn/ASN` (a student only the local PASI copy has).
    func studentPage(_ session: ConsoleSession, sisID: Int?, asn: String?) async throws -> Response {
        var record: StudentRecordPage?
        if let sisID {
            record = try await students.page(sisID: sisID)
        } else if let asn, let key = try? ASN(asn, checkDigit: .ignored) {
            // A student the SIS holds has one page, the SIS one.
            if let id = try await students.sisID(asn: key) { return Page.redirect("/students/\(id)") }
            record = try await students.page(asn: key)
        }
        // A school-limited user is told no more about another school's student than about no student.
        guard let record, Self.visible(record, to: session.user) else {
            return Page.html(Templates.render("student-missing", [:], layout: Self.frame(
                session, title: "No such student", current: .students, live: "")), status: .notFound)
        }
        let title = Self.name(of: record)
        let fields = StudentSideBySide.fields(sis: record.sis, pasi: record.pasi, address: SmartAddressMatch(isOn: record.smartAddressMatch))
        var groups: [[String: Any]] = []
        for field in fields {
            let row: [String: Any] = ["field": field.field, "sis": field.sisValue ?? "", "pasi": field.pasiValue ?? "", "differs": field.differs]
            if let last = groups.last, last["group"] as? String == field.group.rawValue {
                groups[groups.count - 1]["fields"] = (last["fields"] as? [[String: Any]] ?? []) + [row]
                if field.differs { groups[groups.count - 1]["differs"] = true }
            } else {
                groups.append(["group": field.group.rawValue, "fields": [row], "differs": field.differs])
            }
        }
        let context: [String: Any] = [
            "name": title, "sisID": record.sis.map { "\($0.id)" } ?? "", "studentNumber": record.sis.map { "\($0.studentNumber)" } ?? "",
            "asn": record.asn?.formatted ?? "", "hasSIS": record.sis != nil, "hasPASI": record.pasi != nil,
            "matchQuality": record.matchQuality ?? "", "isMatched": record.matchQuality != nil, "hasASN": record.asn != nil,
            "alertsKey": record.asn?.digits ?? record.sis.map { "\($0.id)" } ?? "", "differences": "\(fields.filter(\.differs).count)",
            "pasiVersion": record.pasi.map { "\($0.pasiCoreVersion)" } ?? "", "smartAddressMatch": record.smartAddressMatch ? "on" : "off",
            "groups": groups,
            "sisEnrolments": record.sisEnrolments.map(Self.enrolmentRow), "pasiEnrolments": record.pasiEnrolments.map(Self.enrolmentRow),
            "alerts": Self.visibleAlerts(record.alerts, to: session.user).map(Self.row),
            "events": record.events.map { event in
                [
                    "id": "\(event.id)", "table": event.table, "rowKey": event.rowKey, "operation": Self.operation(event.operation),
                    "columns": event.changedColumns.joined(separator: ", "), "occurred": event.occurredLocal, "status": event.status,
                    "handled": event.handledLocal ?? "", "detail": event.detail ?? "", "archived": event.archived,
                ] as [String: Any]
            },
            "messages": record.messages.map { message in
                [
                    "id": "\(message.id)", "operation": message.operation, "sent": message.sentLocal,
                    "duration": message.durationMS.map { "\($0) ms" } ?? "", "outcome": message.outcome,
                    "fault": message.faultCode.map(String.init) ?? "", "detail": message.detail ?? "",
                    "job": message.jobID.map(String.init) ?? "",
                ]
            },
            "listLimit": StudentPageStore.listLimit, "messagesScanned": StudentPageStore.messagesScanned,
        ]
        let live = record.sis.map { "/students/\($0.id)" } ?? "/students/asn/\(record.asn?.digits ?? "")"
        return Page.html(Templates.render("student", context, layout: Self.frame(session, title: title, current: .students, live: live)))
    }

    static let searchLimit = 50

    /// Whether a school-limited user may see this student: one of their schools enrols the student
    /// (SIS or PASI). A user without a school limit sees every student.
    static func visible(_ record: StudentRecordPage, to user: ConsoleUser) -> Bool {
        guard let schools = user.schools else { return true }
        return !record.schoolCodes.isDisjoint(with: schools)
    }

    /// The student's alerts a school-limited user may see, as the alerts page shows them: those of
    /// one of their schools and those that name no school (the student is theirs, or the page would
    /// not be shown). Another school's alert about a student two schools share stays hidden.
    static func visibleAlerts(_ alerts: [AlertListing], to user: ConsoleUser) -> [AlertListing] {
        guard let schools = user.schools else { return alerts }
        return alerts.filter { listing in listing.alert.record.schoolCode.map { schools.contains($0.description) } ?? true }
    }

    static func name(of record: StudentRecordPage) -> String {
        if let sis = record.sis { return "\(sis.lastName), \(sis.firstName)" }
        if let name = record.pasi?.preferredName { return [name.lastName, name.firstName].compactMap { $0 }.joined(separator: ", ") }
        return "Student \(record.asn?.formatted ?? "")"
    }

    static func enrolmentRow(_ line: StudentEnrolmentLine) -> [String: Any] {
        [
            "key": line.key, "school": line.schoolCode, "year": line.schoolYear, "grade": line.grade, "entry": line.entryDate,
            "exit": line.exitDate ?? "", "status": line.status, "matched": line.matchedWith ?? "", "unmatched": line.matchedWith == nil,
        ]
    }

    static func operation(_ code: String) -> String {
        switch code {
        case "I": "insert"
        case "U": "update"
        case "D": "delete"
        default: code
        }
    }

    static func formattedASN(_ digits: String?) -> String {
        guard let digits, let asn = try? ASN(digits, checkDigit: .ignored) else { return digits ?? "" }
        return asn.formatted
    }

    /// Where an alert's student is shown: the SIS student's page, else the local PASI copy's by ASN.
    /// An alert PASI files under a student (status type Student) hangs off the student's ASN as its
    /// RefId, even when the ASN column was not filled: that finds the student too
    /// (`/students/asn/ASN` answers with the SIS page when the SIS holds the ASN).
    static func studentLink(_ alert: StoredAlert) -> String? {
        if let id = alert.record.studentID { return "/students/\(id)" }
        if let asn = studentASN(alert) { return "/students/asn/\(asn.digits)" }
        return nil
    }

    /// The alert's ASN, or its RefId when it is a student's alert and the RefId is an ASN.
    static func studentASN(_ alert: StoredAlert) -> ASN? {
        if let asn = alert.record.asn { return asn }
        guard alert.record.statusType == .student, let ref = alert.record.refId else { return nil }
        return try? ASN(ref, checkDigit: .ignored)
    }
}
