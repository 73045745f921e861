import PASIContract
import PASIModel

/// One of PASI's documented validation rules as the simulator enforces it: its number, name,
/// type and message as its Knowledge Base page gives them
/// (`https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_NNNNN.html`). A
/// **Rejection** is not saved and comes back with the number and the message; a **Warning** or an
/// **Advice** is saved and becomes a core alert on the record's validation status, its code the
/// rule's number, its arguments the message's placeholders.
struct ValidationRule: Sendable, Hashable {
    /// The Knowledge Base's Rule Type.
    enum RuleType: String, Sendable, Hashable {
        case rejection = "Rejection", warning = "Warning", advice = "Advice"
    }

    let number: Int
    let name: String
    let type: RuleType
    /// The message with its `{Placeholder}`s, word for word as the page gives it.
    let message: String

    /// The rule's page.
    var page: String { "https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_\(number).html" }

    /// The rule broken, its placeholders filled with `arguments` (name → value, in the message's order).
    func broken(_ arguments: KeyValuePairs<String, String> = [:]) -> BrokenRule {
        BrokenRule(rule: self, arguments: arguments.map { ($0.key, $0.value) })
    }
}

/// A rule a record breaks, with the values of its message's placeholders.
struct BrokenRule: Sendable {
    let rule: ValidationRule
    /// Placeholder name → value, in the message's order.
    let arguments: [(key: String, value: String)]

    /// The message as PASI sends it: each `{Name}` replaced by its argument.
    var message: String {
        arguments.reduce(rule.message) { text, argument in text.replacing("{\(argument.key)}", with: argument.value) }
    }

    /// A Rejection's answer.
    var rejection: Rejection { Rejection(code: rule.number, message: message) }

    /// A Warning's or an Advice's core alert, Unacknowledged.
    var alert: StatusAlert {
        StatusAlert(alertCode: String(rule.number), severity: rule.type == .advice ? .advice : .warning, message: message,
                    arguments: AlertArguments(Dictionary(arguments, uniquingKeysWith: { first, _ in first })))
    }
}
