public import Logging
public import PostgresNIO
import Foundation
import NIOSSL

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

    /// Parses `postgres://user:password@host:port/database?sslmode=…&sslrootcert=…`.
    public static func parse(_ text: String) throws -> PostgresClient.Configuration {
        let parts = try Parts(text)
        let tls: PostgresClient.Configuration.TLS = switch parts.tls {
        case .disable: .disable
        case .prefer(let configuration): .prefer(configuration)
        case .require(let configuration): .require(configuration)
        }
        return PostgresClient.Configuration(host: parts.host, port: parts.port, username: parts.user,
                                            password: parts.password, database: parts.database, tls: tls)
    }

    /// Opens and closes one connection with `text`'s settings (and `password` when the URL has
    /// none), so that a command learns at once why the database refuses it: the client's pool
    /// retries a failing connection for about a minute before it gives up, which is right for a
    /// worker waiting out a restart and wrong for a person who mistyped a password.
    public static func probe(_ text: String, password: String?, logger: Logger) async throws {
        let parts = try Parts(text)
        let tls: PostgresConnection.Configuration.TLS = switch parts.tls {
        case .disable: .disable
        case .prefer(let configuration): .prefer(try NIOSSLContext(configuration: configuration))
        case .require(let configuration): .require(try NIOSSLContext(configuration: configuration))
        }
        var configuration = PostgresConnection.Configuration(
            host: parts.host, port: parts.port, username: parts.user, password: parts.password ?? password,
            database: parts.database, tls: tls)
        configuration.options.connectTimeout = .seconds(10)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        try await connection.close()
    }

    /// The URL's pieces.
    private struct Parts {
        enum Mode { case disable, prefer(TLSConfiguration), require(TLSConfiguration) }
        let host: String
        let port: Int
        let user: String
        let password: String?
        let database: String?
        let tls: Mode

        init(_ text: String) throws {
            guard let url = URLComponents(string: text), let scheme = url.scheme,
                  ["postgres", "postgresql"].contains(scheme) else {
                throw Invalid("the database URL is not of the form postgres://user[:password]@host[:port]/database", url: text)
            }
            guard let host = url.host, !host.isEmpty else {
                throw Invalid("the database URL names no host", url: text)
            }
            (self.host, port, user, password) = (host, url.port ?? 5432, url.user ?? "postgres", url.password)
            database = url.path.split(separator: "/").first.map(String.init)
            let sslmode = url.queryItems?.first { $0.name == "sslmode" }?.value ?? "disable"
            // Verification as libpq's verify-full: the server's certificate signed by a trusted CA
            // (the system's, or sslrootcert's file) and valid for the host; verify-ca skips the host.
            var verified = TLSConfiguration.makeClientConfiguration()
            if let rootCertificate = url.queryItems?.first(where: { $0.name == "sslrootcert" })?.value {
                guard FileManager.default.isReadableFile(atPath: rootCertificate) else {
                    throw Invalid("the database URL's sslrootcert \(rootCertificate) cannot be read", url: text)
                }
                verified.trustRoots = .file(rootCertificate)
            }
            switch sslmode {
            case "disable": tls = .disable
            case "prefer", "allow": tls = .prefer(verified)
            case "require", "verify-full": tls = .require(verified)
            case "verify-ca":
                verified.certificateVerification = .noHostnameVerification
                tls = .require(verified)
            default:
                throw Invalid("the database URL's sslmode \"\(sslmode)\" is not one of disable, prefer, require, verify-ca, verify-full", url: text)
            }
        }
    }
}
