/// Every setting of the seed's Caller Information, Synchronization Settings and Logs
/// pages, with the seed's defaults and ranges.
///
/// The seed's "Run Now" links (Hash On-Demand, Full Reconciliation On-Demand, Exam
/// Marks Updates On-Demand, Archive Events On-Demand) are actions, not settings, and
/// are not listed. Where the seed is silent the choice is stated in the setting's
/// ``SettingDefinition/note``.
public enum SettingsCatalogue {
    /// The schedule modes of the reconciliation and exam-marks runs.
    public static let scheduleModes = ["Daily", "Weekly", "Monthly"]
    /// The log levels. The seed elides the list ("one of the following options") and
    /// names only Minimum; this project uses Minimum, Normal, Maximum.
    public static let logLevels = ["Minimum", "Normal", "Maximum"]
    /// The ages in days after which data events may be archived.
    public static let archiveAgesInDays = [30, 60, 90, 120, 180, 365]

    /// All settings, grouped and ordered as on the seed's pages.
    public static let all: [SettingDefinition] = callerInformation + synchronization + logs + retention

    private static let callerInformation: [SettingDefinition] = [
        .init(.product, "Product", .callerInformation, .text(.pasiString(maxLength: CallerInfoLimits.product)),
              default: .text(PasisyncRelease.product), readOnly: true, note: "This software's name, sent to PASI."),
        .init(.manufacturer, "Manufacturer", .callerInformation, .text(.pasiString(maxLength: CallerInfoLimits.manufacturer)),
              default: .text(PasisyncRelease.manufacturer), readOnly: true),
        .init(.build, "Build", .callerInformation, .text(.pasiString(maxLength: CallerInfoLimits.buildNumber)),
              default: .text(PasisyncRelease.build), readOnly: true),
        .init(.version, "Version", .callerInformation, .text(.pasiString(maxLength: CallerInfoLimits.version)),
              default: .text(PasisyncRelease.version), readOnly: true),
        .init(.localID, "Local ID", .callerInformation, .text(.pasiString(maxLength: CallerInfoLimits.localID)),
              default: .text("pasisync"),
              note: "Installation sets pasisync<district number>; see defaults(districtNumber:divisionName:)."),
        .init(.name, "Name", .callerInformation, .text(.pasiString(maxLength: CallerInfoLimits.name)),
              default: .text(""), note: "Defaults to the school division's name, given at installation."),
        .init(.ipAddress, "IP Address", .callerInformation, .text(.pasiString(maxLength: CallerInfoLimits.ipAddress)),
              default: .text(""), note: "The IP address of the server running the synchronization."),
        .init(.organizationCode, "Organization Code", .callerInformation, .text(.authorityCode),
              default: .text(""), note: "The school authority's code, A.NNNN; empty until configured."),
    ]

    private static let synchronization: [SettingDefinition] = [
        // General
        .init(.eventMonitoring, "Event Monitoring", .general, .bool, default: .bool(false),
              note: "On: the triggers of sis.* write data events from the next statement on (no restart needed). "
                  + "Keep it off during a district Initial Synchronization, which is refused while it is on."),
        .init(.processAsDistrict, "Process as District", .general, .bool, default: .bool(true), restart: true,
              note: "Default not in the seed: on, since regular synchronization also starts off."),
        .init(.maximumAttempts, "Maximum Attempts", .general, .integer(1...100), default: .integer(50)),
        .init(.keepSynchronizationHistory, "Keep Synchronization History", .general, .integer(1...1000), default: .integer(100)),
        .init(.currentSchoolYear, "Current School Year for Synchronization", .general, .schoolYear, default: .schoolYear(nil),
              readOnly: true, note: "Set from PASI's Get Accepted Registration after initial synchronization."),
        .init(.historicalYearsSchoolEnrolment, "Historical Years for School Enrolment Integration", .general, .integer(0...2),
              default: .integer(0), note: "Incremented by the end-of-year process."),
        .init(.historicalYearsSchoolCourseMarks, "Historical Years for School Course Marks Integration", .general, .integer(0...2),
              default: .integer(0), readOnly: true, note: "Default not in the seed: 0, as for school enrolment."),
        .init(.historicalYearsDiplomaExam, "Historical Years for Diploma Exam Integration", .general, .integer(0...2),
              default: .integer(0), note: "Default not in the seed: 0, as for school enrolment."),
        // Regular Synchronization
        .init(.startDelayMinutes, "Start Delay (minutes)", .regularSynchronization, .integer(1...30), default: .integer(5)),
        .init(.dataEventsPollingIntervalSeconds, "PowerSchool Data Events Polling Interval (seconds)", .regularSynchronization,
              .integer(30...300), default: .integer(60), note: "The PASI Readiness team recommends 30."),
        .init(.dataAvailableWaitTimeMinutes, "PASI Data Available Wait Time (minutes)", .regularSynchronization,
              .integer(1...30), default: .integer(5)),
        .init(.webServiceTimeoutMinutes, "PASI Web Service Timeout (minutes)", .regularSynchronization,
              .integer(1...30), default: .integer(10)),
        .init(.regularSynchronization, "Regular Synchronization", .regularSynchronization, .bool, default: .bool(false)),
        // Hash Synchronization
        .init(.hashSynchronization, "Hash Synchronization", .hashSynchronization, .bool, default: .bool(false)),
        .init(.hashSchedule, "Scheduled Time", .hashSynchronization, .choice(["Daily", "Hourly"]), default: .text("Daily"),
              note: "Daily runs at 01:00; Hourly runs on the half hour from 04:00 to 21:00."),
        // Core Alerts Reconciliation
        .init(.automaticReconciliation, "Automatic Reconciliation", .coreAlertsReconciliation, .bool, default: .bool(false)),
        .init(.reconciliationScheduleMode, "Schedule Mode", .coreAlertsReconciliation, .choice(scheduleModes), default: .text("Daily")),
        .init(.reconciliationScheduleTime, "Schedule Time", .coreAlertsReconciliation, .timeOfDay, default: .time(try! TimeOfDay(hour: 3, minute: 0))),
        // Diploma Exam and Official Marks Updates
        .init(.automaticExamMarksUpdates, "Automatic Exam Marks Updates", .diplomaExamAndOfficialMarksUpdates, .bool, default: .bool(false)),
        .init(.examMarksScheduleMode, "Schedule Mode", .diplomaExamAndOfficialMarksUpdates, .choice(scheduleModes), default: .text("Monthly")),
        .init(.examMarksScheduleTime, "Schedule Time", .diplomaExamAndOfficialMarksUpdates, .timeOfDay, default: .time(try! TimeOfDay(hour: 0, minute: 0))),
        .init(.allowCreditUpdate, "Allow Credit Update", .diplomaExamAndOfficialMarksUpdates, .bool, default: .bool(false),
              note: "Default not in the seed: off, so credits change only when a district opts in."),
        // Daily Document Submission Runtime
        .init(.dailyDocumentSubmission, "Daily Document Submission Runtime", .dailyDocumentSubmissionRuntime, .bool, default: .bool(true),
              note: "Default not in the seed: on, as the seed describes it as enabled."),
        .init(.documentSubmissionTime, "Schedule Time", .dailyDocumentSubmissionRuntime, .timeOfDay, default: .time(try! TimeOfDay(hour: 20, minute: 0))),
    ] + items + threadingAndArchiving

    /// The seed's item switches: each says it is enabled (on), except where the seed
    /// says otherwise, and the School Course Marks and Diploma Exam items, which the
    /// seed has a district enable while getting ready (off).
    private static let items: [SettingDefinition] = [
        item(.studentSynchronization, "Student Synchronization", .demographicAndEnrolmentItems, on: true),
        item(.studentStatusSynchronization, "Student Status Synchronization", .demographicAndEnrolmentItems, on: true),
        item(.studentEnrolmentSynchronization, "Student Enrolment Synchronization", .demographicAndEnrolmentItems, on: true),
        item(.studentEnrolmentStatusSynchronization, "Student Enrolment Status Synchronization", .demographicAndEnrolmentItems, on: true),
        item(.studentRecordDocumentSynchronization, "Student Record Document Synchronization", .demographicAndEnrolmentItems, on: true),
        item(.studentRecordDocumentDCFEvents, "Student Record Document DCF Events", .demographicAndEnrolmentItems, on: true),
        item(.classroomAccommodationSynchronization, "Classroom Accommodation Synchronization", .demographicAndEnrolmentItems, on: true),
        item(.classroomAccommodationStatusSynchronization, "Classroom Accommodation Status Synchronization", .demographicAndEnrolmentItems, on: true),
        item(.classroomAccommodationDCFEvents, "Classroom Accommodation DCF Events", .demographicAndEnrolmentItems, on: true),
        item(.studentAttachmentsDCFEvents, "Student Attachments DCF Events", .demographicAndEnrolmentItems, on: false),
        item(.schoolSynchronization, "School Synchronization", .demographicAndEnrolmentItems, on: true, oneWay: true),
        item(.schoolAuthoritySynchronization, "School Authority Synchronization", .demographicAndEnrolmentItems, on: true, oneWay: true),
        item(.codeValueSynchronization, "Code Value Synchronization", .demographicAndEnrolmentItems, on: true, oneWay: true),
        item(.smartAddressMatch, "Smart Address Match", .demographicAndEnrolmentItems, on: true),
        item(.studentDataMigrationCompleted, "Student Data Migration Completed", .demographicAndEnrolmentItems, on: false,
             note: "A marker that the student custom fields were migrated; off until someone says so."),
        item(.courseSynchronization, "Course Synchronization", .schoolCourseMarksItems, on: false, oneWay: true),
        item(.courseEnrolmentSynchronization, "Course Enrolment Synchronization", .schoolCourseMarksItems, on: false),
        item(.courseEnrolmentStatusSynchronization, "Course Enrolment Status Synchronization", .schoolCourseMarksItems, on: false),
        item(.evaluatedMarkSynchronization, "Evaluated Mark Synchronization", .schoolCourseMarksItems, on: false),
        item(.evaluatedMarkStatusSynchronization, "Evaluated Mark Status Synchronization", .schoolCourseMarksItems, on: false),
        item(.sectionSynchronization, "Section Synchronization", .schoolCourseMarksItems, on: false),
        item(.sectionStatusSynchronization, "Section Status Synchronization", .schoolCourseMarksItems, on: false),
        item(.diplomaExamSynchronization, "Diploma Exam Synchronization", .diplomaExamItems, on: false, oneWay: true),
        item(.diplomaExamMarkSynchronization, "Diploma Exam Mark Synchronization", .diplomaExamItems, on: false),
        item(.diplomaExamSittingSynchronization, "Diploma Exam Sitting Synchronization", .diplomaExamItems, on: false),
        item(.diplomaExamMarkDCFEvent, "Diploma Exam Mark DCF Event", .diplomaExamItems, on: false),
        item(.diplomaExamSittingDCFEvent, "Diploma Exam Sitting DCF Event", .diplomaExamItems, on: false),
        item(.studentTranscriptDetailSynchronization, "Student Transcript Detail Synchronization", .diplomaExamItems, on: false, oneWay: true),
    ]

    private static let threadingAndArchiving: [SettingDefinition] = [
        .init(.singleThreading, "Single Threading", .threading, .bool, default: .bool(false)),
        .init(.threadCountFactor, "Thread Count Factor", .threading, .integer(1...64), default: .integer(10),
              note: "The seed gives no range; 1–64 is this project's choice."),
        .init(.processes, "Processes", .threading, .integer(1...64), default: .integer(10),
              note: "Simultaneous connections to PASI. The seed gives no range; 1–64 is this project's choice."),
        .init(.archiveDataEvents, "Archive Data Events", .archiving, .bool, default: .bool(false),
              note: "When on, archiving runs as a daily maintenance process."),
        .init(.archiveEventsOlderThanDays, "Archive Events Older Than", .archiving, .integerChoice(archiveAgesInDays), default: .integer(365)),
    ]

    private static let logs: [SettingDefinition] = [
        .init(.synchronizationExtractFiles, "Synchronization Extract files", .logs, .bool, default: .bool(false),
              note: "Writes the tab-delimited difference files after initial or hash synchronization."),
        .init(.runtimeLogLevel, "Runtime Log", .logs, .choice(logLevels), default: .text("Minimum")),
        .init(.synchronizationLog, "Synchronization Log", .logs, .bool, default: .bool(false)),
        .init(.messagesLog, "Messages Log", .logs, .bool, default: .bool(false)),
        .init(.eventsLogLevel, "Events Log", .logs, .choice(logLevels), default: .text("Minimum")),
    ]

    /// What the software keeps about children for itself, and for how long (issue 22: a trusted
    /// system keeps personal data no longer than it needs it). Not in the seed; the ranges and
    /// defaults are this project's. The Retention process (daily) deletes what is older.
    private static let retention: [SettingDefinition] = [
        .init(.keepMessageBodiesDays, "Keep Message Bodies (days)", .retention, .integer(1...365), default: .integer(30),
              note: "The request and response bodies in the messages log hold names, birth dates and addresses; the log's rows stay."),
        .init(.keepMessagesLogDays, "Keep Messages Log (days)", .retention, .integer(30...3650), default: .integer(400),
              note: "The log of calls to PASI (ClientMessageID, operation, outcome): a year and a month by default, for a school year's questions."),
        .init(.keepJobFilesDays, "Keep Job Files (days)", .retention, .integer(1...3650), default: .integer(90),
              note: "The extract and report files of Initial and Hash Synchronization and the Initial Upload hold names, birth dates and document numbers."),
        .init(.keepArchivedEventsDays, "Keep Archived Events (days)", .retention, .integer(30...3650), default: .integer(730),
              note: "Counted from when an event was archived (Archive Events Older Than)."),
        .init(.keepFinishedJobsDays, "Keep Finished Jobs (days)", .retention, .integer(1...3650), default: .integer(90),
              note: "Completed, failed and cancelled jobs, with their arguments and errors; Keep Synchronization History may remove them sooner."),
    ]

    private static func item(_ key: SettingKey, _ label: String, _ group: SettingGroup, on: Bool, oneWay: Bool = false, note: String? = nil) -> SettingDefinition {
        SettingDefinition(key, label, group, .bool, default: .bool(on), oneWay: oneWay, note: note)
    }

    private static let byKey: [SettingKey: SettingDefinition] = Dictionary(uniqueKeysWithValues: all.map { ($0.key, $0) })

    /// The definition of a setting.
    /// - Parameter key: The setting's key.
    public static func definition(for key: SettingKey) -> SettingDefinition {
        // Every key has a definition; the tests check the catalogue is complete.
        byKey[key]!
    }

    /// The definition of a setting named by its text key.
    /// - Parameter key: The snake_case key, e.g. `maximum_attempts`.
    /// - Throws: ``PASIModelError`` with code `unknownSetting`.
    public static func definition(for key: String) throws(PASIModelError) -> SettingDefinition {
        guard let known = SettingKey(rawValue: key) else {
            throw PASIModelError(.unknownSetting, field: "setting", expectation: "must be a known setting key", value: key)
        }
        return definition(for: known)
    }

    /// Checks a value for a setting.
    /// - Parameters:
    ///   - key: The snake_case key.
    ///   - value: The value.
    /// - Throws: ``PASIModelError`` naming the key and its allowed values.
    public static func validate(key: String, value: SettingValue) throws(PASIModelError) {
        try definition(for: key).validate(value)
    }

    /// Reads a value a person typed for a setting (`settings set KEY VALUE`), refusing
    /// read-only settings.
    /// - Parameters:
    ///   - key: The snake_case key.
    ///   - text: The value as typed.
    /// - Throws: ``PASIModelError`` with code `unknownSetting`, `readOnlySetting` or a
    ///   refusal naming the key and its allowed values.
    public static func parseAssignment(key: String, text: String) throws(PASIModelError) -> SettingValue {
        let definition = try definition(for: key)
        if definition.isReadOnly {
            throw PASIModelError(.readOnlySetting, field: key, expectation: "is read-only and cannot be set", value: text)
        }
        return try definition.parse(text)
    }

    /// The default of every setting for an installation, with the caller information
    /// derived from the district: Local ID `pasisync<district number>` and Name the
    /// school division's name.
    /// - Parameters:
    ///   - districtNumber: The district's number in the SIS.
    ///   - divisionName: The school division's name.
    /// - Throws: ``PASIModelError`` if the derived Local ID or the name is not a valid value.
    public static func defaults(districtNumber: Int, divisionName: String) throws(PASIModelError) -> [SettingKey: SettingValue] {
        var values = byKey.mapValues(\.defaultValue)
        let localID = SettingValue.text(CallerInfo.User.defaultLocalID(districtNumber: districtNumber))
        try definition(for: .localID).validate(localID)
        try definition(for: .name).validate(.text(divisionName))
        values[.localID] = localID
        values[.name] = .text(divisionName)
        return values
    }
}
