/// The stable key of every setting; the raw value is the snake_case name used in the
/// settings table and in `settings set KEY VALUE`. Never rename a raw value: stored
/// settings are keyed by it.
public enum SettingKey: String, Sendable, Hashable, Codable, CaseIterable {
    // Caller Information
    /// Product.
    case product
    /// Manufacturer.
    case manufacturer
    /// Build.
    case build
    /// Version.
    case version
    /// Local ID.
    case localID = "local_id"
    /// Name.
    case name
    /// IP Address.
    case ipAddress = "ip_address"
    /// Organization Code.
    case organizationCode = "organization_code"

    // General
    /// Event Monitoring.
    case eventMonitoring = "event_monitoring"
    /// Process as District.
    case processAsDistrict = "process_as_district"
    /// Maximum Attempts.
    case maximumAttempts = "maximum_attempts"
    /// Keep Synchronization History.
    case keepSynchronizationHistory = "keep_synchronization_history"
    /// Current School Year for Synchronization.
    case currentSchoolYear = "current_school_year"
    /// Historical Years for School Enrolment Integration.
    case historicalYearsSchoolEnrolment = "historical_years_school_enrolment"
    /// Historical Years for School Course Marks Integration.
    case historicalYearsSchoolCourseMarks = "historical_years_school_course_marks"
    /// Historical Years for Diploma Exam Integration.
    case historicalYearsDiplomaExam = "historical_years_diploma_exam"

    // Regular Synchronization
    /// Start Delay (minutes).
    case startDelayMinutes = "start_delay_minutes"
    /// PowerSchool Data Events Polling Interval (seconds).
    case dataEventsPollingIntervalSeconds = "data_events_polling_interval_seconds"
    /// PASI Data Available Wait Time (minutes).
    case dataAvailableWaitTimeMinutes = "data_available_wait_time_minutes"
    /// PASI Web Service Timeout (minutes).
    case webServiceTimeoutMinutes = "web_service_timeout_minutes"
    /// Regular Synchronization on/off.
    case regularSynchronization = "regular_synchronization"

    // Hash Synchronization
    /// Hash Synchronization on/off.
    case hashSynchronization = "hash_synchronization"
    /// Hash Synchronization Scheduled Time (Daily or Hourly).
    case hashSchedule = "hash_schedule"

    // Core Alerts Reconciliation
    /// Automatic Reconciliation on/off.
    case automaticReconciliation = "automatic_reconciliation"
    /// Reconciliation Schedule Mode.
    case reconciliationScheduleMode = "reconciliation_schedule_mode"
    /// Reconciliation Schedule Time.
    case reconciliationScheduleTime = "reconciliation_schedule_time"

    // Diploma Exam and Official Marks Updates
    /// Automatic Exam Marks Updates on/off.
    case automaticExamMarksUpdates = "automatic_exam_marks_updates"
    /// Exam Marks Updates Schedule Mode.
    case examMarksScheduleMode = "exam_marks_schedule_mode"
    /// Exam Marks Updates Schedule Time.
    case examMarksScheduleTime = "exam_marks_schedule_time"
    /// Allow Credit Update.
    case allowCreditUpdate = "allow_credit_update"

    // Daily Document Submission Runtime
    /// Daily Document Submission Runtime on/off.
    case dailyDocumentSubmission = "daily_document_submission"
    /// Daily Document Submission Schedule Time.
    case documentSubmissionTime = "document_submission_time"

    // Demographic and Enrolment Items
    /// Student Synchronization.
    case studentSynchronization = "student_synchronization"
    /// Student Status Synchronization.
    case studentStatusSynchronization = "student_status_synchronization"
    /// Student Enrolment Synchronization.
    case studentEnrolmentSynchronization = "student_enrolment_synchronization"
    /// Student Enrolment Status Synchronization.
    case studentEnrolmentStatusSynchronization = "student_enrolment_status_synchronization"
    /// Student Record Document Synchronization.
    case studentRecordDocumentSynchronization = "student_record_document_synchronization"
    /// Student Record Document DCF Events.
    case studentRecordDocumentDCFEvents = "student_record_document_dcf_events"
    /// Classroom Accommodation Synchronization.
    case classroomAccommodationSynchronization = "classroom_accommodation_synchronization"
    /// Classroom Accommodation Status Synchronization.
    case classroomAccommodationStatusSynchronization = "classroom_accommodation_status_synchronization"
    /// Classroom Accommodation DCF Events.
    case classroomAccommodationDCFEvents = "classroom_accommodation_dcf_events"
    /// Student Attachments DCF Events.
    case studentAttachmentsDCFEvents = "student_attachments_dcf_events"
    /// School Synchronization.
    case schoolSynchronization = "school_synchronization"
    /// School Authority Synchronization.
    case schoolAuthoritySynchronization = "school_authority_synchronization"
    /// Code Value Synchronization.
    case codeValueSynchronization = "code_value_synchronization"
    /// Smart Address Match.
    case smartAddressMatch = "smart_address_match"
    /// Student Data Migration Completed.
    case studentDataMigrationCompleted = "student_data_migration_completed"

    // School Course Marks Items
    /// Course Synchronization.
    case courseSynchronization = "course_synchronization"
    /// Course Enrolment Synchronization.
    case courseEnrolmentSynchronization = "course_enrolment_synchronization"
    /// Course Enrolment Status Synchronization.
    case courseEnrolmentStatusSynchronization = "course_enrolment_status_synchronization"
    /// Evaluated Mark Synchronization.
    case evaluatedMarkSynchronization = "evaluated_mark_synchronization"
    /// Evaluated Mark Status Synchronization.
    case evaluatedMarkStatusSynchronization = "evaluated_mark_status_synchronization"
    /// Section Synchronization.
    case sectionSynchronization = "section_synchronization"
    /// Section Status Synchronization.
    case sectionStatusSynchronization = "section_status_synchronization"

    // Diploma Exam Items
    /// Diploma Exam Synchronization.
    case diplomaExamSynchronization = "diploma_exam_synchronization"
    /// Diploma Exam Mark Synchronization.
    case diplomaExamMarkSynchronization = "diploma_exam_mark_synchronization"
    /// Diploma Exam Sitting Synchronization.
    case diplomaExamSittingSynchronization = "diploma_exam_sitting_synchronization"
    /// Diploma Exam Mark DCF Event.
    case diplomaExamMarkDCFEvent = "diploma_exam_mark_dcf_event"
    /// Diploma Exam Sitting DCF Event.
    case diplomaExamSittingDCFEvent = "diploma_exam_sitting_dcf_event"
    /// Student Transcript Detail Synchronization.
    case studentTranscriptDetailSynchronization = "student_transcript_detail_synchronization"

    // Threading
    /// Single Threading.
    case singleThreading = "single_threading"
    /// Thread Count Factor.
    case threadCountFactor = "thread_count_factor"
    /// Processes.
    case processes

    // Archiving
    /// Archive Data Events on/off.
    case archiveDataEvents = "archive_data_events"
    /// Archive Events Older Than (days).
    case archiveEventsOlderThanDays = "archive_events_older_than_days"

    // Logs
    /// Synchronization Extract files.
    case synchronizationExtractFiles = "synchronization_extract_files"
    /// Runtime Log level.
    case runtimeLogLevel = "runtime_log_level"
    /// Synchronization Log on/off.
    case synchronizationLog = "synchronization_log"
    /// Messages Log on/off.
    case messagesLog = "messages_log"
    /// Events Log level.
    case eventsLogLevel = "events_log_level"

    // Retention (this project's): days before the Retention process deletes what it keeps.
    /// Keep Message Bodies (days): the request and response of each call in the messages log.
    case keepMessageBodiesDays = "keep_message_bodies_days"
    /// Keep Messages Log (days): the log of calls itself (ClientMessageID, outcome, fault code).
    case keepMessagesLogDays = "keep_messages_log_days"
    /// Keep Job Files (days): the extract and report files jobs write.
    case keepJobFilesDays = "keep_job_files_days"
    /// Keep Archived Events (days): the archived data events.
    case keepArchivedEventsDays = "keep_archived_events_days"
    /// Keep Finished Jobs (days): completed, failed and cancelled jobs, with their arguments and errors.
    case keepFinishedJobsDays = "keep_finished_jobs_days"
}
