import Hummingbird
import SyncStore

/// The Audit Log page: who did what through the console, when (`console.audit_trail`).
extension ConsoleServer {
    static let auditLimit = 500

    func auditPage(_ session: ConsoleSession) async throws -> Response {
        // A user limited to some schools reads their own entries only: the others' name jobs, alerts and
        // schools that are not theirs to see.
        let entries = try await session.user.schools == nil
            ? users.auditTrail(limit: Self.auditLimit) : users.auditTrail(limit: Self.auditLimit, user: session.user.name)
        let context: [String: Any] = [
            "isLimited": session.user.schools != nil,
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
