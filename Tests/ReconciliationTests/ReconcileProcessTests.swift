import Foundation
import PasisyncTesting
import Testing

/// The command layer: the real `pasisync reconcile` and `pasisync reconcile validate` processes
/// (PASISYNC_BIN) on small files, their exit statuses, what they print and what they leave.
@Suite struct ReconcileProcessTests {
    /// Runs `pasisync ARGUMENTS` and waits for it to exit (within 60 s).
    static func pasisync(_ arguments: [String]) async throws -> CommandRun { try await CommandRun.pasisync(arguments) }

    /// The count the command printed for `status` (its line: two spaces, the status, the count).
    static func printedCount(_ stdout: String, _ status: String) -> Int? {
        for line in stdout.split(separator: "\n") where line.hasPrefix("  " + status + " ") {
            return Int(line.dropFirst(2 + status.count).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    static let before = Table(header: CM.header, rows: [
        CM.row(asn: "012345678", code: "ELA1105"),
        CM.row(asn: "012345678", code: "MAT1791", value: "78"),
        CM.row(asn: "023456789", code: "SCN1270"),
        CM.row(asn: "023456789", code: "PED1445"),
    ])
    static let after = Table(header: CM.header, rows: [
        CM.row(asn: "012345678", code: "MAT1791", value: "85"),
        CM.row(asn: "012345678", code: "ELA1105"),
        CM.row(asn: "023456789", code: "PED1445"),
        CM.row(asn: "034567891", code: "PED1445"),
        CM.row(asn: "045678912", code: "SCN1270"),
    ])

    @Test func reconcilePrintsTheCountPerStatusAndWritesTheResult() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let b = scratch.write("2026-1234-CM-BeforeDelete.csv", Self.before.csv())
        let a = scratch.write("2026-1234-CM-AfterUpload.csv", Self.after.csv())
        // Without --out: the seed-form name beside the Before Delete file.
        let run = try await Self.pasisync(["reconcile", "--type", "CM", "--before", b, "--after", a])
        #expect(run.status == 0, "\(run.stderr)")
        let result = scratch.path("2026-1234-CM-Reconciliation.csv")
        #expect(run.stdout.contains("Course Marks (CM): 4 records before delete, 5 after upload; result in \(result)"), "\(run.stdout)")
        #expect(Self.printedCount(run.stdout, "Added New to PASI") == 2, "\(run.stdout)")
        #expect(Self.printedCount(run.stdout, "Matched with Data Differences") == 1)
        #expect(Self.printedCount(run.stdout, "Perfectly Matched") == 2)
        #expect(Self.printedCount(run.stdout, "Missing from PASI") == 1)
        #expect(run.stdout.contains("differences by column: Value 1"))
        #expect(run.stderr.isEmpty, "\(run.stderr)")
        // Its messages name no ASN.
        for row in Self.before.rows + Self.after.rows { #expect(!(run.stdout + run.stderr).contains(row[0])) }
        let written = try ResultFile(path: result)
        #expect(written.rows.count == 6)
        #expect(written.status(where: ["ASN": "023456789", "Code": "SCN1270"]) == "Missing from PASI")
        #expect(scratch.listing() == ["2026-1234-CM-AfterUpload.csv", "2026-1234-CM-BeforeDelete.csv", "2026-1234-CM-Reconciliation.csv"])

        // `run` is the default subcommand; --out names the result.
        let named = try await Self.pasisync(["reconcile", "run", "--type", "CM", "--before", b, "--after", a, "--out", scratch.path("named.csv")])
        #expect(named.status == 0, "\(named.stderr)")
        #expect(try String(contentsOfFile: scratch.path("named.csv"), encoding: .utf8) == String(contentsOfFile: result, encoding: .utf8))
        // Readable by its owner only: a reconciliation names students (issue 22).
        let mode = try FileManager.default.attributesOfItem(atPath: scratch.path("named.csv"))[.posixPermissions] as? Int
        #expect(mode == 0o600, "mode \(String(mode ?? 0, radix: 8))")
    }

    @Test func aMalformedFileIsRefusedWithItsLineAndColumnAndNothingIsWritten() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let b = scratch.write("2026-1234-CM-BeforeDelete.csv", Self.before.csv())
        // Line 3 (the second record): a quote inside an unquoted field, at its 5th character.
        var lines = Self.after.csv(bom: false).components(separatedBy: "\r\n")
        lines[2] = "0123\"45678," + lines[2].split(separator: ",", omittingEmptySubsequences: false).dropFirst().joined(separator: ",")
        let a = scratch.write("2026-1234-CM-AfterUpload.csv", lines.joined(separator: "\r\n"))
        let listing = scratch.listing()
        let run = try await Self.pasisync(["reconcile", "--type", "CM", "--before", b, "--after", a, "--out", scratch.path("result.csv")])
        #expect(run.status == 1)
        #expect(run.stderr.contains("pasisync reconcile: \(a): line 3, column 5: a quote inside a field that is not quoted"), "\(run.stderr)")
        #expect(Self.printedCount(run.stdout, "Perfectly Matched") == nil)
        #expect(scratch.listing() == listing)

        let validate = try await Self.pasisync(["reconcile", "validate", "--type", "CM", a])
        #expect(validate.status == 1)
        #expect(validate.stdout.contains("error: \(a): line 3, column 5: a quote inside a field that is not quoted"), "\(validate.stdout)")
        #expect(validate.stdout.hasSuffix("  refused: 1 problem\n"), "\(validate.stdout)")
    }

    @Test func aFileThatFailsValidationIsRefusedAndNothingIsWritten() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let b = scratch.write("2026-1234-CM-BeforeDelete.csv", Self.before.csv())
        // Saved again by a spreadsheet program: the ASN's leading zero lost.
        var rows = Self.after.rows
        rows[0][0] = "12345678"
        let a = scratch.write("2026-1234-CM-AfterUpload.csv", Table(header: CM.header, rows: rows).csv())
        let listing = scratch.listing()
        let run = try await Self.pasisync(["reconcile", "--type", "CM", "--before", b, "--after", a])
        #expect(run.status == 1)
        #expect(run.stderr.contains("\(a): refused by the validation tool"), "\(run.stderr)")
        #expect(run.stderr.contains("saved again: 1 ASN with fewer than nine digits: leading zeros lost (first at line 2, column 1)"), "\(run.stderr)")
        #expect(scratch.listing() == listing)
        // Accepted when the operator says so: the ASN then meets its padded partner.
        let allowed = try await Self.pasisync(["reconcile", "--type", "CM", "--before", b, "--after", a, "--allow-saved-again"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(Self.printedCount(allowed.stdout, "Matched with Data Differences") == 1, "\(allowed.stdout)")

        // The validation tool: a good file passes (exit 0), missing columns are each named (exit 1).
        let good = try await Self.pasisync(["reconcile", "validate", "--type", "CM", b])
        #expect(good.status == 0, "\(good.stdout)")
        #expect(good.stdout == "\(b): Course Marks (CM) export, CSV, 4 records\n  passed\n")
        let header = CM.header.filter { $0 != "Term" && $0 != "Approved?" }
        let narrow = scratch.write("2026-1234-CM-AfterUpload-narrow.csv", Table(header: header, rows: []).csv())
        let missing = try await Self.pasisync(["reconcile", "validate", "--type", "CM", narrow])
        #expect(missing.status == 1)
        #expect(missing.stdout.contains("error: required column \"Term\" is missing"), "\(missing.stdout)")
        #expect(missing.stdout.contains("error: required column \"Approved?\" is missing"))
        #expect(missing.stdout.contains("warning: the file name is not of the form"))
        // A bad type is refused by the argument parser.
        let badType = try await Self.pasisync(["reconcile", "validate", "--type", "XX", b])
        #expect(badType.status == 64, "\(badType.stderr)")
    }
}
