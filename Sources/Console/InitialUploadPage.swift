import Foundation
import Hummingbird
import JobQueue
import PASIModel
import SyncJobs
import SyncStore

/// The seed's Initial Upload page (Getting Ready for School Course Marks, Steps 5 and 6): the high
/// schools with their Course Mark Integration Status and the Upload Types completed, a Run Now per
/// school and Upload Type (`pasisync run initial-upload`, refused as it refuses), and Update
/// Integration Status with the refusals of `pasisync schools set-integration-status`.
extension ConsoleServer {
    var schoolCourseMarks: SchoolCourseMarksStore { SchoolCourseMarksStore(client: client, logger: logger) }

    func initialUploadPage(_ session: ConsoleSession, outcome: Outcome? = nil) async throws -> Response {
        let uploads = InitialUploadStore(client: client, logger: logger)
        let canAct = session.user.role >= .operator
        let schools = try await schoolCourseMarks.schools().filter { $0.isHighSchool && Self.sees($0.schoolCode, session) }
        var rows: [[String: Any]] = []
        for school in schools {
            let completed = try await uploads.completedTypes(schoolCode: school.schoolCode)
            rows.append([
                "code": school.schoolCode, "name": school.name, "status": Self.integrationStatus(school),
                "active": school.status == .active,
                "types": InitialUploadType.allCases.map { type in
                    ["type": type.seedName, "done": completed.contains(type.seedName)] as [String: Any]
                },
            ])
        }
        let context: [String: Any] = [
            "schools": rows, "canAct": canAct, "hasSchools": !rows.isEmpty,
            "schoolCodes": schools.map { ["code": $0.schoolCode, "name": $0.name] },
            "uploadTypes": InitialUploadType.allCases.map { ["value": $0.rawValue, "label": $0.seedName] },
            "statuses": CourseMarkIntegrationStatus.allCases.map(\.rawValue),
            "files": try await fileRows([InitialUpload.kind], session), "back": "",
        ]
        var response = Page.html(Templates.render("initial-upload", context, layout: Self.frame(
            session, title: "Initial Upload", current: .initialUpload, live: "/initial-upload", outcome: outcome)))
        if let outcome, outcome.refused { response.status = outcome.status }
        return response
    }

    /// Whether a user limited to some schools may see `school` (every school for the others).
    static func sees(_ school: String, _ session: ConsoleSession) -> Bool {
        session.user.schools.map { $0.contains(school) } ?? true
    }

    /// The status as `pasisync schools` lists it: `Active`, `Inactive`, or `Inactive (blank)`.
    static func integrationStatus(_ school: SchoolIntegration) -> String {
        school.isBlank ? "Inactive (blank)" : school.status.rawValue
    }

    /// `pasisync schools set-integration-status CODE STATUS`, with its refusals and its words.
    func updateIntegrationStatus(_ session: ConsoleSession, _ form: FormFields) async throws -> Outcome {
        let code = form["school"] ?? ""
        let target = "school \(code) integration status \(form["status"] ?? "")"
        let status: CourseMarkIntegrationStatus
        do {
            _ = try OrganizationNumber(code, field: "school code")
            status = try CourseMarkIntegrationStatus(typed: form["status"] ?? "")
        } catch {
            return .refused(error.description, .badRequest, on: .initialUpload, target: target)
        }
        guard Self.sees(code, session), let school = try await schoolCourseMarks.schools(code: code).first else {
            return .refused("no school has code \(code) (pasisync schools lists them)", .notFound, on: .initialUpload, target: target)
        }
        if status == .active {
            guard school.isHighSchool else {
                return .refused("refused: school \(code) (\(school.name)) is not a high school; only high schools synchronize school course "
                                + "marks (the Initial Upload page lists the high schools)", on: .initialUpload, target: target)
            }
            let failures = SchoolTermValidations.validate(try await schoolCourseMarks.termSetups(schoolCode: code))
            guard failures.isEmpty else {
                let incidents = failures.reduce(0) { $0 + $1.incidents.count }
                return .refused("refused: the PASI Data Validations of school \(code) fail "
                                + "(\(failures.count) rule\(failures.count == 1 ? "" : "s"), \(incidents) incident\(incidents == 1 ? "" : "s")): "
                                + "correct them (pasisync validate school-terms --school \(code)) and run its Initial Upload before setting it Active",
                                on: .initialUpload, target: target)
            }
            let completed = try await InitialUploadStore(client: client, logger: logger).completedTypes(schoolCode: code)
            if let refusal = InitialUploadCheck.activeRefusal(
                schoolCode: code, completed: Set(InitialUploadType.allCases.filter { completed.contains($0.seedName) })) {
                return .refused(refusal, on: .initialUpload, target: target)
            }
        }
        if school.status == status, !school.isBlank {
            return .done("school \(code) (\(school.name)) is already \(status); nothing changed", on: .initialUpload, target: target)
        }
        _ = try await schoolCourseMarks.setIntegrationStatus(schoolCode: code, to: status)
        let line = "school \(code) (\(school.name)): Course Mark Integration Status \(Self.integrationStatus(school)) → \(status)"
        var message: String
        switch status {
        case .active:
            message = "\(line). \(status.consequence)"
            if try await settings.value(of: .eventMonitoring) != .bool(true) {
                message += " Event Monitoring is off: no data event is written until it is on (pasisync settings set event_monitoring on)."
            }
        case .inactive:
            message = "\(line). Caution: \(status.consequence)"
        }
        var outcome = Outcome.done(message, on: .initialUpload, target: target)
        outcome.detail = "\(Self.integrationStatus(school)) → \(status)"
        return outcome
    }
}
