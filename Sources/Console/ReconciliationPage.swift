import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Reconciliation
import SyncStore

/// The seed's Reconciliation Process page: the validation tool over one uploaded export, and the
/// reconcile of a school's Before Delete and After Upload exports (CM, EM or SE) into a result with
/// its Match Status per record, to download. Both run `Reconciliation` as `pasisync reconcile`
/// does, on the uploaded files in a private temporary folder deleted right after; the result is
/// kept a day for the user who ran it (`console.reconciliations`). Uploads, reconciles and
/// downloads are audited (the file names and counts, never a record).
extension ConsoleServer {
    /// The largest upload taken (both exports of a form together).
    static let maximumUpload = 128 << 20

    var reconciliationResults: ReconciliationResultsStore { ReconciliationResultsStore(client: client, logger: logger) }

    func reconciliationPage(_ session: ConsoleSession, outcome: Outcome? = nil, report: String? = nil) async throws -> Response {
        let results = try await reconciliationResults.list(user: session.user.name)
        let context: [String: Any] = [
            "canAct": session.user.role >= .operator,
            "types": ExportType.allCases.map { ["code": $0.code, "title": $0.title] },
            "report": report ?? "", "hasReport": report != nil,
            "results": results.map { result in
                [
                    "id": "\(result.id)", "created": result.createdLocal, "type": result.exportType, "before": result.beforeName,
                    "after": result.afterName, "name": result.resultName, "size": Self.size(result.bytes),
                    "counts": MatchStatus.allCases.map { "\($0.rawValue) \(result.counts[$0.rawValue] ?? 0)" }.joined(separator: " · "),
                ]
            },
        ]
        var response = Page.html(Templates.render("reconciliation", context, layout: Self.frame(
            session, title: "Reconciliation Process", current: .reconciliation, live: "", outcome: outcome)))
        if let outcome, outcome.refused { response.status = outcome.status }
        return response
    }

    /// A POST of a multipart form: logged in, the session's CSRF token, an operator; the outcome
    /// (refusals included) audited, and answered on the page with the tool's report.
    func upload(_ request: Request, _ name: String,
                _ perform: (ConsoleSession, MultipartForm) async throws -> (Outcome, String?)) async throws -> Response {
        guard let session = try await session(request) else { return Page.redirect("/login") }
        // Refused before the body is read: a viewer's upload is not buffered at all.
        guard session.user.role >= .operator else {
            let why = "your role (\(session.user.role.rawValue)) may read but not \(name): that needs operator"
            try await users.audit(user: session.user.name, action: name, target: nil, refused: true, detail: why)
            return Page.refusal(why, status: .forbidden, session: session)
        }
        var request = request
        let body = try await request.collectBody(upTo: Self.maximumUpload)
        let form = MultipartForm.boundary(request.headers[.contentType]).flatMap { MultipartForm(Array(buffer: body), boundary: $0) }
        guard let token = form?["csrf"], Tokens.equal(token, session.csrfToken) else {
            let why = "the form's security token is missing or out of date: reload the page and try again"
            try await users.audit(user: session.user.name, action: name, target: nil, refused: true, detail: why)
            return Page.refusal(why, status: .forbidden, session: session)
        }
        guard let form else { return Page.refusal("the form could not be read", status: .badRequest, session: session) }
        let (outcome, report) = try await perform(session, form)
        try await users.audit(user: session.user.name, action: name, target: outcome.target, refused: outcome.refused,
                              detail: outcome.detail ?? outcome.message)
        return try await reconciliationPage(session, outcome: outcome, report: report)
    }

    /// The export type of the form, or why not.
    static func exportType(_ form: MultipartForm) -> ExportType? { form["type"].flatMap { ExportType(code: $0.uppercased()) } }

    /// A file name safe to write in the temporary folder, as uploaded (its form is one of the checks).
    static func uploadName(_ part: MultipartForm.Part) -> String {
        let base = (part.fileName ?? "").split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let safe = String(base.map { $0.isLetter || $0.isNumber || "._-".contains($0) ? $0 : "_" }).trimmingCharacters(in: CharacterSet(charactersIn: "."))
        return safe.isEmpty ? "upload.csv" : String(safe.prefix(120))
    }

    /// The validation tool (`pasisync reconcile validate --type T FILE`).
    func validateExport(_ session: ConsoleSession, _ form: MultipartForm) async throws -> (Outcome, String?) {
        guard let file = form.file("file") else {
            return (.refused("choose the export to check", .badRequest, on: .reconciliation), nil)
        }
        let name = Self.uploadName(file)
        let target = "upload \(name) (\(file.content.count) bytes)"
        guard let type = Self.exportType(form) else {
            return (.refused("choose the type: CM (Course Marks), EM (Evaluated Marks) or SE (Sections)", .badRequest, on: .reconciliation,
                             target: target), nil)
        }
        let allowSavedAgain = form["allow_saved_again"] != nil
        let report = try await Self.inTemporaryFolder { folder in
            let path = folder + "/" + name
            try Data(file.content).write(to: URL(fileURLWithPath: path))
            var report = Reconciliation.validate(path: path, type: type)
            report.acceptsSavedAgain = allowSavedAgain
            return (report.passes, report.description.replacingOccurrences(of: folder + "/", with: ""))
        }
        let outcome: Outcome = report.0
            ? .done("\(name): passed the validation tool as \(type.title)", on: .reconciliation, target: target)
            : .refused("\(name): refused by the validation tool as \(type.title)", .unprocessableContent, on: .reconciliation, target: target)
        return (outcome, report.1)
    }

    /// The reconcile (`pasisync reconcile --type T --before B --after A`): the result kept for download.
    func reconcile(_ session: ConsoleSession, _ form: MultipartForm) async throws -> (Outcome, String?) {
        guard let before = form.file("before"), let after = form.file("after") else {
            return (.refused("choose both files: the Before Delete export and the After Upload export", .badRequest, on: .reconciliation), nil)
        }
        let (beforeName, afterName) = (Self.uploadName(before), Self.uploadName(after))
        guard let type = Self.exportType(form) else {
            return (.refused("choose the type: CM (Course Marks), EM (Evaluated Marks) or SE (Sections)", .badRequest, on: .reconciliation,
                             target: "reconcile \(beforeName) with \(afterName)"), nil)
        }
        let target = "reconcile \(type.code) \(beforeName) with \(afterName)"
        guard beforeName != afterName else {
            return (.refused("the two files have the same name: upload the Before Delete and the After Upload exports", .badRequest,
                             on: .reconciliation, target: target), nil)
        }
        let allowSavedAgain = form["allow_saved_again"] != nil
        let resultName = ExportFileName(path: beforeName).map { "\($0.schoolYear)-\($0.school)-\(type.code)-Reconciliation.csv" }
            ?? (URL(fileURLWithPath: beforeName).deletingPathExtension().lastPathComponent + "-Reconciliation.csv")
        enum Run { case done(ReconciliationSummary, Data), refused(String) }
        let run: Run = try await Self.inTemporaryFolder { folder in
            let beforePath = folder + "/" + beforeName, afterPath = folder + "/" + afterName, output = folder + "/result-" + resultName
            try Data(before.content).write(to: URL(fileURLWithPath: beforePath))
            try Data(after.content).write(to: URL(fileURLWithPath: afterPath))
            let summary: ReconciliationSummary
            do throws(ReconciliationError) {
                summary = try Reconciliation.reconcile(type: type, before: beforePath, after: afterPath, output: output,
                                                       allowSavedAgain: allowSavedAgain)
            } catch {
                let text = ([error.description] + error.reports.map(\.description)).joined(separator: "\n")
                return .refused(text.replacingOccurrences(of: folder + "/", with: ""))
            }
            return .done(summary, try Data(contentsOf: URL(fileURLWithPath: output)))
        }
        switch run {
        case .refused(let report):
            let first = report.split(separator: "\n").first.map(String.init) ?? report
            return (.refused("refused: \(first)", .unprocessableContent, on: .reconciliation, target: target), report)
        case .done(let summary, let content):
            let counts = Dictionary(uniqueKeysWithValues: MatchStatus.allCases.map { ($0.rawValue, summary.counts[$0] ?? 0) })
            _ = try await reconciliationResults.save(user: session.user.name, exportType: type.code, beforeName: beforeName, afterName: afterName,
                                                     resultName: resultName, counts: counts, content: content)
            let line = MatchStatus.allCases.map { "\($0.rawValue) \(counts[$0.rawValue] ?? 0)" }.joined(separator: ", ")
            var lines = summary.reports.flatMap { report in report.findings.map { "\(URL(fileURLWithPath: report.file).lastPathComponent): \($0)" } }
            lines.append("\(type.code): \(summary.reports[0].records) records before delete, \(summary.reports[1].records) after upload")
            lines += MatchStatus.allCases.map { "  \($0.rawValue): \(counts[$0.rawValue] ?? 0)" }
            if !summary.differencesByColumn.isEmpty {
                lines.append("  differences by column: " + summary.differencesByColumn.map { "\($0.column) \($0.count)" }.joined(separator: ", "))
            }
            var outcome = Outcome.done("reconciled: \(line); \(resultName) is ready to download below", on: .reconciliation, target: target)
            outcome.detail = line
            return (outcome, lines.joined(separator: "\n"))
        }
    }

    /// `GET /reconciliation/ID/result`: the result, to the user who ran it, for a day; audited.
    func downloadResult(_ request: Request, id: Int64?) async throws -> Response {
        guard let session = try await session(request) else { return Page.redirect("/login") }
        let target = "reconciliation result \(id.map(String.init) ?? "?")"
        guard let id, let (name, content) = try await reconciliationResults.content(id: id, user: session.user.name) else {
            let why = "no such result (a result is kept a day, for the user who ran the reconcile)"
            try await users.audit(user: session.user.name, action: "download reconciliation result", target: target, refused: true, detail: why)
            return Page.refusal(why, status: .notFound, session: session)
        }
        try await users.audit(user: session.user.name, action: "download reconciliation result", target: target + " \(name)", refused: false,
                              detail: "\(content.count) bytes")
        return Response(
            status: .ok,
            headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(name)\"", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: content)))
    }

    /// Runs `body` on a thread of its own (the reconcile reads and compares whole files) in a new
    /// private temporary folder, deleted afterwards whatever happens.
    static func inTemporaryFolder<T: Sendable>(_ body: @escaping @Sendable (String) throws -> T) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pasisync-console-" + UUID().uuidString).path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        return try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body(folder) }) }.start()
        }
    }
}

extension Templates {
    static let reconciliation = """
        <h1>Reconciliation Process</h1>
        <p class="meta">The reconciliation process is only required if there is existing data in PASIprep for the current school year, prior to turning on SCM Integration. It is run school by school: it reconciles the course enrolment data now in PASIprep against what was there before the Initial Upload, so that nothing is missing when data is deleted from PASI and submitted from the Initial Upload.</p>
        {{#hasReport}}<pre class="report">{{report}}</pre>{{/hasReport}}
        {{#canAct}}
        <h2>Validation tool</h2>
        <p class="meta">Verify that the correct columns were exported, and that the file was not opened and saved again.</p>
        <form method="post" action="/reconciliation/validate" enctype="multipart/form-data" class="inline">
          <input type="hidden" name="csrf" value="{{csrf}}">
          <label>Export <input type="file" name="file" required accept=".csv,.xml"></label>
          <label>Type <select name="type">{{#types}}<option value="{{code}}">{{title}}</option>{{/types}}</select></label>
          <label><input type="checkbox" name="allow_saved_again" value="1"> accept a file saved again</label>
          <button type="submit">Validate</button>
        </form>
        <h2>Reconcile</h2>
        <form method="post" action="/reconciliation/run" enctype="multipart/form-data" class="inline">
          <input type="hidden" name="csrf" value="{{csrf}}">
          <label>Before Delete <input type="file" name="before" required accept=".csv,.xml"></label>
          <label>After Upload <input type="file" name="after" required accept=".csv,.xml"></label>
          <label>Type <select name="type">{{#types}}<option value="{{code}}">{{title}}</option>{{/types}}</select></label>
          <label><input type="checkbox" name="allow_saved_again" value="1"> accept files saved again</label>
          <button type="submit">Reconcile</button>
        </form>
        <p class="meta">Name the files YYYY-NNNN-XX-BeforeDelete.csv and YYYY-NNNN-XX-AfterUpload.csv. Important: do not save a file after opening it; simply rename it without opening it. The resulting file holds a Match Status column: Added New to PASI, Matched with Data Differences, Perfectly Matched, Missing from PASI.</p>
        {{/canAct}}
        {{^canAct}}<p class="meta">Your role reads this page; an operator uploads and reconciles exports.</p>{{/canAct}}
        <h2>Your results</h2>
        <table class="results">
          <thead><tr><th>Run</th><th>Type</th><th>Before Delete</th><th>After Upload</th><th>Match Status</th><th>Result</th></tr></thead>
          <tbody>
          {{#results}}<tr><td>{{created}}</td><td>{{type}}</td><td>{{before}}</td><td>{{after}}</td><td><small>{{counts}}</small></td><td><a href="/reconciliation/{{id}}/result" download>{{name}}</a> <small>{{size}}</small></td></tr>{{/results}}
          {{^results}}<tr><td colspan="6">No result in the last day.</td></tr>{{/results}}
          </tbody>
        </table>
        <p class="meta">A result holds students' ASNs and marks: it is kept one day, for you only, and every upload and download is in the Audit Log. The uploaded exports are not kept.</p>
        """
}
