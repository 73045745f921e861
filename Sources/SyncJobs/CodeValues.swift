import JobQueue
import Logging
import PASIContract
import PASICore
import PASIModel
import SyncStore

/// Code values and accepted school years: GetCodeValues from the last known version into
/// `pasi.code_values` (when Code Value Synchronization is on), and the accepted school years into
/// `pasi.school_years` and Current School Year for Synchronization, which only this job writes.
/// Daily by the `code_values` schedule; on demand with `pasisync run code-values`.
public struct CodeValues: SyncJob {
    public typealias Arguments = NoArguments
    public static let kind = "code_values"
    public static let title = "Code Values Download"

    let environment: SyncEnvironment

    public init(environment: SyncEnvironment) {
        self.environment = environment
    }

    public func run(_ arguments: NoArguments, context: SyncJobContext) async throws {
        _ = try await Self.download(environment: environment, context: context, reportProgress: true)
    }

    /// The download itself, which Load Local Copy runs first too: it needs the accepted years.
    /// - Returns: The current school year PASI named, if any.
    /// - Parameter reportProgress: Whether the steps are the job's progress (not when another
    ///   process runs it as its first step and keeps its own counts).
    static func download(environment: SyncEnvironment, context: SyncJobContext, reportProgress: Bool) async throws -> SchoolYear? {
        func progress(_ done: Int64, _ message: String) async throws {
            if reportProgress { try await context.progress(done: done, total: 2, message: message) }
        }
        let pasi = try await context.pasi()
        let store = environment.codeValues
        let storeValues = try await environment.settings.value(of: .codeValueSynchronization) == .bool(true)
        let since = storeValues ? try await store.lastKnownVersion() : 0
        try await progress(0, "asking PASI for code values changed since version \(since)")
        let answer = try await pasi.getCodeValues(since: since)

        let values = storeValues
            ? answer.codeValue.map { StoredCodeValue(table: $0.table, code: $0.code, description: $0.description, version: $0.version) }
            : []
        let years = answer.acceptedSchoolYear.map { ($0.schoolYear, AcceptedYearStatus($0.status)) }
        let changed = try await store.save(values, acceptedYears: years)
        try await progress(1, "\(changed) code value(s) new or changed; \(years.count) accepted school year(s)")

        let current = try CurrentSchoolYear.from(answer.acceptedSchoolYear)
        guard case .schoolYear(let held) = try await environment.settings.value(of: .currentSchoolYear) else {
            throw JobError.permanent("Current School Year for Synchronization holds no school year: run pasisync migrate")
        }
        var summary = current.map { "current school year \($0)" } ?? "PASI named no current school year"
        switch CurrentSchoolYear.change(held: held, pasi: current) {
        case .set(let year):
            try await environment.settings.setBySoftware(.currentSchoolYear, to: .schoolYear(year), by: kind)
        case .keep:
            break
        case .leftForEndOfYear(let held, let pasi):
            summary = "PASI names \(pasi) as current; Current School Year for Synchronization stays \(held.hyphenated) until End of Year (pasisync run end-of-year)"
        }
        try await progress(2, "\(changed) code value(s) new or changed; \(summary)")
        context.logger.info("code values downloaded", metadata: [
            "changed": "\(changed)", "version": "\(answer.version)", "current_school_year": "\(current.map(String.init(describing:)) ?? "none")"])
        return current
    }
}

/// Which accepted school year is the current one.
enum CurrentSchoolYear {
    /// What the download does with Current School Year for Synchronization.
    enum Change: Sendable, Hashable {
        /// Set it: it was 0000-0000 (the seed: set after connectivity is established).
        case set(SchoolYear)
        /// Nothing: PASI names none, or the one already set.
        case keep
        /// PASI names another year than the one set: moving to it is End of Year's work
        /// (``EndOfYear``), which also moves the historical years with it.
        case leftForEndOfYear(held: SchoolYear, pasi: SchoolYear)
    }

    /// - Parameters:
    ///   - held: The setting's value (`nil`: 0000-0000).
    ///   - pasi: The year PASI marks current, if any.
    static func change(held: SchoolYear?, pasi: SchoolYear?) -> Change {
        guard let pasi else { return .keep }
        guard let held else { return .set(pasi) }
        return held == pasi ? .keep : .leftForEndOfYear(held: held, pasi: pasi)
    }

    /// The one year PASI marks Current; `nil` if it marks none.
    /// - Throws: ``JobQueue/JobError/permanent(_:)`` when PASI marks several: which one to use is
    ///   a question for a person, not for a retry.
    static func from(_ years: [AcceptedSchoolYear]) throws -> SchoolYear? {
        let current = Set(years.filter { $0.status == .current }.map(\.schoolYear))
        guard current.count <= 1 else {
            throw JobError.permanent("PASI named \(current.count) current school years (\(current.sorted().map(String.init(describing:)).joined(separator: ", "))); Current School Year for Synchronization is left as it was")
        }
        return current.first
    }
}

extension AcceptedYearStatus {
    init(_ status: SchoolYearStatus) {
        switch status {
        case .current: self = .current
        case .historical: self = .historical
        case .future: self = .future
        }
    }
}
