import Foundation
public import Logging
public import PASIModel
public import PostgresNIO

/// One code value as the local store keeps it (`pasi.code_values`).
public struct StoredCodeValue: Sendable, Hashable {
    /// PASI's code table, e.g. `Grade`.
    public var table: String
    public var code: String
    public var description: String
    public var version: Int64

    public init(table: String, code: String, description: String, version: Int64) {
        (self.table, self.code, self.description, self.version) = (table, code, description, version)
    }
}

/// How PASI treats a school year for registrations (`pasi.school_years.status`).
public enum AcceptedYearStatus: String, Sendable, Hashable, CaseIterable {
    case current = "Current", historical = "Historical", future = "Future"
}

/// The code values and accepted school years of the local PASI store: what the daily
/// `code_values` job downloads with GetCodeValues.
public struct CodeValuesStore: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The version to ask PASI for changes since: the highest version held (0 before the first download).
    public func lastKnownVersion() async throws -> Int64 {
        let rows = try await client.query(
            "SELECT coalesce(max(pasi_core_version), 0)::bigint FROM pasi.code_values", logger: logger)
        for try await version in rows.decode(Int64.self) { return version }
        return 0
    }

    /// Writes changed code values (a newer version replaces an older one, never the reverse) and,
    /// when PASI sent any, replaces the accepted school years, in one transaction.
    /// - Returns: how many code values were inserted or changed.
    @discardableResult
    public func save(_ values: [StoredCodeValue], acceptedYears: [(SchoolYear, AcceptedYearStatus)]) async throws -> Int {
        let logger = logger
        return try await client.inTransaction(logger: logger) { connection in
            var changed = 0
            if !values.isEmpty {
                let rows = try await connection.query("""
                    INSERT INTO pasi.code_values AS c (code_type, code, pasi_core_version, description, fetched_at)
                    SELECT t, code, v, d, now()
                    FROM unnest(\(values.map(\.table))::text[], \(values.map(\.code))::text[],
                                \(values.map(\.version))::bigint[], \(values.map(\.description))::text[]) AS n(t, code, v, d)
                    ON CONFLICT (code_type, code) DO UPDATE
                    SET pasi_core_version = EXCLUDED.pasi_core_version, description = EXCLUDED.description, fetched_at = now()
                    WHERE c.pasi_core_version < EXCLUDED.pasi_core_version
                    RETURNING 1
                    """, logger: logger)
                for try await _ in rows.decode(Int.self) { changed += 1 }
            }
            if !acceptedYears.isEmpty {
                try await connection.query("DELETE FROM pasi.school_years", logger: logger)
                try await connection.query("""
                    INSERT INTO pasi.school_years (school_year, status)
                    SELECT * FROM unnest(\(acceptedYears.map(\.0.endYear))::int[], \(acceptedYears.map(\.1.rawValue))::text[])
                    """, logger: logger)
            }
            return changed
        }
    }

    /// The accepted school years held, by year.
    public func acceptedYears() async throws -> [(SchoolYear, AcceptedYearStatus)] {
        let rows = try await client.query(
            "SELECT school_year, status FROM pasi.school_years ORDER BY school_year", logger: logger)
        var years: [(SchoolYear, AcceptedYearStatus)] = []
        for try await (year, status) in rows.decode((Int, String).self) {
            guard let status = AcceptedYearStatus(rawValue: status) else { continue }
            years.append((try SchoolYear(endYear: year), status))
        }
        return years
    }

    /// How many code values are held.
    public func count() async throws -> Int {
        let rows = try await client.query("SELECT count(*)::int FROM pasi.code_values", logger: logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }
}
