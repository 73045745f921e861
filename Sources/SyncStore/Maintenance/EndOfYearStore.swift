import Foundation
public import Logging
public import PASIModel
public import PostgresNIO

/// One End of Year as `sync.end_of_year_runs` keeps it.
public struct EndOfYearRollover: Sendable, Hashable {
    /// The school year that became current.
    public var schoolYear: SchoolYear
    /// The one that was current before; `nil` when none was set.
    public var previousYear: SchoolYear?
    /// Historical Years for School Enrolment Integration before and after.
    public var historicalBefore: Int
    public var historicalAfter: Int

    /// Creates a roll-over.
    public init(schoolYear: SchoolYear, previousYear: SchoolYear?, historicalBefore: Int, historicalAfter: Int) {
        self.schoolYear = schoolYear
        self.previousYear = previousYear
        self.historicalBefore = historicalBefore
        self.historicalAfter = historicalAfter
    }
}

/// Writes End of Year: Current School Year for Synchronization, Historical Years for School
/// Enrolment Integration and the run's row, together.
public struct EndOfYearStore: Sendable {
    /// The client every statement runs on.
    public let client: PostgresClient
    /// The logger statements log to.
    public let logger: Logger

    /// Creates a store.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Rolls the synchronization over to `rollover.schoolYear` in one transaction: both settings
    /// (as the software, `updated_by` = `process`) and the row of `sync.end_of_year_runs`.
    /// - Parameters:
    ///   - rollover: What changes.
    ///   - process: Who changes it, for `updated_by`.
    ///   - jobID: The End of Year job.
    /// - Throws: ``SyncStoreError`` with code `.conflict` when Current School Year for
    ///   Synchronization is no longer `rollover.previousYear` (something else moved it meanwhile)
    ///   or that year was rolled over to already; database errors.
    public func rollOver(_ rollover: EndOfYearRollover, by process: String, jobID: Int64?) async throws {
        let previous = SettingValue.schoolYear(rollover.previousYear).description
        let current = SettingValue.schoolYear(rollover.schoolYear).description
        let logger = logger
        try await client.inTransaction(logger: logger) { connection in
            // Local to the transaction: lets sync.settings' trigger accept the read-only key.
            try await connection.query("SELECT set_config('pasisync.system', 'on', true)", logger: logger)
            try await connection.query("SELECT set_config('pasisync.updated_by', \(process), true)", logger: logger)
            let done = try await connection.query("""
                SELECT 1 FROM sync.end_of_year_runs WHERE school_year = \(rollover.schoolYear.endYear) FOR UPDATE
                """, logger: logger)
            for try await _ in done {
                throw SyncStoreError(.conflict, "End of Year to \(current) was done already (sync.end_of_year_runs)")
            }
            let moved = try await connection.query("""
                UPDATE sync.settings SET value = \(current), updated_by = \(process)
                WHERE key = 'current_school_year' AND value = \(previous)
                RETURNING 1
                """, logger: logger)
            var changed = false
            for try await _ in moved { changed = true }
            guard changed else {
                throw SyncStoreError(.conflict, "Current School Year for Synchronization is no longer \(previous): it changed while End of Year ran")
            }
            try await connection.query("""
                UPDATE sync.settings SET value = \(String(rollover.historicalAfter)), updated_by = \(process)
                WHERE key = 'historical_years_school_enrolment'
                """, logger: logger)
            try await connection.query("""
                INSERT INTO sync.end_of_year_runs (school_year, previous_year, historical_before, historical_after, job_id)
                VALUES (\(rollover.schoolYear.endYear), \(rollover.previousYear?.endYear), \(rollover.historicalBefore),
                        \(rollover.historicalAfter), \(jobID))
                """, logger: logger)
        }
    }
}
