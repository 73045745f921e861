import ArgumentParser
import Foundation
import JobQueue

/// `pasisync enqueue`: inserts a job.
struct Enqueue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Insert a job into the queue.",
        discussion: """
            The same as INSERT INTO queue.jobs (kind, args, …) from psql. Prints the job's id.
            Example: pasisync enqueue noop --args '{"sleep_ms": 500}' --priority 5
            """)

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "The job kind (see queue.job_kinds).")
    var kind: String

    @Option(help: "The job's arguments, a JSON object.")
    var args: String = "{}"

    @Option(help: "When to start: an ISO 8601 time (2026-11-29T20:00:00Z) or a delay (+30s, +5m, +2h).")
    var runAt: String?

    @Option(help: "Higher runs first.")
    var priority: Int = 0

    @Option(help: "At most one unfinished job holds a key; enqueueing it again returns that job.")
    var uniqueKey: String?

    @Option(help: "Comma-separated job ids this job waits for; it fails if one of them fails.")
    var dependsOn: String?

    @Option(help: "Attempts before the job fails for good (default: the kind's).")
    var maxAttempts: Int?

    func validate() throws {
        _ = try JobArguments.validate(args)
        _ = try parsedRunAt()
        _ = try parsedDependencies()
        if let maxAttempts, !(1...1000).contains(maxAttempts) {
            throw ValidationError("--max-attempts must be from 1 to 1000, got \(maxAttempts)")
        }
    }

    func run() async throws {
        let job = NewJob(
            kind: kind, args: try JobArguments.validate(args), priority: priority, runAt: try parsedRunAt(),
            uniqueKey: uniqueKey, dependsOn: try parsedDependencies(), maxAttempts: maxAttempts)
        try await database.withClient(label: "pasisync.enqueue") { client, logger in
            do {
                switch try await QueueStore(client: client, logger: logger).enqueue(job) {
                case .inserted(let id): print(id)
                case .duplicate(let id):
                    print(id)
                    FileHandle.standardError.write(Data("job \(id) already holds unique key \"\(job.uniqueKey ?? "")\"; nothing inserted\n".utf8))
                }
            } catch {
                throw CommandFailure("cannot enqueue: \(describe(error))")
            }
        }
    }

    private func parsedRunAt() throws -> Date? {
        guard let runAt else { return nil }
        if runAt.hasPrefix("+") {
            let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
            guard let unit = runAt.last, let scale = units[unit], let amount = Double(runAt.dropFirst().dropLast()), amount >= 0 else {
                throw ValidationError("--run-at \"\(runAt)\": a delay is written +N followed by s, m, h or d (e.g. +30s)")
            }
            return Date(timeIntervalSinceNow: amount * scale)
        }
        guard let date = try? Date(runAt, strategy: .iso8601) else {
            throw ValidationError("--run-at \"\(runAt)\" is neither an ISO 8601 time (2026-11-29T20:00:00Z) nor a delay (+30s)")
        }
        return date
    }

    private func parsedDependencies() throws -> [Int64] {
        guard let dependsOn else { return [] }
        return try dependsOn.split(separator: ",").map { part in
            guard let id = Int64(part.trimmingCharacters(in: .whitespaces)), id > 0 else {
                throw ValidationError("--depends-on \"\(dependsOn)\": \"\(part)\" is not a job id")
            }
            return id
        }
    }
}

/// Checks a job's `args` before it reaches the database.
enum JobArguments {
    /// - Returns: the text, unchanged, when it is a JSON object.
    /// - Throws: a `ValidationError` that says where the JSON is broken.
    static func validate(_ text: String) throws -> String {
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        } catch {
            throw ValidationError("--args is not valid JSON: \(reason(error))")
        }
        guard value is [String: Any] else {
            throw ValidationError("--args must be a JSON object like {\"key\": 1}, got \(text)")
        }
        return text
    }

    private static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        return (nsError.userInfo[NSDebugDescriptionErrorKey] as? String) ?? nsError.localizedDescription
    }
}
