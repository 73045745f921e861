import Foundation
import PasisyncTesting
import Testing

/// The suite's short chaos run (issue 23): `scripts/chaos` for one minute of SIS edits on a small
/// district, with `kill -9` of workers, a PASI outage and `pg_terminate_backend` of every worker
/// connection during the first day and the edits, then its figures checked. The script starts its
/// own PostgreSQL (cluster "chaos-test", since it restarts nothing here but must not share the
/// tests' server) and simulator, and runs the tests' `pasisync` binary.
@Suite("Chaos run", .serialized)
struct ChaosRunTests {
    @Test("a minute of edits through kill -9, a PASI outage and pg_terminate_backend: 0 records differ, 0 submits twice, 0 events lost",
          .timeLimit(.minutes(20)),
          .enabled(if: TestPostgres.isRestartable, "PASISYNC_PGDATA is not set: the chaos run needs scripts/pg's private clusters"))
    func shortChaosRun() async throws {
        let run = try await Self.chaos([
            "--minutes", "1", "--students", "300", "--seed", "3", "--rate", "3", "--processes", "2",
            "--faults", "kill,outage,terminate", "--no-baseline", "--no-hosts", "--pg-cluster", "chaos-test",
        ])
        let report = run.stdout
        let context = Comment(rawValue: "stdout:\n\(report)\nstderr (end):\n\(run.stderr.suffix(4000))")
        // Each fault happened at least once (the loop takes every kind once before any again).
        let faults = try #require(Self.line(report, "faults (seed"), context)
        for kind in ["kill", "outage", "terminate"] {
            #expect(faults.contains(kind + " "), "no \(kind) fault: \(faults)")
        }
        let edits = try #require(Self.numbers(Self.line(report, "edits made:")).first, context)
        #expect(edits == 180, context)
        let differ = Self.numbers(Self.line(report, "records whose final state in PASI differs from the SIS:"))
        #expect(differ.count >= 2 && differ[0] == 0 && differ[1] > 0, "records different (of those edited): \(differ)")
        let twice = Self.numbers(Self.line(report, "submits applied twice to PASI for one change:"))
        #expect(twice.first == 0, "submits applied twice: \(twice)")
        let events = Self.numbers(Self.line(report, "data events missing / Failed / still Pending:"))
        #expect(Array(events.prefix(3)) == [0, 0, 0], "data events missing / Failed / Pending: \(events)")
        #expect(!report.contains("NOT SETTLED"), context)
        #expect(run.status == 0, context)
    }

    /// The first line of `text` that starts with `prefix`.
    static func line(_ text: String, _ prefix: String) -> String? {
        text.split(separator: "\n").first { $0.hasPrefix(prefix) }.map(String.init)
    }

    /// The whole numbers in what follows the line's colon, in order.
    static func numbers(_ line: String?) -> [Int] {
        guard let line, let colon = line.firstIndex(of: ":") else { return [] }
        return line[line.index(after: colon)...].split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
    }

    /// Runs `scripts/chaos ARGUMENTS` with the tests' binary for the workers and the simulator.
    static func chaos(_ arguments: [String]) async throws -> CommandRun {
        var environment = ProcessInfo.processInfo.environment
        environment["PASISYNC_BENCH_BIN"] = TestEnvironment.binary
        environment["PASISYNC_CHAOS_SIMULATOR_BIN"] = TestEnvironment.binary
        return try await CommandRun.run(
            "/bin/bash", [TestEnvironment.repositoryRoot.appendingPathComponent("scripts/chaos").path] + arguments,
            environment: environment, within: .seconds(18 * 60))
    }
}
