import Crypto
import Foundation
import HummingbirdBcrypt

/// Passwords: bcrypt (hummingbird-auth's), cost 12 unless a test asks for less.
public enum ConsolePasswords {
    /// The shortest password `pasisync users add` takes.
    public static let minimumLength = 10
    /// bcrypt reads at most 72 bytes; a longer password would be cut without a word, so it is refused.
    public static let maximumBytes = 72

    /// Why `password` is not acceptable, or `nil`.
    public static func problem(_ password: String) -> String? {
        if password.count < minimumLength { return "a password needs at least \(minimumLength) characters" }
        if password.utf8.count > maximumBytes { return "a password may have at most \(maximumBytes) bytes (bcrypt ignores the rest)" }
        return nil
    }

    /// The bcrypt hash of `password`.
    public static func hash(_ password: String, cost: UInt8 = 12) -> String { Bcrypt.hash(password, cost: cost) }

    /// Whether `password` matches `hash`.
    public static func verify(_ password: String, hash: String) -> Bool { Bcrypt.verify(password, hash: hash) }

    /// A hash no password is checked against for real: verifying against it when the name is
    /// unknown makes a wrong name take as long as a wrong password.
    static let decoy = Bcrypt.hash("no such user, no such password", cost: 12)
}

/// Random tokens for session cookies and CSRF fields, and the hash a session is stored under.
enum Tokens {
    /// 32 random bytes, base64url without padding (safe in a cookie and a form field).
    static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func sha256(_ token: String) -> [UInt8] { Array(SHA256.hash(data: Data(token.utf8))) }

    /// Compares without stopping at the first difference, so the time taken tells nothing.
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
