import JobQueue
import PASIModel
import SyncStore

/// The years of synchronization: the current school year, the next one when PASI accepts
/// pre-registered enrolments for it, and as many historical years before the current one as
/// Historical Years for School Enrolment Integration says (the seed's Synchronization Settings).
struct SynchronizationYears: Sendable, Hashable {
    let current: SchoolYear
    let years: [SchoolYear]

    /// - Parameters:
    ///   - current: Current School Year for Synchronization.
    ///   - accepted: The school years PASI accepts (GetCodeValues), with their status.
    ///   - historical: Historical Years for School Enrolment Integration, 0 to 2.
    init(current: SchoolYear, accepted: [(SchoolYear, AcceptedYearStatus)], historical: Int) {
        self.current = current
        var years: [SchoolYear] = [current]
        var year = current
        for _ in 0..<max(0, historical) {
            guard let previous = year.previous else { break }
            years.insert(previous, at: 0)
            year = previous
        }
        if let next = current.next, accepted.contains(where: { $0.0 == next && $0.1 == .future }) { years.append(next) }
        self.years = years
    }

    /// The years from the settings and the accepted years held.
    /// - Throws: ``JobQueue/JobError/permanent(_:)`` while Current School Year for Synchronization
    ///   is 0000-0000: the code values download sets it.
    static func fromSettings(_ environment: SyncEnvironment) async throws -> SynchronizationYears {
        guard case .schoolYear(let current?) = try await environment.settings.value(of: .currentSchoolYear) else {
            throw JobError.permanent("Current School Year for Synchronization is 0000-0000: run the code values download first (pasisync run code-values)")
        }
        let historical: Int
        if case .integer(let value) = try await environment.settings.value(of: .historicalYearsSchoolEnrolment) { historical = value } else { historical = 0 }
        return SynchronizationYears(current: current, accepted: try await environment.codeValues.acceptedYears(), historical: historical)
    }

    /// The diploma years: the current school year and, before it, as many as Historical Years for
    /// Diploma Exam Integration says (0 to 2), oldest first; never the next year (exams are not
    /// pre-registered). What the DER Initial Download loads and PASI Data Available polls.
    static func diplomaYears(current: SchoolYear, _ environment: SyncEnvironment) async throws -> [SchoolYear] {
        let historical: Int
        if case .integer(let value) = try await environment.settings.value(of: .historicalYearsDiplomaExam) { historical = value } else { historical = 0 }
        return SynchronizationYears(current: current, accepted: [], historical: historical).years
    }
}
