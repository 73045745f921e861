public import Foundation
public import Logging
public import PostgresNIO

/// A file a process wrote, as `sync.job_files` keeps it.
public struct JobFileInfo: Sendable, Hashable {
    /// The job that wrote it.
    public let jobID: Int64
    /// What the Synchronization Queue calls that job ("Initial Sync – Manual").
    public let jobTitle: String
    /// The file's name, e.g. `pasi-initialization.log`.
    public let name: String
    /// Its size in bytes.
    public let bytes: Int
    /// When it was written.
    public let createdAt: Date
    /// When it was written, `YYYY-MM-DD HH:MM` in the cluster's time zone.
    public let createdLocal: String
}

/// The files processes write (pasi-initialization.log, the extract files, …), kept in the
/// database with the job that made them so that any host of the cluster can hand them out.
public struct FilesStore: Sendable {
    /// The client every statement runs on.
    public let client: PostgresClient
    /// The logger statements log to.
    public let logger: Logger

    /// Creates a store.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Keeps a file of a job, replacing the job's file of the same name.
    /// - Throws: Database errors (a name that is not a plain file name is refused by its CHECK).
    public func save(jobID: Int64, name: String, content: Data) async throws {
        try await client.query("""
            INSERT INTO sync.job_files (job_id, name, content) VALUES (\(jobID), \(name), \(ByteBuffer(bytes: content)))
            ON CONFLICT (job_id, name) DO UPDATE SET content = EXCLUDED.content, created_at = now()
            """, logger: logger)
    }

    /// The files kept, newest job first; only one job's with `jobID`.
    /// - Throws: Database errors.
    public func list(jobID: Int64? = nil) async throws -> [JobFileInfo] {
        let rows = try await client.query("""
            SELECT f.job_id, coalesce(f.job_title, ''), f.name, f.bytes::int8, extract(epoch FROM f.created_at)::float8,
                   to_char(f.created_at AT TIME ZONE coalesce((SELECT time_zone FROM queue.cluster), 'America/Edmonton'),
                           'YYYY-MM-DD HH24:MI')
            FROM sync.file_list AS f WHERE \(jobID)::int8 IS NULL OR f.job_id = \(jobID)
            ORDER BY f.job_id DESC, f.name
            """, logger: logger)
        var files: [JobFileInfo] = []
        for try await (job, title, name, bytes, at, local)
            in rows.decode((Int64, String, String, Int64, Double, String).self) {
            files.append(JobFileInfo(
                jobID: job, jobTitle: title, name: name, bytes: Int(bytes), createdAt: Date(timeIntervalSince1970: at),
                createdLocal: local))
        }
        return files
    }

    /// The content of one file, if kept.
    /// - Throws: Database errors.
    public func content(jobID: Int64, name: String) async throws -> Data? {
        let rows = try await client.query(
            "SELECT content FROM sync.job_files WHERE job_id = \(jobID) AND name = \(name)", logger: logger)
        for try await buffer in rows.decode(ByteBuffer.self) { return Data(buffer.readableBytesView) }
        return nil
    }
}
