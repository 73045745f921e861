import Console
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PasisyncTesting
import PostgresNIO
import Reconciliation
import SyncStore
import Testing

/// The Reconciliation Process page: the validation tool and the reconcile of two uploaded exports,
/// the result to download; uploads and downloads audited.
@Suite("console: Reconciliation Process")
struct ConsoleReconciliationTests {
    /// A synthetic pair of Course Marks exports and the counts a correct reconcile finds.
    static func exports() throws -> (before: (String, Data), after: (String, Data), expected: SyntheticExports.Expected) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("console-rec-" + UUID().uuidString).path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (before, after, expected) = try SyntheticExports.writeCourseMarks(records: 300, directory: folder)
        return ((URL(fileURLWithPath: before).lastPathComponent, try Data(contentsOf: URL(fileURLWithPath: before))),
                (URL(fileURLWithPath: after).lastPathComponent, try Data(contentsOf: URL(fileURLWithPath: after))), expected)
    }

    /// Posts a multipart form as `browser` (its CSRF token added unless `csrf` is given).
    static func upload(_ console: ConsoleFixture, _ uri: String, fields: [(String, String)], files: [(field: String, name: String, data: Data)],
                       as browser: ConsoleFixture.Browser, csrf: String? = nil) async throws -> ConsoleFixture.Page {
        let (boundary, body) = form(fields: [("csrf", csrf ?? browser.csrf)] + fields, files: files)
        return try await post(console, uri, contentType: "multipart/form-data; boundary=\(boundary)", body: body, as: browser)
    }

    /// A `multipart/form-data` body as a browser sends it, and its boundary.
    static func form(fields: [(String, String)], files: [(field: String, name: String, data: Data)]) -> (boundary: String, body: Data) {
        let boundary = "----pasisync" + UUID().uuidString
        var body = Data()
        for (name, value) in fields {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        for file in files {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\nContent-Type: text/csv\r\n\r\n".utf8))
            body.append(file.data)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        return (boundary, body)
    }

    /// Posts `body` as it is, with `contentType`, as `browser`.
    static func post(_ console: ConsoleFixture, _ uri: String, contentType: String, body: Data,
                     as browser: ConsoleFixture.Browser) async throws -> ConsoleFixture.Page {
        let headers: HTTPFields = [.contentType: contentType, .cookie: browser.cookie]
        let response = try await console.client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(bytes: body))
        return ConsoleFixture.Page(status: response.status, headers: response.headers, text: String(buffer: response.body))
    }

    @Test("reconcile two uploaded exports: the counts per Match Status, the result to download (to its user only), all audited")
    func reconcile() async throws {
        try await ConsoleFixture.with { console in
            let (before, after, expected) = try Self.exports()
            let operator_ = try await console.login("operator")
            let page = try await console.get("/reconciliation", as: operator_)
            #expect(page.status == .ok && page.text.contains("enctype=\"multipart/form-data\"") && page.text.contains("No result in the last day."))
            let done = try await Self.upload(console, "/reconciliation/run", fields: [("type", "CM")],
                                             files: [("before", before.0, before.1), ("after", after.0, after.1)], as: operator_)
            #expect(done.status == .ok)
            for text in ["Added New to PASI \(expected.addedNewToPASI)", "Matched with Data Differences \(expected.matchedWithDataDifferences)",
                         "Perfectly Matched \(expected.perfectlyMatched)", "Missing from PASI \(expected.missingFromPASI)",
                         "2025-1234-CM-Reconciliation.csv"] {
                #expect(done.text.contains(text), "\(text)")
            }
            let id: Int64 = try await console.database.scalar("SELECT max(id) FROM console.reconciliations")
            #expect(done.text.contains("href=\"/reconciliation/\(id)/result\""))
            let result = try await console.get("/reconciliation/\(id)/result", as: operator_)
            #expect(result.status == .ok)
            #expect(result.headers[.contentDisposition] == "attachment; filename=\"2025-1234-CM-Reconciliation.csv\"")
            #expect(result.text.contains("Match Status"))
            let rows = result.text.split(whereSeparator: \.isNewline).dropFirst()
            #expect(rows.filter { $0.contains("Missing from PASI") }.count == expected.missingFromPASI)
            // Another user does not get it, not even an admin.
            #expect(try await console.get("/reconciliation/\(id)/result", as: try await console.login("admin")).status == .notFound)
            // Nothing of the uploads is left on disk.
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)
                .filter { $0.hasPrefix("pasisync-console-") }
            #expect(leftovers.isEmpty)
            let reconciles = try await console.auditRows(action: "reconcile")
            #expect(reconciles.map(\.outcome) == ["done"])
            #expect(reconciles.first?.target == "reconcile CM \(before.0) with \(after.0)")
            #expect(try await console.auditRows(action: "download reconciliation result").map(\.outcome) == ["done", "refused"])
        }
    }

    @Test("the validation tool: a good export passes; one without a required column is refused naming it; a reconcile of a refused file keeps nothing")
    func validationTool() async throws {
        try await ConsoleFixture.with { console in
            let (before, after, _) = try Self.exports()
            let operator_ = try await console.login("operator")
            let good = try await Self.upload(console, "/reconciliation/validate", fields: [("type", "CM")], files: [("file", before.0, before.1)],
                                             as: operator_)
            #expect(good.status == .ok)
            #expect(good.text.contains("\(before.0): passed the validation tool as Course Marks (CM)"))
            // The ASN column dropped from the header.
            var text = String(decoding: before.1, as: UTF8.self)
            let header = text.prefix { $0 != "\n" && $0 != "\r" }
            let broken = header.replacingOccurrences(of: "ASN", with: "ASX")
            text = broken + text.dropFirst(header.count)
            let refused = try await Self.upload(console, "/reconciliation/validate", fields: [("type", "CM")],
                                                files: [("file", before.0, Data(text.utf8))], as: operator_)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("refused by the validation tool"))
            #expect(refused.text.contains("ASN"))
            // The report shows the file's name, never the server's temporary folder.
            #expect(!refused.text.contains("pasisync-console-"))
            let reconcile = try await Self.upload(console, "/reconciliation/run", fields: [("type", "CM")],
                                                  files: [("before", before.0, Data(text.utf8)), ("after", after.0, after.1)], as: operator_)
            #expect(reconcile.status == .unprocessableContent)
            #expect(reconcile.text.contains("refused: "))
            #expect(try await console.database.scalar("SELECT count(*)::int FROM console.reconciliations") as Int == 0)
            #expect(try await console.auditRows(action: "upload for validation").map(\.outcome) == ["done", "refused"])
        }
    }

    @Test("a viewer cannot upload; a form without the session's token is refused; the console's role keeps and hands out a result")
    func refusals() async throws {
        try await ConsoleFixture.with(consoleRole: true) { console in
            let (before, after, _) = try Self.exports()
            let viewer = try await console.login("viewer")
            #expect(try await console.get("/reconciliation", as: viewer).text.contains("Your role reads this page"))
            let byViewer = try await Self.upload(console, "/reconciliation/run", fields: [("type", "CM")],
                                                 files: [("before", before.0, before.1), ("after", after.0, after.1)], as: viewer)
            #expect(byViewer.status == .forbidden)
            let operator_ = try await console.login("operator")
            let forged = try await Self.upload(console, "/reconciliation/run", fields: [("type", "CM")],
                                               files: [("before", before.0, before.1), ("after", after.0, after.1)], as: operator_, csrf: "forged")
            #expect(forged.status == .forbidden)
            let done = try await Self.upload(console, "/reconciliation/run", fields: [("type", "CM")],
                                             files: [("before", before.0, before.1), ("after", after.0, after.1)], as: operator_)
            #expect(done.status == .ok)
            let id: Int64 = try await console.database.scalar("SELECT max(id) FROM console.reconciliations")
            #expect(try await console.get("/reconciliation/\(id)/result", as: operator_).status == .ok)
            #expect(try await console.auditRows(action: "reconcile").map(\.outcome) == ["refused", "refused", "done"])
        }
    }

    @Test("a body that is not a well-formed multipart form is refused as one without the session's token, audited, and nothing runs")
    func malformedBodies() async throws {
        // A form that cannot be read has no token to check, so it is refused as one without it, before
        // any of its fields is used: a body cut short is not taken as the parts before the cut.
        try await ConsoleFixture.with { console in
            let (before, after, _) = try Self.exports()
            let operator_ = try await console.login("operator")
            let (boundary, body) = Self.form(fields: [("csrf", operator_.csrf), ("type", "CM")],
                                             files: [("before", before.0, before.1), ("after", after.0, after.1)])
            let contentType = "multipart/form-data; boundary=\(boundary)"
            let text = String(decoding: body, as: UTF8.self)
            let close = Data("--\(boundary)--\r\n".utf8)
            let withoutClose = body.prefix(body.count - close.count)  // ends with the last file's content and its CRLF
            let lastPart = try #require(text.range(of: "--\(boundary)\r\nContent-Disposition: form-data; name=\"after\"", options: .backwards))
            let lastPartStart = text.utf8.distance(from: text.startIndex, to: lastPart.lowerBound)
            let cases: [(String, String, Data)] = [
                ("no boundary in the Content-Type", "multipart/form-data", body),
                ("a boundary the body does not use", "multipart/form-data; boundary=other\(boundary)", body),
                ("the last file cut short", contentType, body.prefix(body.count - close.count - after.1.count / 2)),
                ("no closing delimiter", contentType, withoutClose),
                ("a closing delimiter not at the start of a line", contentType, withoutClose + Data("x".utf8) + close),
                ("the last part's headers cut short", contentType, body.prefix(lastPartStart + boundary.utf8.count + 20)),
                ("a part's headers not ended by an empty line", contentType,
                 Data(text.replacingOccurrences(of: "name=\"type\"\r\n\r\n", with: "name=\"type\"\r\n").utf8)),
            ]
            for (label, type, data) in cases {
                let page = try await Self.post(console, "/reconciliation/run", contentType: type, body: data, as: operator_)
                #expect(page.status == .forbidden, "\(label): \(page.status)")
                #expect(page.text.contains("security token is missing or out of date"), "\(label)")
            }
            #expect(try await console.database.scalar("SELECT count(*)::int FROM console.reconciliations") as Int == 0)
            #expect(try await console.auditRows(action: "reconcile").map(\.outcome) == Array(repeating: "refused", count: cases.count))
            // The same form, well formed, is taken.
            let done = try await Self.post(console, "/reconciliation/run", contentType: contentType, body: body, as: operator_)
            #expect(done.status == .ok)
        }
    }
}
