import Foundation

/// The PASI client certificate's private key file may be read by others: refused, so that the key
/// that speaks for the school authority stays with the account that runs pasisync.
public struct KeyFileRefused: Error, CustomStringConvertible, Sendable {
    /// The key file.
    public let path: String
    /// Its permission bits.
    public let mode: Int

    public var description: String {
        "the PASI client key \(path) can be read by others (mode \(String(mode, radix: 8))): make it readable by its owner only (chmod 600)"
    }

    /// Throws when the file's group or others have any permission on it. A file that cannot be
    /// looked at is left to the TLS setup, which names what is wrong with it.
    static func check(_ path: String) throws {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue else { return }
        if mode & 0o077 != 0 { throw KeyFileRefused(path: path, mode: mode) }
    }
}
