public import PostgresNIO
import Foundation

/// Connection settings from a PostgreSQL URL, as `PASISYNC_DATABASE_URL` holds it.
public enum DatabaseURL {
    /// The URL cannot be used; the description says why.
    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    /// Parses `postgres://user:password@host:port/database?sslmode=…`.
    public static func parse(_ text: String) throws -> PostgresClient.Configuration {
        guard let url = URLComponents(string: text), let scheme = url.scheme,
              ["postgres", "postgresql"].contains(scheme) else {
            throw Invalid(description: "database URL \"\(text)\" is not of the form postgres://user@host:port/database")
        }
        guard let host = url.host, !host.isEmpty else {
            throw Invalid(description: "database URL \"\(text)\" names no host")
        }
        let database = url.path.split(separator: "/").first.map(String.init)
        let sslmode = url.queryItems?.first { $0.name == "sslmode" }?.value ?? "disable"
        let tls: PostgresClient.Configuration.TLS
        switch sslmode {
        case "disable": tls = .disable
        case "prefer", "allow": tls = .prefer(.makeClientConfiguration())
        case "require", "verify-ca", "verify-full": tls = .require(.makeClientConfiguration())
        default: throw Invalid(description: "sslmode \"\(sslmode)\" is not one of disable, prefer, require, verify-full")
        }
        return PostgresClient.Configuration(
            host: host, port: url.port ?? 5432, username: url.user ?? "postgres",
            password: url.password, database: database, tls: tls)
    }
}
