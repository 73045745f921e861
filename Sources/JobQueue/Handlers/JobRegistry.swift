import Foundation

/// The kinds a worker can run, keyed by name. Registering a name twice is refused: two handlers
/// for one kind would make what runs depend on registration order.
public struct JobRegistry: Sendable {
    /// A handler with its arguments' decoding wrapped up, so the worker can hold any kind.
    public struct Entry: Sendable {
        public let kind: String
        public let title: String
        public let scheduledTitle: String?
        public let family: String?
        public let retryPolicy: RetryPolicy
        public let timeout: Duration?
        /// See ``JobHandler/stallLimit``.
        public let stallLimit: Duration
        let execute: @Sendable (_ args: String, _ context: JobContext) async throws -> Void
    }

    public struct DuplicateKind: Error, CustomStringConvertible {
        public let kind: String
        public var description: String { "job kind \"\(kind)\" is registered twice" }
    }

    public private(set) var entries: [String: Entry] = [:]

    public init() {}

    /// Registers `handler` under its kind.
    /// - Throws: ``DuplicateKind`` when the kind is already registered.
    public mutating func register<Handler: JobHandler>(_ handler: Handler) throws {
        let kind = Handler.kind
        guard entries[kind] == nil else { throw DuplicateKind(kind: kind) }
        entries[kind] = Entry(
            kind: kind,
            title: Handler.title,
            scheduledTitle: Handler.scheduledTitle,
            family: Handler.family,
            retryPolicy: handler.retryPolicy,
            timeout: handler.timeout,
            stallLimit: handler.stallLimit
        ) { args, context in
            let arguments: Handler.Arguments
            do {
                arguments = try JSONDecoder().decode(Handler.Arguments.self, from: Data(args.utf8))
            } catch {
                throw JobError.badArguments(Self.describe(error))
            }
            try await handler.run(arguments, context: context)
        }
    }

    /// The registered kind names, sorted.
    public var kinds: [String] { entries.keys.sorted() }

    public subscript(kind: String) -> Entry? { entries[kind] }

    /// Each kind's retry policy, for the lease reaper (``QueueMaintenance``).
    public var retryPolicies: [String: RetryPolicy] { entries.mapValues(\.retryPolicy) }

    /// The kinds as `queue.job_kinds` stores them.
    public var registrations: [KindRegistration] {
        kinds.map { kind in
            let entry = entries[kind]!
            return KindRegistration(
                name: kind, title: entry.title, maxAttempts: entry.retryPolicy.maxAttempts,
                timeoutSeconds: entry.timeout.map { Int($0.seconds.rounded(.up)) },
                scheduledTitle: entry.scheduledTitle, family: entry.family)
        }
    }

    /// A decoding error in words a person can act on: which key, what was wrong.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "args" : keys.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = context.codingPath.isEmpty ? "args" : path(context)
            return "\(parent) is missing \"\(key.stringValue)\""
        case .typeMismatch(let type, let context):
            return "\(path(context)) should be \(type): \(context.debugDescription)"
        case .valueNotFound(let type, let context):
            return "\(path(context)) should be \(type), found null"
        case .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
