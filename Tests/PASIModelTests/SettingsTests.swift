import PASIModel
import Testing

@Suite struct SettingsCatalogueTests {
    @Test func everyKeyHasExactlyOneDefinition() {
        let keys = SettingsCatalogue.all.map(\.key)
        #expect(keys.count == SettingKey.allCases.count)
        #expect(Set(keys) == Set(SettingKey.allCases))
    }

    @Test func keysAreSnakeCase() {
        for key in SettingKey.allCases {
            #expect(key.rawValue.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" }, "\(key.rawValue)")
        }
    }

    @Test(arguments: SettingsCatalogue.all)
    func defaultIsValid(definition: SettingDefinition) throws {
        try definition.validate(definition.defaultValue)
        // The stored text form reads back to the same value.
        #expect(try definition.parse(definition.defaultValue.description) == definition.defaultValue)
    }

    @Test(arguments: [
        (SettingKey.maximumAttempts, 1, 100, 50), (.keepSynchronizationHistory, 1, 1000, 100), (.startDelayMinutes, 1, 30, 5),
        (.dataEventsPollingIntervalSeconds, 30, 300, 60), (.dataAvailableWaitTimeMinutes, 1, 30, 5),
        (.webServiceTimeoutMinutes, 1, 30, 10), (.historicalYearsSchoolEnrolment, 0, 2, 0),
        (.historicalYearsDiplomaExam, 0, 2, 0), (.threadCountFactor, 1, 64, 10), (.processes, 1, 64, 10),
    ])
    func integerRangesAndDefaultsFromTheSeed(key: SettingKey, low: Int, high: Int, defaultValue: Int) throws {
        let definition = SettingsCatalogue.definition(for: key)
        #expect(definition.type == .integer(low...high))
        #expect(definition.defaultValue == .integer(defaultValue))
        try definition.validate(.integer(low))
        try definition.validate(.integer(high))
        for bad in [low - 1, high + 1] {
            let error = expectModelError { try SettingsCatalogue.validate(key: key.rawValue, value: .integer(bad)) }
            #expect(error?.description == "\(key.rawValue) must be an integer from \(low) to \(high), got \(bad)")
        }
    }

    @Test func theBriefsExampleMessage() {
        let error = expectModelError { _ = try SettingsCatalogue.parseAssignment(key: "maximum_attempts", text: "0") }
        #expect(error?.description == "maximum_attempts must be an integer from 1 to 100, got 0")
        #expect(error?.code == .outOfRange)
    }

    @Test func choicesAndTheirDefaults() throws {
        let archive = SettingsCatalogue.definition(for: .archiveEventsOlderThanDays)
        #expect(archive.type == .integerChoice([30, 60, 90, 120, 180, 365]))
        #expect(archive.defaultValue == .integer(365))
        #expect(expectModelError { try archive.validate(.integer(100)) }?.description
            == "archive_events_older_than_days must be one of 30, 60, 90, 120, 180, 365, got 100")
        #expect(SettingsCatalogue.definition(for: .hashSchedule).defaultValue == .text("Daily"))
        #expect(try SettingsCatalogue.parseAssignment(key: "hash_schedule", text: "hourly") == .text("Hourly"))
        #expect(expectModelError { _ = try SettingsCatalogue.parseAssignment(key: "hash_schedule", text: "Weekly") }?.description
            == "hash_schedule must be one of Daily, Hourly, got Weekly")
        #expect(SettingsCatalogue.definition(for: .reconciliationScheduleMode).defaultValue == .text("Daily"))
        #expect(SettingsCatalogue.definition(for: .examMarksScheduleMode).defaultValue == .text("Monthly"))
        #expect(SettingsCatalogue.definition(for: .runtimeLogLevel).defaultValue == .text("Minimum"))
        #expect(SettingsCatalogue.definition(for: .eventsLogLevel).type == .choice(["Minimum", "Normal", "Maximum"]))
    }

    @Test func scheduleTimes() throws {
        #expect(SettingsCatalogue.definition(for: .reconciliationScheduleTime).defaultValue.description == "03:00")
        #expect(SettingsCatalogue.definition(for: .examMarksScheduleTime).defaultValue.description == "00:00")
        #expect(SettingsCatalogue.definition(for: .documentSubmissionTime).defaultValue.description == "20:00")
        #expect(try SettingsCatalogue.parseAssignment(key: "reconciliation_schedule_time", text: "4:30") == .time(TimeOfDay(hour: 4, minute: 30)))
        #expect(expectModelError { _ = try SettingsCatalogue.parseAssignment(key: "reconciliation_schedule_time", text: "25:00") }?.description
            == "reconciliation_schedule_time must be a time of day HH:MM, got 25:00")
    }

    @Test func switchesAndTheirDefaults() throws {
        let off: [SettingKey] = [.regularSynchronization, .hashSynchronization, .automaticReconciliation, .automaticExamMarksUpdates,
                                 .singleThreading, .archiveDataEvents, .synchronizationExtractFiles, .synchronizationLog, .messagesLog,
                                 .studentAttachmentsDCFEvents]
        let on: [SettingKey] = [.studentSynchronization, .studentStatusSynchronization, .studentEnrolmentSynchronization,
                                .studentEnrolmentStatusSynchronization, .studentRecordDocumentSynchronization,
                                .studentRecordDocumentDCFEvents, .classroomAccommodationSynchronization,
                                .classroomAccommodationStatusSynchronization, .classroomAccommodationDCFEvents]
        for key in off { #expect(SettingsCatalogue.definition(for: key).defaultValue == .bool(false), "\(key)") }
        for key in on { #expect(SettingsCatalogue.definition(for: key).defaultValue == .bool(true), "\(key)") }
        #expect(try SettingsCatalogue.parseAssignment(key: "regular_synchronization", text: "ON") == .bool(true))
        #expect(try SettingsCatalogue.parseAssignment(key: "regular_synchronization", text: " disabled ") == .bool(false))
        #expect(expectModelError { _ = try SettingsCatalogue.parseAssignment(key: "regular_synchronization", text: "maybe") }?.description
            == "regular_synchronization must be on or off, got maybe")
    }

    @Test func readOnlyFlags() {
        let readOnly = Set(SettingsCatalogue.all.filter(\.isReadOnly).map(\.key))
        #expect(readOnly == [.product, .manufacturer, .build, .version, .currentSchoolYear, .historicalYearsSchoolCourseMarks])
        let error = expectModelError { _ = try SettingsCatalogue.parseAssignment(key: "current_school_year", text: "2018/2019") }
        #expect(error?.code == .readOnlySetting)
        #expect(error?.description == "current_school_year is read-only and cannot be set, got 2018/2019")
    }

    @Test func currentSchoolYearStartsUnknown() throws {
        let definition = SettingsCatalogue.definition(for: .currentSchoolYear)
        #expect(definition.defaultValue.description == "0000-0000")
        #expect(try definition.parse("2017-2018") == .schoolYear(SchoolYear(endYear: 2018)))
        #expect(try definition.parse("0000-0000") == .schoolYear(nil))
    }

    @Test func restartAndOneWayMarkers() {
        let restart = Set(SettingsCatalogue.all.filter(\.needsRestart).map(\.key))
        #expect(restart == [.processAsDistrict])
        let oneWay = Set(SettingsCatalogue.all.filter(\.isOneWayFromPASI).map(\.key))
        #expect(oneWay == [.schoolSynchronization, .schoolAuthoritySynchronization, .codeValueSynchronization, .courseSynchronization,
                           .diplomaExamSynchronization, .studentTranscriptDetailSynchronization])
    }

    @Test func groupsFollowTheSeedsOrder() {
        var seen: [SettingGroup] = []
        for definition in SettingsCatalogue.all where seen.last != definition.group { seen.append(definition.group) }
        #expect(seen == SettingGroup.allCases)
    }

    @Test func callerInformationDefaultsAndRules() throws {
        #expect(SettingsCatalogue.definition(for: .product).defaultValue == .text("pasisync"))
        #expect(SettingsCatalogue.definition(for: .manufacturer).defaultValue == .text("pasisync project"))
        #expect(SettingsCatalogue.definition(for: .version).defaultValue == .text(PasisyncRelease.version))
        let defaults = try SettingsCatalogue.defaults(districtNumber: 1234, divisionName: "Sample School Division")
        #expect(defaults[.localID] == .text("pasisync1234"))
        #expect(defaults[.name] == .text("Sample School Division"))
        #expect(defaults[.maximumAttempts] == .integer(50))
        #expect(defaults.count == SettingKey.allCases.count)
        #expect(expectModelError { _ = try SettingsCatalogue.defaults(districtNumber: 1, divisionName: "Two  Spaces") }?.field == "name")
        #expect(try SettingsCatalogue.parseAssignment(key: "organization_code", text: "A.0042") == .text("A.0042"))
        #expect(expectModelError { _ = try SettingsCatalogue.parseAssignment(key: "organization_code", text: "S.0042") }?.description
            == "organization_code must be an authority code A.NNNN, got S.0042")
        #expect(expectModelError { _ = try SettingsCatalogue.parseAssignment(key: "ip_address", text: String(repeating: "1", count: 51)) }?.field == "ip_address")
    }

    @Test func unknownKeyAndWrongValueKind() {
        let unknown = expectModelError { _ = try SettingsCatalogue.parseAssignment(key: "max_attempts", text: "5") }
        #expect(unknown?.code == .unknownSetting)
        #expect(unknown?.description == "setting must be a known setting key, got max_attempts")
        #expect(expectModelError { try SettingsCatalogue.validate(key: "maximum_attempts", value: .bool(true)) }?.description
            == "maximum_attempts must be an integer from 1 to 100, got on")
        #expect(expectModelError { _ = try SettingsCatalogue.parseAssignment(key: "processes", text: "ten") }?.code == .invalidFormat)
    }
}
