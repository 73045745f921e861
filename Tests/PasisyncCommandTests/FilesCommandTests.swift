import Foundation
import PostgresNIO
import SyncStore
import Testing
import PasisyncTesting

/// The real `pasisync files` binary over files kept in sync.job_files.
@Suite("pasisync files")
struct FilesCommandTests {
    /// Bytes of every value, zeros and 0xFF included, in an order no text encoding would keep.
    static func binary(_ count: Int, seed: UInt64) -> Data {
        var state = seed
        return Data((0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 56)
        })
    }

    /// A folder of its own, removed afterwards.
    static func withFolder<T>(_ body: (URL) async throws -> T) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pasisync-files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        return try await body(folder)
    }

    /// Two jobs' files: a noop job with a log and a binary extract, and a second job with one file.
    static func plant(_ database: TestDatabase) async throws -> (job: Int64, other: Int64, log: Data, extract: Data) {
        let job = try await database.scalar("INSERT INTO queue.jobs (kind) VALUES ('noop') RETURNING id", as: Int64.self)
        let other = try await database.scalar("INSERT INTO queue.jobs (kind) VALUES ('noop') RETURNING id", as: Int64.self)
        let store = FilesStore(client: database.client, logger: TestEnvironment.logger)
        let log = Data("Initial Synchronization\nschool 1042: 3 of 3 students matched\n".utf8)
        let extract = binary(300_000, seed: 7)
        try await store.save(jobID: job, name: "pasi-initialization.log", content: log)
        try await store.save(jobID: job, name: "pasi-init-diff-students.tab", content: extract)
        try await store.save(jobID: other, name: "pasi-initialization.log", content: Data("other\n".utf8))
        return (job, other, log, extract)
    }

    @Test("files list shows each kept file with its job, title and size; --job only that job's")
    func list() async throws {
        try await TestDatabase.with { database in
            let planted = try await Self.plant(database)
            let all = try await CommandRun.pasisync(["files", "list"], database: database)
            #expect(all.status == 0, "stderr: \(all.stderr)")
            let lines = all.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
            #expect(lines.first == "JOB JOB TITLE NAME BYTES CREATED", "\(all.stdout)")
            let expected = [
                "\(planted.other) Diagnostic no-op pasi-initialization.log 6 ",
                "\(planted.job) Diagnostic no-op pasi-init-diff-students.tab 300000 ",
                "\(planted.job) Diagnostic no-op pasi-initialization.log \(planted.log.count) ",
            ]
            #expect(lines.count == 4, "\(all.stdout)")
            for (line, prefix) in zip(lines.dropFirst(), expected) {
                #expect(line.hasPrefix(prefix), "\(line) does not start with \(prefix)")
            }

            let one = try await CommandRun.pasisync(["files", "--job", "\(planted.other)"], database: database)
            #expect(one.status == 0, "stderr: \(one.stderr)")
            #expect(one.stdout.split(separator: "\n").count == 2, "\(one.stdout)")
            let unknown = try await CommandRun.pasisync(["files", "list", "--job", "999999"], database: database)
            #expect(unknown.status != 0)
            #expect(unknown.stderr.contains("no files are kept for job 999999"), "stderr: \(unknown.stderr)")
        }
    }

    @Test("files get writes every file of a job byte for byte, prints each path, and leaves no temporary file")
    func getRoundTrip() async throws {
        try await TestDatabase.with { database in
            let planted = try await Self.plant(database)
            try await Self.withFolder { folder in
                // A stale file of the same name is replaced whole.
                try Data("stale".utf8).write(to: folder.appendingPathComponent("pasi-initialization.log"))
                let run = try await CommandRun.pasisync(["files", "get", "--job", "\(planted.job)", "--out", folder.path], database: database)
                #expect(run.status == 0, "stderr: \(run.stderr)")
                let log = folder.appendingPathComponent("pasi-initialization.log")
                let extract = folder.appendingPathComponent("pasi-init-diff-students.tab")
                #expect(Set(run.stdout.split(separator: "\n").map(String.init)) == [log.path, extract.path], "\(run.stdout)")
                #expect(try Data(contentsOf: log) == planted.log)
                #expect(try Data(contentsOf: extract) == planted.extract)
                // Readable by their owner only: they hold names and birth dates (issue 22).
                for file in [log, extract] {
                    let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
                    #expect(mode == 0o600, "\(file.lastPathComponent): mode \(String(mode ?? 0, radix: 8))")
                }
                let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
                #expect(names == ["pasi-init-diff-students.tab", "pasi-initialization.log"])
            }
        }
    }

    @Test("files get --name writes that one file; an unknown name is refused naming the job's files")
    func getOneByName() async throws {
        try await TestDatabase.with { database in
            let planted = try await Self.plant(database)
            try await Self.withFolder { folder in
                let run = try await CommandRun.pasisync(
                    ["files", "get", "--job", "\(planted.job)", "--out", folder.path, "--name", "pasi-init-diff-students.tab"],
                    database: database)
                #expect(run.status == 0, "stderr: \(run.stderr)")
                #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["pasi-init-diff-students.tab"])
                #expect(try Data(contentsOf: folder.appendingPathComponent("pasi-init-diff-students.tab")) == planted.extract)

                let missing = try await CommandRun.pasisync(
                    ["files", "get", "--job", "\(planted.job)", "--out", folder.path, "--name", "pasi-init-diff-enrolments.tab"],
                    database: database)
                #expect(missing.status != 0)
                #expect(missing.stderr.contains("job \(planted.job) has no file pasi-init-diff-enrolments.tab"), "stderr: \(missing.stderr)")
                #expect(missing.stderr.contains("pasi-initialization.log"), "stderr: \(missing.stderr)")
                let traversal = try await CommandRun.pasisync(
                    ["files", "get", "--job", "\(planted.job)", "--out", folder.path, "--name", "../escape"], database: database)
                #expect(traversal.status != 0 && traversal.stderr.contains("plain file name"), "stderr: \(traversal.stderr)")
                #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["pasi-init-diff-students.tab"])
            }
        }
    }

    @Test("files get refuses an unknown job and a missing folder, writing nothing")
    func getRefusals() async throws {
        try await TestDatabase.with { database in
            let planted = try await Self.plant(database)
            try await Self.withFolder { folder in
                let unknown = try await CommandRun.pasisync(["files", "get", "--job", "999999", "--out", folder.path], database: database)
                #expect(unknown.status != 0)
                #expect(unknown.stderr.contains("no files are kept for job 999999"), "stderr: \(unknown.stderr)")
                #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)

                let nowhere = folder.appendingPathComponent("no-such-folder").path
                let missing = try await CommandRun.pasisync(["files", "get", "--job", "\(planted.job)", "--out", nowhere], database: database)
                #expect(missing.status != 0)
                #expect(missing.stderr.contains("--out \(nowhere): no such folder"), "stderr: \(missing.stderr)")
                #expect(!FileManager.default.fileExists(atPath: nowhere))

                let file = folder.appendingPathComponent("plain-file")
                try Data().write(to: file)
                let notFolder = try await CommandRun.pasisync(["files", "get", "--job", "\(planted.job)", "--out", file.path], database: database)
                #expect(notFolder.status != 0 && notFolder.stderr.contains("is not a folder"), "stderr: \(notFolder.stderr)")
            }
        }
    }
}
