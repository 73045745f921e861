public import PostgresNIO
import Foundation

/// Connection settings from a PostgreSQL URL, as `PASISYNC_DATABASE_URL` holds it.
public enum DatabaseURL {
    /// The URL cannot be used. ``description`` says why without repeating the URL (it may hold a
    /// password); ``debugDescription`` adds the URL with its password masked.
    public struct Invalid: Error, CustomStringConvertible, CustomDebugStringConvertible {
        /// What is wrong, for people and log lines.
        public let description: String
        /// The URL as given, its password replaced by `***`.
        public let maskedURL: String

        init(_ description: String, url: String) {
            self.description = description
            self.maskedURL = DatabaseURL.masked(url)
        }

        public var debugDescription: String { "\(description) (URL: \(maskedURL))" }
    }

    /// `text` with the password of its user part replaced by `***`, for logs and errors.
    public static func masked(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://"),
              let at = text[schemeEnd.upperBound...].lastIndex(of: "@") else { return text }
        let userInfo = text[schemeEnd.upperBound..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return text }
        return String(text[..<text.index(after: colon)]) + "***" + String(text[at...])
    }

    /// Parses `postgres://user:password@host:port/database?sslmode=…`.
    public static func parse(_ text: String) throws -> PostgresClient.Configuration {
        guard let url = URLComponents(string: text), let scheme = url.scheme,
              ["postgres", "postgresql"].contains(scheme) else {
            throw Invalid("the database URL is not of the form postgres://user[:password]@host[:port]/database", url: text)
        }
        guard let host = url.host, !host.isEmpty else {
            throw Invalid("the database URL names no host", url: text)
        }
        let database = url.path.split(separator: "/").first.map(String.init)
        let sslmode = url.queryItems?.first { $0.name == "sslmode" }?.value ?? "disable"
        let tls: PostgresClient.Configuration.TLS
        switch sslmode {
        case "disable": tls = .disable
        case "prefer", "allow": tls = .prefer(.makeClientConfiguration())
        case "require", "verify-ca", "verify-full": tls = .require(.makeClientConfiguration())
        default: throw Invalid("the database URL's sslmode \"\(sslmode)\" is not one of disable, prefer, require, verify-full", url: text)
        }
        return PostgresClient.Configuration(
            host: host, port: url.port ?? 5432, username: url.user ?? "postgres",
            password: url.password, database: database, tls: tls)
    }
}
