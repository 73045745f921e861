import DistrictSynthesis
import Foundation
import Logging
import PASICore
import PASIModel
import PasisyncTesting
import PASIContract
import PASISimulator
import SyncStore
import Testing

@Suite("`pasisync certs` and `pasisync simulator` as processes")
struct SimulatorProcessTests {
    @Test("the commands create certificates and serve the seeded province over HTTPS until SIGTERM")
    func simulatorProcess() async throws {
        let directory = NSTemporaryDirectory() + "pasisync-process-certs-\(getpid())"
        let certs = try run(["certs", "--out", directory, "--client-name", "A.TEST"])
        #expect(certs.status == 0)
        #expect(certs.output.contains("client-key.pem"))

        let refused = try run(["simulator", "--certs", directory + "-missing", "--port", "1"])
        #expect(refused.status != 0)
        #expect(refused.error.contains("does not exist"))

        let (process, port, log) = try await startSimulator(["--certs", directory, "--students", "50", "--seed", "3", "--log-level", "debug"])
        defer { if process.isRunning { process.terminate() } }
        let generator = DistrictGenerator(students: 50, seed: 3)
        let client = try PASICoreClient(
            configuration: .init(
                endpoint: "https://127.0.0.1:\(port)/pasi", certificatePath: directory + "/client.pem",
                privateKeyPath: directory + "/client-key.pem", trustRootsPath: directory + "/ca.pem",
                callerInfo: try CallerInfo(user: .init(ipAddress: "127.0.0.1", localID: "t", name: "Test", organizationCode: generator.authorityCode))),
            messageLog: DiscardingMessageLog(), logger: TestEnvironment.logger)
        let expected = Set(generator.pasiStudents().map(\.asn))
        let answers = try await using(client) { client in
            var seen: Set<String> = []
            let type = try NotificationType(.student)
            let highest = try await client.followFeed(type, after: 0) { seen.formUnion($0.map(\.id)) }
            #expect(seen == expected)

            // A long poll of ten minutes with nothing to report is waiting when SIGTERM comes:
            // the stop answers it (nothing new) instead of waiting the ten minutes out.
            let poll = Task { try await client.isDataAvailable([.init(type, after: highest)], wait: .seconds(600)) }
            try await eventually(within: .seconds(20), "the long poll reaches the simulator") {
                (try? String(contentsOfFile: log, encoding: .utf8))?.contains("operation=IsDataAvailable") ?? false
            }
            process.terminate()  // SIGTERM: a graceful stop
            try await eventually(within: .seconds(20), "the simulator stops on SIGTERM") { !process.isRunning }
            #expect(process.terminationStatus == 0)
            return await poll.result
        }
        // The poll has ended (it did not hold the stop). The server answers it before it closes;
        // a client may still see the connection close first (one clean-clone run did, not
        // reproduced since), which is as good an end for a poll as an answer. An answer must say
        // nothing is new.
        if case .success(let answers) = answers { #expect(answers.allSatisfy { $0.item.isEmpty }) }
    }

    @Test("--from-database serves the local PASI store of a database: the client's hash of it matches")
    func fromDatabase() async throws {
        let directory = NSTemporaryDirectory() + "pasisync-process-certs-db-\(getpid())"
        _ = try DevelopmentCertificates.create(in: directory)
        try await TestDatabase.with { database in
            let generator = DistrictGenerator(students: 120, seed: 9)
            _ = try await DistrictLoader(client: database.client, logger: TestEnvironment.logger).load(generator)
            let store = PASIStore(client: database.client, logger: TestEnvironment.logger)
            let held = try await store.versions(of: .student)
            let enrolments = try await store.versions(of: .schoolEnrolment, schoolYear: generator.currentSchoolYear)

            let refused = try run(["simulator", "--certs", directory, "--from-database", "--database-url", database.url])
            #expect(refused.status != 0)
            #expect(refused.error.contains("--organization"))

            let (process, port, _) = try await startSimulator([
                "--certs", directory, "--from-database", "--database-url", database.url,
                "--organization", generator.authorityCode.description, "--current-school-year", String(generator.currentSchoolYear.endYear),
            ])
            defer { if process.isRunning { process.terminate() } }
            let client = try PASICoreClient(
                configuration: .init(
                    endpoint: "https://127.0.0.1:\(port)/pasi", certificatePath: directory + "/client.pem",
                    privateKeyPath: directory + "/client-key.pem", trustRootsPath: directory + "/ca.pem",
                    callerInfo: try CallerInfo(user: .init(ipAddress: "127.0.0.1", localID: "t", name: "Test", organizationCode: generator.authorityCode))),
                messageLog: DiscardingMessageLog(), logger: TestEnvironment.logger)
            let answers = try await using(client) { client in
                try await client.isDataAvailable([
                    .init(try NotificationType(.student), hash: VersionHash.of(held)),
                    .init(try NotificationType(.studentSchoolEnrolment, year: generator.currentSchoolYear), hash: VersionHash.of(enrolments)),
                ], wait: .zero)
            }
            #expect(answers.map(\.hashMatched) == [true, true])
            #expect(held.count == 120)
        }
    }

    /// Starts the simulator on a free port (tries a few in case one is taken).
    /// - Returns: the process, its port, and the file its log (standard error) goes to.
    private func startSimulator(_ arguments: [String]) async throws -> (Process, Int, String) {
        for _ in 0..<5 {
            let port = Int.random(in: 40_000...49_999)
            let output = NSTemporaryDirectory() + "pasisync-simulator-\(getpid())-\(port).out"
            _ = FileManager.default.createFile(atPath: output, contents: nil)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: TestEnvironment.binary)
            process.arguments = ["simulator", "--port", String(port)] + arguments
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
            let log = output + ".log"
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            try process.run()
            let deadline = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < deadline, process.isRunning {
                if let text = try? String(contentsOfFile: output, encoding: .utf8), text.contains("https://127.0.0.1:\(port)/pasi") {
                    return (process, port, log)
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            if process.isRunning {
                // Running but silent: not a taken port; retrying would only hide it.
                process.terminate()
                let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
                throw TestFailure("the simulator runs but did not report https://127.0.0.1:\(port)/pasi within 30 s; stdout: \(text)")
            }
        }
        throw TestFailure("the simulator exited at once on every port tried")
    }

    private func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestEnvironment.binary)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let error = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output, error)
    }
}
