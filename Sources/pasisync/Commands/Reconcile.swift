import ArgumentParser
import Foundation
import Reconciliation

/// `pasisync reconcile`: the seed's Reconciliation Process, Before Delete and After Upload
/// exports of PASIprep compared record by record (`run`, the default), and its validation tool.
struct Reconcile: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The Reconciliation Process: compare a school's PASIprep exports, or validate one.",
        subcommands: [ReconcileRun.self, ReconcileValidate.self, ReconcileGenerate.self],
        defaultSubcommand: ReconcileRun.self)
}

/// `pasisync reconcile [run] --type … --before … --after …`.
struct ReconcileRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Compare a school's PASIprep exports from before the delete and after the Initial Upload (the default).",
        discussion: """
            Reads both exports (CSV, or the legacy XML of Export to Excel; recognised by content), runs \
            the validation tool on each, pairs each record of the Before Delete file with the After \
            Upload file's by its key, and writes every record of either file with a "Match Status" \
            column (Added New to PASI, Matched with Data Differences, Perfectly Matched, Missing from \
            PASI) and a "Differences" column naming each differing column with both values. It prints \
            the count per status. Keys and compared columns per type: docs/reconciliation.md.
            The result is written to a temporary file and renamed when complete, so a refusal leaves \
            nothing. Exit status 1 when a file is refused.
            """)

    @Option(name: .long, help: "CM (Course Marks), EM (Evaluated Marks) or SE (Sections).")
    var type: ExportTypeArgument

    @Option(name: .long, help: "The Before Delete export (YYYY-NNNN-XX-BeforeDelete.csv or .xml).")
    var before: String

    @Option(name: .long, help: "The After Upload export (YYYY-NNNN-XX-AfterUpload.csv or .xml).")
    var after: String

    @Option(name: .long, help: "The result file (CSV). Default: YYYY-NNNN-XX-Reconciliation.csv beside the Before Delete file.")
    var out: String?

    @Flag(name: .long, help: "Reconcile files that show signs of having been opened and saved again (the seed says to export them again).")
    var allowSavedAgain = false

    func run() throws {
        let output = out ?? Self.defaultOutput(before: before, type: type.value)
        do {
            let summary = try Reconciliation.reconcile(type: type.value, before: before, after: after, output: output, allowSavedAgain: allowSavedAgain)
            for report in summary.reports {
                for finding in report.findings { print("\(report.file): \(finding)") }
            }
            let (b, a) = (summary.reports[0].records, summary.reports[1].records)
            print("\(type.value): \(b) records before delete, \(a) after upload; result in \(summary.output)")
            for status in MatchStatus.allCases {
                print("  \(status.rawValue.padding(toLength: 31, withPad: " ", startingAt: 0))\(String(summary.counts[status] ?? 0).leftPadded(9))")
            }
            if !summary.differencesByColumn.isEmpty {
                print("  differences by column: " + summary.differencesByColumn.map { "\($0.column) \($0.count)" }.joined(separator: ", "))
            }
        } catch {
            FileHandle.standardError.write(Data("pasisync reconcile: \(error)\n".utf8))
            for report in error.reports { FileHandle.standardError.write(Data((report.description + "\n").utf8)) }
            throw ExitCode.failure
        }
    }

    /// `2025-1234-CM-Reconciliation.csv` beside a Before Delete file of the seed's form, else
    /// `<name>-Reconciliation.csv`.
    static func defaultOutput(before: String, type: ExportType) -> String {
        let url = URL(fileURLWithPath: before)
        let directory = url.deletingLastPathComponent().path
        if let name = ExportFileName(path: before) {
            return directory + "/\(name.schoolYear)-\(name.school)-\(type.code)-Reconciliation.csv"
        }
        return directory + "/" + url.deletingPathExtension().lastPathComponent + "-Reconciliation.csv"
    }
}

/// `pasisync reconcile validate`: the seed's validation tool.
struct ReconcileValidate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check that an export holds the columns the Reconciliation Process requires, and was not saved again.",
        discussion: """
            Names every required column of the type that is missing (spelled as PASIprep spells it), \
            and warns about a file that looks opened and saved again by a spreadsheet program (ASNs \
            that lost leading zeros or were reformatted, dates rewritten, quoting changed), about a \
            file name not of the form YYYY-NNNN-XX-BeforeDelete.csv / -AfterUpload.csv, and a type \
            that does not match. A malformed file is reported with its line and column. Exit status \
            1 when `pasisync reconcile` would refuse the file.
            """)

    @Option(name: .long, help: "CM (Course Marks), EM (Evaluated Marks) or SE (Sections).")
    var type: ExportTypeArgument

    @Flag(name: .long, help: "Do not count signs of a file saved again as a refusal.")
    var allowSavedAgain = false

    @Argument(help: "The export to check, CSV or SpreadsheetML XML.")
    var file: String

    func run() throws {
        var report = Reconciliation.validate(path: file, type: type.value)
        report.acceptsSavedAgain = allowSavedAgain
        print(report.description)
        if !report.passes { throw ExitCode.failure }
    }
}

/// `pasisync reconcile generate`: the benchmark's two files (hidden).
struct ReconcileGenerate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a synthetic pair of Course Marks exports (1 % changed, 1 % added, 1 % missing).",
        shouldDisplay: false)

    @Option(name: .long, help: "Records in the Before Delete file (the After Upload file has as many).")
    var records = 1_000_000

    @Option(name: .long, help: "The directory to write 2025-1234-CM-BeforeDelete.csv and -AfterUpload.csv into.")
    var directory = "."

    func run() throws {
        let (before, after, expected) = try SyntheticExports.writeCourseMarks(records: records, directory: directory)
        print(before)
        print(after)
        print("expected: Perfectly Matched \(expected.perfectlyMatched), Matched with Data Differences \(expected.matchedWithDataDifferences), Added New to PASI \(expected.addedNewToPASI), Missing from PASI \(expected.missingFromPASI)")
    }
}

/// `--type CM|EM|SE`.
struct ExportTypeArgument: ExpressibleByArgument {
    let value: ExportType
    init?(argument: String) {
        guard let type = ExportType(code: argument) else { return nil }
        value = type
    }
    static var allValueStrings: [String] { ExportType.allCases.map(\.code) }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
