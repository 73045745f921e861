import ArgumentParser
import DistrictSynthesis
import Foundation
import PASIModel
import PostgresNIO
import SyncStore

/// `pasisync seed`: a deterministic synthetic district in the SIS tables and the local PASI store.
struct Seed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replace the SIS district and the local PASI store with a deterministic synthetic one.",
        discussion: """
            Writes schools, students, enrolments over the current and two historical years, courses, \
            terms, sections, course enrolments and marks into sis.*, and the same district as PASI \
            holds it into pasi.*, with a known number of planted discrepancies of each kind. The same \
            --students and --seed give the same rows. Existing sis.* rows and the pasi.* tables loaded \
            are replaced, in one transaction; event monitoring writes no events for the load. \
            With --sis-only the first day is staged instead: sis.* only, the local PASI store empty, \
            and `pasisync simulator --students N --seed S` serving the same district as PASI. It prints \
            the authority's organization code (A.NNNN) for the Caller Information settings.

            Seed refuses a database it did not write: one where Regular Synchronization has ever \
            been on, one no seed wrote that holds rows, or one whose sis.* row counts differ from \
            what the last seed wrote (sync.district_loads). It says which table and why; \
            --replace-real-data goes ahead anyway and prints what it emptied.
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "Number of students, 1 to 2000000.")
    var students: Int = 1000

    @Option(name: .long, help: "The seed every draw derives from.")
    var seed: UInt64 = 1

    @Flag(name: .long, help: "Load the SIS side only; the local PASI store is left empty, as on a new installation (the PASI side is what `pasisync simulator` serves with the same --students and --seed).")
    var sisOnly = false

    @Flag(name: .long, help: "Replace the tables even where they hold data seed did not write, or Regular Synchronization has been on: a real SIS's and PASI's data is lost.")
    var replaceRealData = false

    func validate() throws {
        guard (1...2_000_000).contains(students) else {
            throw ValidationError("--students must be from 1 to 2000000, got \(students)")
        }
    }

    func run() async throws {
        let (students, seed, sisOnly, replaceRealData) = (self.students, self.seed, self.sisOnly, self.replaceRealData)
        let started = ContinuousClock.now
        let (summary, report) = try await database.withClient(label: "pasisync.seed", maximumConnections: 1) { client, logger in
            do {
                return try await DistrictLoader(client: client, logger: logger)
                    .load(students: students, seed: seed, sisOnly: sisOnly, replacingRealData: replaceRealData)
            } catch let error as PSQLError {
                throw CommandFailure(describe(error))
            } catch let refused as DistrictLoadRefused {
                throw CommandFailure("""
                    seed refused: \(refused.reason); seed empties every sis.* and pasi.* table. Nothing was changed.
                    To replace them anyway: pasisync seed --replace-real-data
                    """)
            }
        }
        if let overridden = summary.overridden {
            print("replaced (--replace-real-data): \(overridden)")
            print("emptied: " + summary.emptied.map { "\($0.name) \($0.rows.grouped)" }.joined(separator: ", "))
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let width = summary.tables.map(\.name.count).max() ?? 0
        for table in summary.tables {
            print(table.name.padding(toLength: width, withPad: " ", startingAt: 0), String(format: "%9d", table.rows))
        }
        let totalRows = summary.tables.reduce(0) { $0 + $1.rows }
        print("total".padding(toLength: width, withPad: " ", startingAt: 0), String(format: "%9d", totalRows))
        print(String(format: "seeded %d students (seed %llu) in %.2f s", students, seed, seconds))
        // The Caller Information settings need it: PASI refuses a call naming another organization.
        let organization = DistrictGenerator(students: students, seed: seed).authorityCode
        print("organization code: \(organization) (pasisync settings set organization_code \(organization))")
        if sisOnly { print("local PASI store: empty (run Load Local Copy: pasisync run load-local-copy)") }
        print("planted discrepancies:")
        for kind in DiscrepancyKind.allCases {
            let (name, conflictType) = (kind.rawValue, kind.conflictType.rawValue)
            print("  \(name.padding(toLength: 24, withPad: " ", startingAt: 0)) \(conflictType.padding(toLength: 32, withPad: " ", startingAt: 0)) \(report.counts[kind] ?? 0)")
        }
    }
}
