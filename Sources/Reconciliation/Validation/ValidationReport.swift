/// One thing the validation tool found in an export.
public struct Finding: Sendable, Hashable, CustomStringConvertible {
    /// How much it matters.
    public enum Severity: String, Sendable, Hashable, CustomStringConvertible {
        /// The file cannot be reconciled (a required column is missing, the type is wrong).
        case error
        /// A sign that the file was opened and saved again, which the seed warns makes it reconcile
        /// wrongly: refused unless the operator accepts it.
        case savedAgain = "saved again"
        /// Worth knowing; it does not stop the reconciliation (a file name not of the seed's form).
        case warning

        public var description: String { rawValue }
    }

    public var severity: Severity
    /// What was found, with counts and the first line; never a student's ASN.
    public var message: String

    public var description: String { "\(severity): \(message)" }
}

/// What the validation tool found in one export.
public struct ValidationReport: Sendable, CustomStringConvertible {
    /// The file's path.
    public var file: String
    /// The type it was checked as.
    public var type: ExportType
    /// Its format, when the file could be read.
    public var format: ExportFormat?
    /// The records read (blank rows and rows of empty fields not counted).
    public var records = 0
    /// Everything found, errors first.
    public var findings: [Finding] = []
    /// Whether signs of a file saved again are accepted (`--allow-saved-again`).
    public var acceptsSavedAgain = false

    public init(file: String, type: ExportType) {
        self.file = file
        self.type = type
    }

    /// The findings that stop the reconciliation.
    public var refusals: [Finding] {
        findings.filter { $0.severity == .error || ($0.severity == .savedAgain && !acceptsSavedAgain) }
    }

    /// True when nothing found stops the reconciliation.
    public var passes: Bool { refusals.isEmpty }

    mutating func add(_ severity: Finding.Severity, _ message: String) {
        findings.append(Finding(severity: severity, message: message))
    }

    public var description: String {
        var lines = ["\(file): \(type) export, \(format.map(\.description) ?? "unreadable"), \(records) records"]
        for finding in findings.sorted(by: { $0.severity.order < $1.severity.order }) { lines.append("  " + finding.description) }
        lines.append(passes ? "  passed" : "  refused: \(refusals.count) problem\(refusals.count == 1 ? "" : "s")")
        return lines.joined(separator: "\n")
    }
}

extension Finding.Severity {
    var order: Int {
        switch self {
        case .error: 0
        case .savedAgain: 1
        case .warning: 2
        }
    }
}
