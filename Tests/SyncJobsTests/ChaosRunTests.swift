import Foundation
import PasisyncTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

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

    /// A finished run of the script.
    struct ScriptRun {
        let status: Int32
        let stdout: String
        let stderr: String
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
    static func chaos(_ arguments: [String]) async throws -> ScriptRun {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [TestEnvironment.repositoryRoot.appendingPathComponent("scripts/chaos").path] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PASISYNC_BENCH_BIN"] = TestEnvironment.binary
        environment["PASISYNC_CHAOS_SIMULATOR_BIN"] = TestEnvironment.binary
        process.environment = environment
        // Files rather than pipes: a full pipe would block the script while the test waits for it.
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("chaos-\(UUID().uuidString).out")
        let err = FileManager.default.temporaryDirectory.appendingPathComponent("chaos-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        let deadline = ContinuousClock.now + .seconds(18 * 60)
        // The script's own exit, by waitpid: Foundation's Process learns of it only once every
        // process that inherited its descriptors is gone, and a server the script started may
        // outlive it.
        var exitStatus: Int32?
        while exitStatus == nil {
            var status: Int32 = 0
            if waitpid(process.processIdentifier, &status, WNOHANG) == process.processIdentifier {
                exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            } else if !process.isRunning {
                exitStatus = process.terminationStatus
            } else if ContinuousClock.now >= deadline {
                process.terminate()
                throw TestFailure("scripts/chaos did not exit within 18 minutes")
            } else {
                try await Task.sleep(for: .milliseconds(200))
            }
        }
        return ScriptRun(status: exitStatus ?? -1,
                          stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                          stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }
}
