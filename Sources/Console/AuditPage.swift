import Hummingbird
import SyncStore

/// The Audit Log page: who did what through the console, when (`console.audit_trail`).
extension ConsoleServer {
    static let auditLimit = 500

    func auditPage(_ session: ConsoleSession) async throws -> Response {
        let entries = try await users.auditTrail(limit: Self.auditLimit)
        let context: [String: Any] = [
            "entries": entries.map { entry in
                [
                    "at": entry.atLocal, "user": entry.userName, "action": entry.action, "target": entry.target ?? "",
                    "outcome": entry.outcome, "detail": entry.detail ?? "",
                ]
            },
        ]
        return Page.html(Templates.render("audit", context, layout: Self.frame(session, title: "Audit Log", current: nil, live: "/audit")))
    }
}
