import Foundation
public import Logging
public import PostgresNIO

/// A school of the SIS as the Initial Synchronization page lists it.
public struct SISSchoolType: Sendable, Hashable {
    public let code: String
    public let name: String
    /// The School Type of the Edit School page: `Active`, `Inactive`, or `nil` for blank (Inactive).
    public let schoolType: String?
}

/// A file a process kept, with what the console needs to decide who may download it.
public struct ProcessFile: Sendable, Hashable {
    public let jobID: Int64
    public let jobTitle: String
    public let kind: String
    /// The school the job names (`args.school`), if any.
    public let school: String?
    public let name: String
    public let bytes: Int
    /// When it was written, `YYYY-MM-DD HH:MM` in the cluster's time zone.
    public let createdLocal: String
}

/// What the console's process pages (Initial Synchronization, Initial Upload, DER Initial Download)
/// read beyond the stores the command line uses.
public struct ProcessPagesStore: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Every school of the SIS with its School Type, by code.
    public func sisSchools() async throws -> [SISSchoolType] {
        let rows = try await client.query("SELECT school_code, name, school_type FROM sis.schools ORDER BY school_code", logger: logger)
        var schools: [SISSchoolType] = []
        for try await (code, name, type) in rows.decode((String, String, String?).self) {
            schools.append(SISSchoolType(code: code, name: name, schoolType: type))
        }
        return schools
    }

    /// The files kept by jobs of `kinds`, newest job first, at most `limit`.
    public func files(kinds: [String], limit: Int = 200) async throws -> [ProcessFile] {
        let rows = try await client.query("""
            SELECT f.job_id, coalesce(f.job_title, ''), coalesce(j.kind, ''), j.args ->> 'school', f.name, f.bytes::int8,
                   to_char(f.created_at AT TIME ZONE z.zone, 'YYYY-MM-DD HH24:MI')
            FROM sync.file_list AS f LEFT JOIN queue.jobs AS j ON j.id = f.job_id
            CROSS JOIN \(unescaped: AlertsStore.clusterZone) AS z
            WHERE j.kind = ANY (\(kinds)::text[])
            ORDER BY f.job_id DESC, f.name LIMIT \(limit)
            """, logger: logger)
        var files: [ProcessFile] = []
        for try await row in rows.decode((Int64, String, String, String?, String, Int64, String).self) {
            files.append(ProcessFile(jobID: row.0, jobTitle: row.1, kind: row.2, school: row.3, name: row.4, bytes: Int(row.5),
                                     createdLocal: row.6))
        }
        return files
    }
}
