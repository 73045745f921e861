#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The error of every refusal of the reconciliation: a file that cannot be read or written, a
/// file that is not a well-formed export (with its line and column), or an export that fails the
/// validation tool's checks.
///
/// ``description`` names the file and the place, never a value of a record, so it is safe to log.
public struct ReconciliationError: Error, Sendable, CustomStringConvertible {
    /// What kind of refusal. A struct over a hidden enum, so kinds can be added.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        enum Base: String, Sendable, Hashable {
            case cannotRead, cannotWrite, malformed, failedValidation, invalidArguments
        }
        let base: Base
        /// A file could not be opened or read.
        public static let cannotRead = Code(base: .cannotRead)
        /// The result could not be written.
        public static let cannotWrite = Code(base: .cannotWrite)
        /// A file is not well-formed CSV or SpreadsheetML; ``ReconciliationError/line`` and
        /// ``ReconciliationError/column`` say where.
        public static let malformed = Code(base: .malformed)
        /// An export failed the checks of the validation tool; ``ReconciliationError/reports`` holds them.
        public static let failedValidation = Code(base: .failedValidation)
        /// The files or options given do not go together (e.g. the result would overwrite an input).
        public static let invalidArguments = Code(base: .invalidArguments)
        public var description: String { base.rawValue }
    }

    /// The kind of refusal.
    public var code: Code
    /// The file concerned.
    public var file: String
    /// The 1-based line of a malformed file.
    public var line: Int?
    /// The 1-based column (in characters) of a malformed file.
    public var column: Int?
    /// What is wrong.
    public var message: String
    /// The validation reports of a ``Code/failedValidation`` refusal.
    public var reports: [ValidationReport] = []

    public var description: String {
        var text = file
        if let line { text += ": line \(line)" }
        if let column { text += ", column \(column)" }
        return text + ": " + message
    }

    static func cannotRead(_ path: String, _ error: Int32) -> ReconciliationError {
        ReconciliationError(code: .cannotRead, file: path, message: "cannot be read: " + String(cString: strerror(error)))
    }

    static func notAFile(_ path: String) -> ReconciliationError {
        ReconciliationError(code: .cannotRead, file: path, message: "is not a regular file")
    }

    static func cannotWrite(_ path: String, _ error: Int32) -> ReconciliationError {
        ReconciliationError(code: .cannotWrite, file: path, message: "cannot be written: " + String(cString: strerror(error)))
    }

    static func malformed(_ path: String, line: Int, column: Int, _ message: String) -> ReconciliationError {
        ReconciliationError(code: .malformed, file: path, line: line, column: column, message: message)
    }

    static func malformed(_ path: String, _ error: CSVSyntaxError) -> ReconciliationError {
        .malformed(path, line: error.line, column: error.column, error.message)
    }

    static func invalidArguments(_ path: String, _ message: String) -> ReconciliationError {
        ReconciliationError(code: .invalidArguments, file: path, message: message)
    }

    static func failedValidation(_ reports: [ValidationReport]) -> ReconciliationError {
        let failed = reports.filter { !$0.passes }
        let names = failed.map(\.file).joined(separator: ", ")
        return ReconciliationError(
            code: .failedValidation, file: names,
            message: "refused by the validation tool (\(failed.map { $0.refusals.count }.reduce(0, +)) problems; run `pasisync reconcile validate` for each file)",
            reports: reports)
    }
}
