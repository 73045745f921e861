import Foundation
import JobQueue
import Logging
import PASIModel
import SyncStore

/// End of Year (EOY): the new school year becomes Current School Year for Synchronization and
/// Historical Years for School Enrolment Integration goes up by one (the seed: "This value
/// automatically increments each year during the End of Year (EOY) Process"), so that the year
/// that just ended is still synchronized as the first historical year. On demand only:
/// `pasisync run end-of-year`.
///
/// The new year is PASI's: the run first downloads the code values and accepted school years
/// (``CodeValues``), and goes on only when PASI names as current a school year after the one set.
/// Until then it is refused, permanently and saying so, and nothing changes. Once a current year
/// is set, the daily code values download leaves it alone and says that End of Year moves it; the
/// two settings and the row of `sync.end_of_year_runs` are written in one transaction.
///
/// Historical Years is at most 2 (the seed: "Up to 2 years"): at 2 it stays 2, and the oldest
/// historical year drops out of the synchronization; the progress message says which.
public struct EndOfYear: SyncJob {
    public typealias Arguments = NoArguments
    public static let kind = "end_of_year"
    public static let title = "End of Year"

    let environment: SyncEnvironment

    public init(environment: SyncEnvironment) {
        self.environment = environment
    }

    public func run(_ arguments: NoArguments, context: SyncJobContext) async throws {
        let settings = environment.settings
        guard case .schoolYear(let held) = try await settings.value(of: .currentSchoolYear),
              case .integer(let historical) = try await settings.value(of: .historicalYearsSchoolEnrolment) else {
            throw JobError.permanent("the settings hold no school year or no number of historical years: run pasisync migrate")
        }
        try await context.progress(done: 0, total: 2, message: "asking PASI for its accepted school years")
        let pasiCurrent = try await CodeValues.download(environment: environment, context: context, reportProgress: false)
        let plan: EndOfYearPlan
        do {
            plan = try EndOfYearPlan(held: held, pasiCurrent: pasiCurrent, historical: historical)
        } catch {
            throw JobError.permanent(error.description)
        }
        try await context.progress(done: 1, total: 2, message: "moving to \(plan.rollover.schoolYear)")
        do {
            try await EndOfYearStore(client: environment.client, logger: context.logger)
                .rollOver(plan.rollover, by: Self.kind, jobID: context.job.id)
        } catch let error as SyncStoreError where error.code == .conflict {
            throw JobError.permanent(error.message)
        }
        try await context.progress(done: 2, total: 2, message: plan.summary)
        context.logger.info("end of year done", metadata: [
            "school_year": "\(plan.rollover.schoolYear)", "historical_years": "\(plan.rollover.historicalAfter)"])
    }
}

/// Why End of Year does nothing now, in words for the person who ran it.
struct EndOfYearRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    let description: String
}

/// What End of Year changes, worked out from the settings and PASI's current school year.
struct EndOfYearPlan: Sendable, Hashable {
    /// The most historical years the seed allows.
    static let maximumHistoricalYears = 2

    let rollover: EndOfYearRollover

    /// - Parameters:
    ///   - held: Current School Year for Synchronization before the run (`nil`: 0000-0000).
    ///   - pasiCurrent: The school year PASI names current now (`nil`: none).
    ///   - historical: Historical Years for School Enrolment Integration before the run.
    /// - Throws: ``EndOfYearRefusal`` when there is no newer year to move to.
    init(held: SchoolYear?, pasiCurrent: SchoolYear?, historical: Int) throws(EndOfYearRefusal) {
        guard let pasiCurrent else {
            throw EndOfYearRefusal(description: "End of Year refused: PASI names no current school year, so there is no new school year to move to")
        }
        guard let held else {
            throw EndOfYearRefusal(description: "End of Year refused: Current School Year for Synchronization was 0000-0000, so no school year has ended; the code values download has now set it to \(pasiCurrent)")
        }
        guard pasiCurrent > held else {
            throw EndOfYearRefusal(description: "End of Year refused: PASI does not yet name a school year after \(held) as current (PASI's current school year is \(pasiCurrent)); run it again once PASI opens the new school year")
        }
        // Usually one year; if End of Year was skipped a year, the years in between stay
        // historical too, as far as the maximum allows.
        let gap = pasiCurrent.endYear - held.endYear
        let after = min(Self.maximumHistoricalYears, max(0, historical) + gap)
        rollover = EndOfYearRollover(schoolYear: pasiCurrent, previousYear: held, historicalBefore: historical, historicalAfter: after)
    }

    /// The years synchronized afterwards, oldest first (current and historical; the next year's
    /// pre-registrations come on top when PASI accepts them).
    var yearsAfter: [SchoolYear] {
        var years = [rollover.schoolYear]
        for _ in 0..<rollover.historicalAfter {
            guard let previous = years[0].previous else { break }
            years.insert(previous, at: 0)
        }
        return years
    }

    /// The job's last progress message.
    var summary: String {
        let rollover = self.rollover
        let historical = rollover.historicalAfter == rollover.historicalBefore
            ? "Historical Years for School Enrolment Integration stays at \(rollover.historicalAfter), the most PASI synchronizes"
            : "Historical Years for School Enrolment Integration \(rollover.historicalBefore) → \(rollover.historicalAfter)"
        var dropped = ""
        if let previous = rollover.previousYear,
           let oldest = yearsAfter.first, rollover.historicalAfter == Self.maximumHistoricalYears {
            let first = previous.endYear - rollover.historicalBefore
            let gone = first < oldest.endYear ? (first..<oldest.endYear).compactMap { try? SchoolYear(endYear: $0) } : []
            if !gone.isEmpty { dropped = "; no longer synchronized: \(gone.map(\.description).joined(separator: ", "))" }
        }
        return "End of Year done: Current School Year for Synchronization \(SettingValue.schoolYear(rollover.previousYear)) → \(SettingValue.schoolYear(rollover.schoolYear)); \(historical); synchronized years \(yearsAfter.map(\.description).joined(separator: ", "))\(dropped)"
    }
}
