import JobQueue
import Logging
import PASIModel
import SyncStore

/// Diploma Exam and Official Marks Updates: looks at the local copy and, for every diploma exam
/// mark PASI updated since the last run, writes the Diploma Exam Mark, the Official Mark and
/// (only when Allow Credit Update is on) the Credits into the stored grade under the term's Final
/// Mark Store Code of the course enrolment that meets the seed's seven criteria
/// (``SyncStore/DiplomaExamsStore/applyExamMarks(schoolYear:allowCreditUpdate:jobID:)``). It
/// reads no PASI service: the DER Initial Download and the regular synchronization of diploma
/// exam marks fill the local copy. On demand (`pasisync run exam-marks-update`, always
/// available) and monthly (or as set) while Automatic Exam Marks Updates is on (its schedule follows the settings: `sync.apply_schedules`).
public struct ExamMarksUpdate: SyncJob {
    public typealias Arguments = NoArguments
    public static let kind = "exam_marks_update"
    public static let title = "Exam Marks Updates"

    /// The seed's words when the synchronization it reads is off.
    static let inactiveReason = "Diploma Exam and Official Mark Synchronization must be active in order for this process to run."
    /// The Diploma Exam Items that make it active: the exams and their marks come from PASI.
    static let requiredItems: [SettingKey] = [.diplomaExamSynchronization, .diplomaExamMarkSynchronization]

    let environment: SyncEnvironment

    public init(environment: SyncEnvironment) {
        self.environment = environment
    }

    public func run(_ arguments: NoArguments, context: SyncJobContext) async throws {
        let settings = environment.settings
        var off: [String] = []
        for key in Self.requiredItems where try await settings.value(of: key) != .bool(true) {
            off.append(SettingsCatalogue.definition(for: key).label)
        }
        guard off.isEmpty else {
            throw JobError.permanent("\(Self.inactiveReason) Off under Diploma Exam Items: \(off.joined(separator: ", ")).")
        }
        guard case .schoolYear(let year?) = try await settings.value(of: .currentSchoolYear) else {
            throw JobError.permanent("Current School Year for Synchronization is 0000-0000: run the code values download first (pasisync run code-values)")
        }
        let allowCredits = try await settings.value(of: .allowCreditUpdate) == .bool(true)
        let store = DiplomaExamsStore(client: environment.client, logger: context.logger)
        let result = try await store.applyExamMarks(schoolYear: year, allowCreditUpdate: allowCredits, jobID: context.job.id)
        try await context.progress(done: Int64(result.marksRead), total: Int64(result.marksRead), message: Self.report(result, year: year, allowCredits: allowCredits))
        context.logger.info("exam marks updates", metadata: [
            "marks": "\(result.marksRead)", "grades": "\(result.gradesUpdated)", "credits": "\(result.creditsUpdated)", "held": "\(result.heldByPSUpdated)",
            "high_water": "\(result.highWater)",
        ])
    }

    /// "2025-2026: 12 diploma exam mark(s) updated by PASI since the last run; 9 stored grade(s) updated, credits of 9",
    /// and, when some were, "; 1 left alone: Transcript or Diploma Mark PS_UPDATED is set".
    static func report(_ result: ExamMarksUpdateResult, year: SchoolYear, allowCredits: Bool) -> String {
        "\(year): \(result.marksRead) diploma exam mark(s) updated by PASI since the last run; \(result.gradesUpdated) stored grade(s) updated"
            + (allowCredits ? ", credits of \(result.creditsUpdated)" : ", credits left alone (Allow Credit Update is off)")
            + (result.heldByPSUpdated > 0 ? "; \(result.heldByPSUpdated) left alone: Transcript or Diploma Mark PS_UPDATED is set" : "")
    }
}
