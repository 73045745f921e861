import ArgumentParser
import PASIModel
import SyncStore

/// `pasisync schools`: the schools with their Course Mark Integration Status (the seed's PASI
/// Configuration page), and its Update Integration Status.
struct Schools: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the schools with their Course Mark Integration Status, or update it.",
        discussion: """
            Blank means Inactive. The same in psql:
              SELECT * FROM sync.school_integration_status;
              UPDATE sis.schools SET course_mark_integration_status = 'Inactive' WHERE school_code = '1042';
            The seed's order for a high school: verify it is Inactive, set up Years & Terms, run the \
            PASI Data Validations (pasisync validate school-terms), run the Initial Upload, then set it Active.
            """,
        subcommands: [List.self, SetIntegrationStatus.self],
        defaultSubcommand: List.self
    )

    /// `pasisync schools [list]`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the schools by code with their Course Mark Integration Status (the default subcommand).",
            discussion: "The same in psql: SELECT * FROM sync.school_integration_status;")

        @OptionGroup var database: DatabaseOptions

        @Flag(help: "Only the high schools (those the Initial Upload is for).")
        var highSchools = false

        func run() async throws {
            let highSchools = self.highSchools
            let schools = try await database.withClient(label: "pasisync.schools") { client, logger in
                try await SchoolCourseMarksStore(client: client, logger: logger).schools()
            }.filter { !highSchools || $0.isHighSchool }
            guard !schools.isEmpty else {
                print(highSchools ? "no high schools" : "no schools")
                return
            }
            var rows = [["CODE", "NAME", "HIGH SCHOOL", "COURSE MARK INTEGRATION STATUS"]]
            for school in schools {
                rows.append([school.schoolCode, school.name, school.isHighSchool ? "yes" : "no", SchoolsText.status(school)])
            }
            print(QueueTable.table(rows), terminator: "")
        }
    }

    /// `pasisync schools set-integration-status CODE Active|Inactive`: the seed's Update Integration Status.
    struct SetIntegrationStatus: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-integration-status",
            abstract: "Set a school's Course Mark Integration Status to Active or Inactive (Update Integration Status).",
            discussion: """
                Active is refused for a school that is not a high school, for one whose PASI Data \
                Validations fail (pasisync validate school-terms --school CODE), and for one whose Initial \
                Upload has not completed for Sections, Course Enrollments and Evaluated Marks \
                (pasisync run initial-upload). Inactive stops the data \
                events of the school's sections, course enrolments and evaluated marks: changes made while \
                it is Inactive are not synchronized to PASI later. Course information is synchronized \
                whatever the status. It takes effect from the next statement on.
                The same in psql (the Initial Upload is checked by a trigger; the other checks are the command's):
                  UPDATE sis.schools SET course_mark_integration_status = 'Active' WHERE school_code = '1042';
                """)

        @OptionGroup var database: DatabaseOptions

        @Argument(help: ArgumentHelp("The school's four-digit code.", valueName: "code"))
        var code: String

        @Argument(help: ArgumentHelp("Active or Inactive.", valueName: "status"))
        var status: String

        func validate() throws {
            do {
                _ = try OrganizationNumber(code, field: "school code")
                _ = try CourseMarkIntegrationStatus(typed: status)
            } catch {
                throw ValidationError(error.description)
            }
        }

        func run() async throws {
            let code = self.code
            let status = try CourseMarkIntegrationStatus(typed: self.status)
            let message = try await database.withClient(label: "pasisync.schools") { client, logger -> String in
                let store = SchoolCourseMarksStore(client: client, logger: logger)
                guard let school = try await store.schools(code: code).first else {
                    throw CommandFailure("no school has code \(code) (pasisync schools lists them)")
                }
                if status == .active {
                    let terms = try await store.termSetups(schoolCode: code)
                    try SchoolsText.checkCanBeActive(school, failures: SchoolTermValidations.validate(terms))
                    let completed = try await InitialUploadStore(client: client, logger: logger).completedTypes(schoolCode: code)
                    if let refusal = InitialUploadCheck.activeRefusal(
                        schoolCode: code, completed: Set(InitialUploadType.allCases.filter { completed.contains($0.seedName) })) {
                        throw CommandFailure(refusal)
                    }
                }
                if school.status == status, !school.isBlank {
                    return "school \(code) (\(school.name)) is already \(status); nothing changed"
                }
                _ = try await store.setIntegrationStatus(schoolCode: code, to: status)
                let monitoring = try await SettingsStore(client: client, logger: logger).value(of: .eventMonitoring)
                return SchoolsText.changed(school, to: status, eventMonitoring: monitoring == .bool(true))
            }
            print(message)
        }
    }
}

/// What `pasisync schools` says.
enum SchoolsText {
    /// The status as listed: `Active`, `Inactive`, or `Inactive (blank)`.
    static func status(_ school: SchoolIntegration) -> String {
        school.isBlank ? "Inactive (blank)" : school.status.rawValue
    }

    /// Refuses Active for a school the seed's steps have not made ready.
    static func checkCanBeActive(_ school: SchoolIntegration, failures: [SchoolTermFailure]) throws {
        guard school.isHighSchool else {
            throw CommandFailure("""
                refused: school \(school.schoolCode) (\(school.name)) is not a high school; only high schools \
                synchronize school course marks (the Initial Upload page lists the high schools)
                """)
        }
        guard failures.isEmpty else {
            let incidents = failures.reduce(0) { $0 + $1.incidents.count }
            throw CommandFailure("""
                refused: the PASI Data Validations of school \(school.schoolCode) fail \
                (\(failures.count) rule\(failures.count == 1 ? "" : "s"), \(incidents) incident\(incidents == 1 ? "" : "s")): \
                correct them (pasisync validate school-terms --school \(school.schoolCode)) and run its Initial Upload before setting it Active
                """)
        }
    }

    /// The change made and what it means.
    static func changed(_ school: SchoolIntegration, to status: CourseMarkIntegrationStatus, eventMonitoring: Bool) -> String {
        let line = "school \(school.schoolCode) (\(school.name)): Course Mark Integration Status \(Self.status(school)) → \(status)"
        switch status {
        case .active where eventMonitoring:
            return "\(line)\n\(status.consequence)"
        case .active:
            return "\(line)\n\(status.consequence)\nEvent Monitoring is off: no data event is written until it is on "
                + "(pasisync settings set event_monitoring on)."
        case .inactive:
            return "\(line)\nCaution: \(status.consequence)"
        }
    }
}
