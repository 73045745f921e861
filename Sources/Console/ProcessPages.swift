import Foundation
import Hummingbird
import HTTPTypes
import JobQueue
import NIOCore
import PASIModel
import SyncJobs
import SyncStore

/// The seed's Initial Synchronization and DER Initial Download pages, and the download of the files
/// processes keep (pasi-initialization.log, the extract files, the Initial Upload's reports). Each
/// Run Now posts to the queue's Run Now, so it is refused as `pasisync run` refuses, and answers on
/// the Synchronization Queue page, as the seed's does ("The Synchronization Queue page appears").
extension ConsoleServer {
    var processPages: ProcessPagesStore { ProcessPagesStore(client: client, logger: logger) }

    /// The newest job of `kind` (the state of a page's last run).
    func lastJob(_ kind: String, _ session: ConsoleSession) async throws -> [String: Any]? {
        try await queue.list(limit: 1, filter: JobFilter(kind: kind, schools: session.user.schools)).first.map(Self.row)
    }

    /// The files of jobs of `kinds` the user may download, as a page lists them.
    func fileRows(_ kinds: [String], _ session: ConsoleSession) async throws -> [[String: Any]] {
        try await processPages.files(kinds: kinds).filter { Self.mayDownload($0.school, session) }.map { file in
            [
                "job": "\(file.jobID)", "title": file.jobTitle, "school": file.school ?? "", "name": file.name,
                "href": "/files/\(file.jobID)/\(queryEncoded(file.name))", "bytes": Self.size(file.bytes), "created": file.createdLocal,
            ]
        }
    }

    /// A user of every school downloads every file; a user limited to some schools, only the files
    /// of a job for one of them (a district run's files hold every school's students).
    static func mayDownload(_ school: String?, _ session: ConsoleSession) -> Bool {
        guard let schools = session.user.schools else { return true }
        return school.map { schools.contains($0) } ?? false
    }

    static func size(_ bytes: Int) -> String {
        bytes < 1024 ? "\(bytes) B" : bytes < 1 << 20 ? String(format: "%.1f KiB", Double(bytes) / 1024)
            : String(format: "%.1f MiB", Double(bytes) / Double(1 << 20))
    }

    func initialSyncPage(_ session: ConsoleSession) async throws -> Response {
        let asDistrict = try await settings.value(of: .processAsDistrict) == .bool(true)
        let regular = try await settings.value(of: .regularSynchronization) == .bool(true)
        let monitoring = try await settings.value(of: .eventMonitoring) == .bool(true)
        let extracts = try await settings.value(of: .synchronizationExtractFiles) == .bool(true)
        let name = try await settings.value(of: .name).description
        let code = try await settings.value(of: .organizationCode).description
        let schools = try await processPages.sisSchools().filter { Self.sees($0.code, session) }
        let lastDownload = try await lastJob(LoadLocalCopy.kind, session), lastSync = try await lastJob(InitialSync.kind, session)
        let context: [String: Any] = [
            "canAct": session.user.role >= .operator,
            "asDistrict": asDistrict, "regular": regular ? "on" : "off", "monitoring": monitoring ? "on" : "off",
            "extracts": extracts ? "Yes" : "No",
            "authority": name.isEmpty ? (code.isEmpty ? "the district/authority" : code) : name + (code.isEmpty ? "" : " (\(code))"),
            "lastDownload": lastDownload ?? [:], "hasLastDownload": lastDownload != nil,
            "lastSync": lastSync ?? [:], "hasLastSync": lastSync != nil,
            "schools": schools.map { school in
                ["code": school.code, "name": school.name, "type": school.schoolType ?? "Inactive (blank)",
                 "active": school.schoolType == "Active"] as [String: Any]
            },
            "files": try await fileRows([InitialSync.kind], session),
            "back": "",
        ]
        return Page.html(Templates.render("initial-sync", context, layout: Self.frame(
            session, title: "Initial Synchronization", current: .initialSync, live: "/initial-sync")))
    }

    func derPage(_ session: ConsoleSession) async throws -> Response {
        let stored = try await settings.all().filter { $0.definition.group == .diplomaExamItems || $0.definition.key == .historicalYearsDiplomaExam }
        let last = try await lastJob(DERDownload.kind, session)
        // Step 3. Confirm Diploma Exam Course Section Data is Correct: `pasisync validate diploma-sections`.
        var year: SchoolYear?
        if case .schoolYear(let current?) = try await settings.value(of: .currentSchoolYear) { year = current }
        let schools = session.user.schools
        let facts = try await DiplomaExamsStore(client: client, logger: logger).sectionFacts(
            schoolCode: schools?.count == 1 ? schools?.first : nil, fromSchoolYear: year)
        let failures = DiplomaSectionValidations.validate(facts).compactMap { failure -> DiplomaSectionFailure? in
            // A user limited to some schools sees the incidents of their schools' sections only.
            guard let schools else { return failure }
            var mine = failure
            mine.incidents = failure.incidents.filter { $0.section.map { schools.contains($0.schoolCode) } ?? false }
            return mine.incidents.isEmpty ? nil : mine
        }
        let courses = Set(facts.filter(\.isDiplomaCourse).map(\.courseNumber)).count
        let sections = facts.filter { $0.section != nil && $0.isDiplomaCourse }.count
        let context: [String: Any] = [
            "canAct": session.user.role >= .operator,
            "last": last ?? [:], "hasLast": last != nil,
            "settings": stored.map { ["label": $0.definition.label, "marks": $0.definition.isOneWayFromPASI ? " **" : "",
                                      "value": Self.shown($0.value)] },
            "files": try await fileRows([DERDownload.kind], session),
            "back": "",
            "checked": "\(courses) diploma course\(courses == 1 ? "" : "s"), \(sections) section\(sections == 1 ? "" : "s") checked, "
                + (year.map { "school years from \($0)" } ?? "every school year"),
            "hasFailures": !failures.isEmpty,
            "failures": failures.map { failure in
                [
                    "name": failure.rule.name, "code": failure.rule.code, "businessRule": failure.rule.businessRule,
                    "stepsToCorrect": failure.rule.stepsToCorrect, "count": "\(failure.incidents.count)",
                    "incidents": failure.incidents.map { incident in
                        [
                            "course": incident.courseNumber, "name": incident.courseName, "school": incident.section?.schoolCode ?? "",
                            "year": incident.section?.schoolYear.description ?? "", "term": incident.section?.term ?? "",
                            "section": incident.section?.sectionNumber ?? "", "sectionID": incident.section.map { "\($0.sectionID)" } ?? "",
                            "detail": incident.detail,
                        ]
                    },
                ] as [String: Any]
            },
        ]
        return Page.html(Templates.render("der", context, layout: Self.frame(
            session, title: "DER Initial Download", current: .der, live: "/der")))
    }

    /// `GET /files/JOB/NAME`: one kept file, as an attachment; every download (and every refusal) audited.
    func download(_ request: Request, jobID: Int64?, name: String) async throws -> Response {
        guard let session = try await session(request) else { return Page.redirect("/login") }
        let target = "job \(jobID.map(String.init) ?? "?") file \(name)"
        func refuse(_ why: String, _ status: HTTPResponse.Status) async throws -> Response {
            try await users.audit(user: session.user.name, action: "download file", target: target, refused: true, detail: why)
            return Page.refusal(why, status: status, session: session)
        }
        guard let jobID, let found = try await users.jobSchool(id: jobID) else { return try await refuse("no such file", .notFound) }
        guard Self.mayDownload(found, session) else {
            // Told as a missing file: a limited user learns nothing of another school's runs.
            return try await refuse("no such file", .notFound)
        }
        guard let content = try await FilesStore(client: client, logger: logger).content(jobID: jobID, name: name) else {
            return try await refuse("no such file", .notFound)
        }
        try await users.audit(user: session.user.name, action: "download file", target: target, refused: false, detail: "\(content.count) bytes")
        let safeName = String(name.map { $0.isLetter || $0.isNumber || "._-".contains($0) ? $0 : "_" })
        return Response(
            status: .ok,
            headers: [.contentType: "application/octet-stream", .contentDisposition: "attachment; filename=\"\(safeName)\"",
                      .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: content)))
    }
}
