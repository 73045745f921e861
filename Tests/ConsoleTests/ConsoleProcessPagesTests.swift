import Console
import Foundation
import HTTPTypes
import HummingbirdTesting
import JobQueue
import PASIModel
import PasisyncTesting
import PostgresNIO
import SyncJobs
import SyncStore
import Testing

/// The seed's Initial Synchronization, Initial Upload and DER Initial Download pages: their Run Now
/// refused with the seed's reason exactly as `pasisync run` refuses, Update Integration Status with
/// the refusals of `pasisync schools set-integration-status`, the files to download (audited).
@Suite("console: Initial Synchronization, Initial Upload, DER Initial Download")
struct ConsoleProcessPagesTests {
    /// High school 1042 (the limited users'), high school 1043, elementary school 1044.
    static func plantSchools(_ console: ConsoleFixture) async throws {
        try await console.database.execute("""
            INSERT INTO sis.schools (id, school_code, name, is_high_school, school_type, course_mark_integration_status) VALUES
                (1, '1042', 'Aspen High', true, NULL, NULL), (2, '1043', 'Birch High', true, 'Active', 'Active'),
                (3, '1044', 'Cedar Elementary', false, NULL, NULL)
            """)
    }

    /// What `pasisync run` refuses for `name` now, through the same RunNow.enqueue.
    static func runRefusal(_ console: ConsoleFixture, _ name: String, school: String? = nil, type: String? = nil) async throws -> String? {
        let settings = SettingsStore(client: console.database.client, logger: TestEnvironment.logger)
        let queue = QueueStore(client: console.database.client, logger: TestEnvironment.logger)
        do {
            _ = try await RunNow.enqueue(name, RunNowOptions(school: school, type: type), settings: settings, queue: queue)
            Issue.record("\(name) was expected to be refused")
            return nil
        } catch let refused as RunNowRefused {
            return refused.description
        }
    }

    @Test("Initial Synchronization: the Local PASI Data Store's Download and the district's Run Now; refused as pasisync run refuses, on the queue page")
    func initialSync() async throws {
        try await ConsoleFixture.with { console in
            try await Self.plantSchools(console)
            let operator_ = try await console.login("operator")
            let page = try await console.get("/initial-sync", as: operator_)
            #expect(page.status == .ok)
            for text in ["<h1>Initial Synchronization</h1>", "Local PASI Data Store", "Not downloaded yet.", "value=\"load-local-copy\"",
                         "Process as District: <strong>on</strong>", "When running at a district/authority level, regular synchronization must be turned off.",
                         "Initial Synchronization Log and Extract Files", "No files yet."] {
                #expect(page.text.contains(text), "\(text)")
            }
            // Run Now before the local store is loaded: the seed's order, in pasisync run's words.
            let expected = try #require(try await Self.runRefusal(console, "initial-sync"))
            let refused = try await console.post("/queue/run", [("name", "initial-sync")], as: operator_)
            #expect(refused.status == .conflict)
            #expect(refused.text.contains("<h1>Synchronization Queue</h1>"))
            #expect(refused.text.contains(ConsoleSettingsTests.escaped(expected)))
            // Download: Load Local Copy queued, shown on the page.
            let queued = try await console.post("/queue/run", [("name", "load-local-copy")], as: operator_)
            #expect(queued.text.contains("of load-local-copy queued"))
            #expect(try await console.get("/initial-sync", as: operator_).text.contains("Load Local Copy"))
            // School by school: each school with its School Type and a Run Now.
            try await console.database.execute("UPDATE sync.settings SET value = 'off' WHERE key = 'process_as_district'")
            let bySchool = try await console.get("/initial-sync", as: operator_)
            #expect(bySchool.text.contains("<td>1043</td><td>Birch High</td><td>Active</td>"))
            #expect(bySchool.text.contains("<td>1042</td><td>Aspen High</td><td>Inactive (blank)</td>"))
            #expect(bySchool.text.contains("name=\"school\" value=\"1044\""))
            // A viewer reads it without a form; a limited user sees its school only.
            let viewer = try await console.get("/initial-sync", as: try await console.login("viewer"))
            #expect(!viewer.text.contains("action=\"/queue/run\""))
            let limited = try await console.get("/initial-sync", as: try await console.login("limited"))
            #expect(limited.text.contains("Aspen High") && !limited.text.contains("Birch High"))
        }
    }

    @Test("Initial Upload: the high schools with their status and uploads; Run Now per type refused as pasisync run refuses")
    func initialUploadRun() async throws {
        try await ConsoleFixture.with { console in
            try await Self.plantSchools(console)
            try await console.database.execute("""
                INSERT INTO sync.initial_uploads (school_code, upload_type, accepted, rejected) VALUES ('1042', 'Sections', 10, 0)
                """)
            let operator_ = try await console.login("operator")
            let page = try await console.get("/initial-upload", as: operator_)
            #expect(page.status == .ok)
            #expect(page.text.contains("<td>1042</td><td>Aspen High</td><td>Inactive (blank)</td><td>uploaded</td><td>—</td><td>—</td>"))
            #expect(page.text.contains("<td>1043</td><td>Birch High</td><td>Active</td>"))
            #expect(!page.text.contains("Cedar Elementary"))
            #expect(page.text.contains("<option value=\"course-enrolments\">Course Enrollments</option>"))
            for (school, type) in [("1044", "sections"), ("1043", "sections")] {
                let expected = try #require(try await Self.runRefusal(console, "initial-upload", school: school, type: type))
                let refused = try await console.post("/queue/run", [("name", "initial-upload"), ("school", school), ("type", type)], as: operator_)
                #expect(refused.status == .conflict, "\(school)")
                #expect(refused.text.contains(ConsoleSettingsTests.escaped(expected)), "\(school): \(expected)")
            }
            #expect(try await console.jobCount() == 0)
        }
    }

    @Test("Update Integration Status: refused as pasisync schools set-integration-status refuses; done and audited once the uploads completed")
    func updateIntegrationStatus() async throws {
        try await ConsoleFixture.with { console in
            try await Self.plantSchools(console)
            let operator_ = try await console.login("operator")
            let notHigh = try await console.post("/initial-upload/status", [("school", "1044"), ("status", "Active")], as: operator_)
            #expect(notHigh.status == .conflict)
            #expect(notHigh.text.contains("refused: school 1044 (Cedar Elementary) is not a high school; only high schools synchronize school course marks"))
            let notUploaded = try await console.post("/initial-upload/status", [("school", "1042"), ("status", "Active")], as: operator_)
            #expect(notUploaded.status == .conflict)
            let expected = try #require(InitialUploadCheck.activeRefusal(schoolCode: "1042", completed: []))
            #expect(notUploaded.text.contains(ConsoleSettingsTests.escaped(expected)))
            let wrong = try await console.post("/initial-upload/status", [("school", "1042"), ("status", "Maybe")], as: operator_)
            #expect(wrong.status == .badRequest)
            #expect(wrong.text.contains("must be Active or Inactive"))
            let missing = try await console.post("/initial-upload/status", [("school", "9999"), ("status", "Inactive")], as: operator_)
            #expect(missing.status == .notFound)
            #expect(try await console.database.scalar("SELECT course_mark_integration_status IS NULL FROM sis.schools WHERE school_code = '1042'") as Bool)
            // Inactive from blank: done, with the seed's caution.
            let inactive = try await console.post("/initial-upload/status", [("school", "1042"), ("status", "Inactive")], as: operator_)
            #expect(inactive.text.contains("school 1042 (Aspen High): Course Mark Integration Status Inactive (blank) → Inactive. Caution: No events are generated"))
            try await console.database.execute("""
                INSERT INTO sync.initial_uploads (school_code, upload_type, accepted, rejected)
                VALUES ('1042', 'Sections', 1, 0), ('1042', 'Course Enrollments', 1, 0), ('1042', 'Evaluated Marks', 1, 0)
                """)
            let active = try await console.post("/initial-upload/status", [("school", "1042"), ("status", "Active")], as: operator_)
            #expect(active.status == .ok)
            #expect(active.text.contains("Course Mark Integration Status Inactive → Active"))
            #expect(active.text.contains("Event Monitoring is off"))
            #expect(try await console.database.scalar("SELECT course_mark_integration_status FROM sis.schools WHERE school_code = '1042'") as String == "Active")
            let again = try await console.post("/initial-upload/status", [("school", "1042"), ("status", "Active")], as: operator_)
            #expect(again.text.contains("school 1042 (Aspen High) is already Active; nothing changed"))
            let audit = try await console.auditRows(action: "update integration status")
            #expect(audit.map(\.outcome) == ["refused", "refused", "refused", "refused", "done", "done", "done"])
            #expect(audit[5].detail == "Inactive → Active")
            // A viewer cannot; a limited operator cannot reach another school (told as no such school).
            let viewer = try await console.post("/initial-upload/status", [("school", "1042"), ("status", "Inactive")], as: try await console.login("viewer"))
            #expect(viewer.status == .forbidden)
            let limitedOp = try await console.post("/initial-upload/status", [("school", "1043"), ("status", "Inactive")],
                                                   as: try await console.login("limited-op"))
            #expect(limitedOp.status == .notFound)
            #expect(try await console.database.scalar("SELECT course_mark_integration_status FROM sis.schools WHERE school_code = '1043'") as String == "Active")
        }
    }

    @Test("the same refusals as the command itself: pasisync schools set-integration-status prints what the page says")
    func sameWordsAsTheCommand() async throws {
        guard let binary = ProcessInfo.processInfo.environment["PASISYNC_BIN"], !binary.isEmpty else { return }
        try await ConsoleFixture.with { console in
            try await Self.plantSchools(console)
            let operator_ = try await console.login("operator")
            for (school, status) in [("1044", "Active"), ("1042", "Active")] {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: binary)
                process.arguments = ["schools", "set-integration-status", school, status]
                process.environment = ProcessInfo.processInfo.environment.merging(["PASISYNC_DATABASE_URL": console.database.url]) { $1 }
                let errors = Pipe()
                process.standardError = errors
                process.standardOutput = Pipe()
                try process.run()
                let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                #expect(process.terminationStatus != 0)
                let page = try await console.post("/initial-upload/status", [("school", school), ("status", status)], as: operator_)
                // ArgumentParser's "Error: " before the command's words (log lines may come first).
                let line = said.split(separator: "\n").first { $0.hasPrefix("Error: ") }.map { String($0.dropFirst("Error: ".count)) } ?? ""
                #expect(!line.isEmpty && page.text.contains(ConsoleSettingsTests.escaped(line)), "\(said)")
            }
        }
    }

    @Test("DER Initial Download: Run Now queues der_download; a kept file downloads as an attachment, audited; a limited user cannot reach a district run's file")
    func derAndFiles() async throws {
        try await ConsoleFixture.with { console in
            let operator_ = try await console.login("operator")
            let page = try await console.get("/der", as: operator_)
            #expect(page.status == .ok)
            #expect(page.text.contains("<h1>DER Initial Download</h1>") && page.text.contains("Diploma Exam Synchronization **"))
            let queued = try await console.post("/queue/run", [("name", "der-download")], as: operator_)
            #expect(queued.text.contains("of der-download queued"))
            #expect(try await console.jobs(kind: DERDownload.kind).count == 1)
            // A district Initial Synchronization's log, and one school's.
            let district: Int64 = try await console.database.scalar(
                "INSERT INTO queue.jobs (kind, args, state) VALUES ('initial_sync', '{}', 'completed') RETURNING id")
            let school: Int64 = try await console.database.scalar(
                "INSERT INTO queue.jobs (kind, args, state) VALUES ('initial_sync', '{\"school\": \"1042\"}', 'completed') RETURNING id")
            let files = FilesStore(client: console.database.client, logger: TestEnvironment.logger)
            try await files.save(jobID: district, name: "pasi-initialization.log", content: Data("district differences\n".utf8))
            try await files.save(jobID: school, name: "pasi-initialization.log", content: Data("school 1042 differences\n".utf8))
            let listed = try await console.get("/initial-sync", as: operator_)
            #expect(listed.text.contains("href=\"/files/\(district)/pasi-initialization.log\""))
            let download = try await console.get("/files/\(district)/pasi-initialization.log", as: operator_)
            #expect(download.status == .ok)
            #expect(download.text == "district differences\n")
            #expect(download.headers[.contentDisposition] == "attachment; filename=\"pasi-initialization.log\"")
            #expect(try await console.get("/files/\(district)/nothing.log", as: operator_).status == .notFound)
            let limited = try await console.login("limited")
            #expect(try await console.get("/files/\(district)/pasi-initialization.log", as: limited).status == .notFound)
            #expect(try await console.get("/files/\(school)/pasi-initialization.log", as: limited).text == "school 1042 differences\n")
            let limitedPage = try await console.get("/initial-sync", as: limited)
            #expect(!limitedPage.text.contains("/files/\(district)/") && limitedPage.text.contains("/files/\(school)/"))
            let audit = try await console.auditRows(action: "download file")
            #expect(audit.map(\.outcome) == ["done", "refused", "refused", "done"])
            #expect(audit.first?.target == "job \(district) file pasi-initialization.log")
            #expect(audit.first?.detail == "21 bytes")
            // Not logged in: the login form, no file.
            #expect(try await console.get("/files/\(district)/pasi-initialization.log").headers[.location] == "/login")
        }
    }

    @Test("DER Initial Download, Step 3: the diploma courses' sections without exam fields, as pasisync validate diploma-sections finds them; a limited user sees its schools' only")
    func diplomaSections() async throws {
        try await ConsoleFixture.with { console in
            try await Self.plantSchools(console)
            try await console.database.execute(
                "INSERT INTO sis.courses (course_number, course_name, is_diploma_course) VALUES ('MAT3037', 'Mathematics 30-1', true)")
            try await console.database.execute("""
                INSERT INTO sis.terms (id, school_id, school_year, name, abbreviation, first_day, last_day, is_year)
                VALUES (10, 1, 2025, 'Year', 'Y', '2025-09-01', '2026-06-30', true), (20, 2, 2025, 'Year', 'Y', '2025-09-01', '2026-06-30', true)
                """)
            try await console.database.execute("""
                INSERT INTO sis.sections (id, school_id, course_number, term_id, section_number, exam_registration_date, exam_writing_centre)
                VALUES (100, 1, 'MAT3037', 10, '1', NULL, 'Aspen High'), (200, 2, 'MAT3037', 20, '1', '2026-01-15', NULL)
                """)
            let facts = try await DiplomaExamsStore(client: console.database.client, logger: TestEnvironment.logger).sectionFacts()
            let failures = DiplomaSectionValidations.validate(facts)
            #expect(failures.count == 2)
            let page = try await console.get("/der", as: try await console.login("viewer"))
            #expect(page.text.contains("Diploma Exam Course Section Validations: 1 diploma course, 2 sections checked, every school year."))
            for failure in failures {
                #expect(page.text.contains(ConsoleSettingsTests.escaped(failure.rule.name)), "\(failure.rule)")
                #expect(page.text.contains(ConsoleSettingsTests.escaped(failure.rule.stepsToCorrect)), "\(failure.rule)")
            }
            #expect(page.text.contains("<td>100</td>") && page.text.contains("<td>200</td>"))
            let limited = try await console.get("/der", as: try await console.login("limited"))
            #expect(limited.text.contains("<td>100</td>") && !limited.text.contains("<td>200</td>"))
        }
    }

    @Test("the console's database role reads the pages, downloads a file and updates an integration status")
    func consoleRole() async throws {
        try await ConsoleFixture.with(consoleRole: true) { console in
            try await Self.plantSchools(console)
            let job: Int64 = try await console.database.scalar(
                "INSERT INTO queue.jobs (kind, args, state) VALUES ('initial_sync', '{}', 'completed') RETURNING id")
            try await FilesStore(client: console.database.client, logger: TestEnvironment.logger)
                .save(jobID: job, name: "pasi-init-diff-students.tab", content: Data("a\tb\n".utf8))
            let operator_ = try await console.login("operator")
            for uri in ["/initial-sync", "/initial-upload", "/der", "/validations", "/validations?school=1042", "/files/\(job)/pasi-init-diff-students.tab"] {
                #expect(try await console.get(uri, as: operator_).status == .ok, "\(uri)")
            }
            let inactive = try await console.post("/initial-upload/status", [("school", "1042"), ("status", "Inactive")], as: operator_)
            #expect(inactive.status == .ok)
            #expect(try await console.database.scalar("SELECT course_mark_integration_status FROM sis.schools WHERE school_code = '1042'") as String == "Inactive")
        }
    }
}
