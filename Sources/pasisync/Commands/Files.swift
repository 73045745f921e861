import ArgumentParser
import Foundation
import SyncStore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `pasisync files`: the files processes wrote (pasi-initialization.log, the extract files, …),
/// kept in the database with their job so that any host of the cluster hands them out.
struct Files: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List or fetch the files processes wrote (pasi-initialization.log, the extract files, ...).",
        discussion: """
            The files live in sync.job_files, one row per job and file name (content is bytea); psql \
            lists them with
              SELECT * FROM sync.file_list WHERE job_id = 42;
            """,
        subcommands: [List.self, Get.self],
        defaultSubcommand: List.self
    )

    /// `pasisync files [list] [--job ID]`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the files kept, newest job first (the default subcommand).",
            discussion: "The same in psql: SELECT * FROM sync.file_list;")

        @OptionGroup var database: DatabaseOptions

        @Option(help: ArgumentHelp("Only this job's files.", valueName: "id"))
        var job: Int64?

        func run() async throws {
            let job = self.job
            let files = try await database.withClient(label: "pasisync.files") { client, logger in
                try await FilesStore(client: client, logger: logger).list(jobID: job)
            }
            guard !files.isEmpty else {
                if let job { throw CommandFailure(FilesText.noFiles(job: job)) }
                print("no files kept")
                return
            }
            var rows = [["JOB", "JOB TITLE", "NAME", "BYTES", "CREATED"]]
            for file in files {
                rows.append(["\(file.jobID)", file.jobTitle, file.name, "\(file.bytes)", file.createdLocal])
            }
            print(QueueTable.table(rows), terminator: "")
        }
    }

    /// `pasisync files get --job ID --out DIR [--name NAME]`.
    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "get", abstract: "Write a job's files into a folder (each atomically), printing each path written.",
            discussion: """
                Each file is written to a temporary name in DIR, flushed, then renamed over NAME, so a \
                reader never sees half a file. The same from a shell, one file at a time:
                  psql -Atc "SELECT encode(content, 'base64') FROM sync.job_files
                    WHERE job_id = 42 AND name = 'pasi-initialization.log'" \\
                    | base64 -d > pasi-initialization.log
                """)

        @OptionGroup var database: DatabaseOptions

        @Option(help: ArgumentHelp("The job whose files to write (pasisync files list shows them).", valueName: "id"))
        var job: Int64

        @Option(help: ArgumentHelp("The folder to write into; it must exist.", valueName: "dir"))
        var out: String

        @Option(help: ArgumentHelp("Only the file of this name (otherwise every file of the job).", valueName: "name"))
        var name: String?

        func validate() throws {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: out, isDirectory: &isFolder) else {
                throw ValidationError("--out \(out): no such folder (create it first)")
            }
            guard isFolder.boolValue else { throw ValidationError("--out \(out) is not a folder") }
            if let name, !FilesText.isPlainName(name) {
                throw ValidationError("--name must be a plain file name (letters, digits, '.', '_', '-'), got \(name.debugDescription)")
            }
        }

        func run() async throws {
            let (job, name) = (self.job, self.name)
            let folder = URL(fileURLWithPath: out, isDirectory: true)
            _ = try await database.withClient(label: "pasisync.files") { client, logger in
                let store = FilesStore(client: client, logger: logger)
                let files = try await store.list(jobID: job)
                guard !files.isEmpty else { throw CommandFailure(FilesText.noFiles(job: job)) }
                var names = files.map(\.name)
                if let name {
                    guard names.contains(name) else {
                        throw CommandFailure("job \(job) has no file \(name); its files: \(names.joined(separator: ", "))")
                    }
                    names = [name]
                }
                var paths: [String] = []
                for name in names {
                    // One file in memory at a time.
                    guard let content = try await store.content(jobID: job, name: name) else {
                        throw CommandFailure("job \(job)'s file \(name) was removed while being fetched")
                    }
                    let path = try FilesText.writeAtomically(content, named: name, in: folder)
                    print(path)
                    paths.append(path)
                }
                return paths
            }
        }
    }
}

/// What `pasisync files` says and does on disk, kept apart from the database.
enum FilesText {
    static func noFiles(job: Int64) -> String {
        "no files are kept for job \(job) (pasisync files list shows the jobs that have files)"
    }

    /// The names `sync.job_files` accepts (its name_is_a_plain_file_name CHECK): no folders, no dot files.
    static func isPlainName(_ name: String) -> Bool {
        func alphanumeric(_ scalar: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
        }
        guard let first = name.unicodeScalars.first, alphanumeric(first) else { return false }
        return name.unicodeScalars.allSatisfy { alphanumeric($0) || $0 == "." || $0 == "_" || $0 == "-" }
    }

    /// Writes `content` to a temporary name in `folder`, flushes it, and renames it to `name`
    /// (replacing a file of that name), so the file appears whole or not at all.
    /// - Returns: The path written.
    static func writeAtomically(_ content: Data, named name: String, in folder: URL) throws -> String {
        guard isPlainName(name) else { throw CommandFailure("refusing to write \(name.debugDescription): not a plain file name") }
        let target = folder.appendingPathComponent(name)
        let temporary = folder.appendingPathComponent(".\(name).\(getpid()).\(UUID().uuidString.prefix(8)).partial")
        // Owner only: the extract files hold names, birth dates and document numbers.
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw CommandFailure("cannot create \(temporary.path)")
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            do {
                try handle.write(contentsOf: content)
                try handle.synchronize()
            } catch {
                try? handle.close()
                throw error
            }
            try handle.close()
            guard rename(temporary.path, target.path) == 0 else {
                throw CommandFailure("cannot rename \(temporary.path) to \(target.path): \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            if let failure = error as? CommandFailure { throw failure }
            throw CommandFailure("cannot write \(target.path): \(error)")
        }
        return target.path
    }
}
