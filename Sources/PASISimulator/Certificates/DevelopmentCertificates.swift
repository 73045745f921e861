import Crypto
import Foundation
import SwiftASN1
import X509

/// Certificates for development, demos and tests: a private CA, a server certificate for
/// `127.0.0.1`/`localhost` and a client certificate, all signed by that CA (ECDSA P-256).
/// Nothing of this is for production: a real installation uses the certificate Alberta
/// Education registers for it.
public enum DevelopmentCertificates {
    /// The files ``create(in:clientName:validDays:)`` writes, by path.
    public struct Files: Sendable {
        public let directory: String
        public var caCertificate: String { directory + "/ca.pem" }
        public var serverCertificate: String { directory + "/server.pem" }
        public var serverKey: String { directory + "/server-key.pem" }
        public var clientCertificate: String { directory + "/client.pem" }
        public var clientKey: String { directory + "/client-key.pem" }

        public init(directory: String) { self.directory = directory }
        /// Every file, in the order written.
        public var all: [String] { [caCertificate, serverCertificate, serverKey, clientCertificate, clientKey] }
    }

    /// Creates a new CA and the server and client certificates it signs, in `directory`
    /// (created if missing; existing files are replaced). The CA's key is not kept.
    /// - Parameters:
    ///   - directory: Where to write the PEM files.
    ///   - clientName: The client certificate's common name (e.g. the organization code).
    ///   - validDays: How long the certificates are valid.
    ///   - serverNames: The server certificate's host names (an IPv4 address, such as `10.231.0.1`,
    ///     becomes an IP address name, as a client connecting to it checks); empty: `localhost`
    ///   and `127.0.0.1`.
    /// - Returns: The paths written.
    /// - Throws: If a certificate cannot be built or a file cannot be written.
    /// The four bytes of a dotted IPv4 address, or nil for a host name.
    static func ipv4Bytes(_ name: String) -> ArraySlice<UInt8>? {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        let bytes = parts.compactMap { UInt8($0) }
        return bytes.count == 4 ? ArraySlice(bytes) : nil
    }

    @discardableResult
    public static func create(in directory: String, clientName: String = "pasisync client", validDays: Int = 365,
                              serverNames: [String] = []) throws -> Files {
        let files = Files(directory: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let now = Date().addingTimeInterval(-300)  // tolerate small clock differences
        let until = now.addingTimeInterval(Double(validDays) * 86_400)

        let caKey = P256.Signing.PrivateKey()
        let caName = try DistinguishedName { CommonName("pasisync development CA") }
        let ca = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PrivateKey(caKey).publicKey,
            notValidBefore: now, notValidAfter: until, issuer: caName, subject: caName, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: Certificate.PrivateKey(caKey))

        func leaf(_ name: String, usage: ExtendedKeyUsage.Usage, names: [GeneralName]) throws -> (Certificate, P256.Signing.PrivateKey) {
            let key = P256.Signing.PrivateKey()
            let subject = try DistinguishedName { CommonName(name) }
            let certificate = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PrivateKey(key).publicKey,
                notValidBefore: now, notValidAfter: until, issuer: ca.subject, subject: subject,
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.notCertificateAuthority)
                    Critical(KeyUsage(digitalSignature: true))
                    try ExtendedKeyUsage([usage])
                    if !names.isEmpty { SubjectAlternativeNames(names) }
                },
                issuerPrivateKey: Certificate.PrivateKey(caKey))
            return (certificate, key)
        }
        let server = try leaf(
            "pasisync PASI Core simulator", usage: .serverAuth,
            names: serverNames.isEmpty
                ? [.dnsName("localhost"), .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))]
                : serverNames.map { Self.ipv4Bytes($0).map { .ipAddress(ASN1OctetString(contentBytes: $0)) } ?? .dnsName($0) })
        let client = try leaf(clientName, usage: .clientAuth, names: [])

        try write(ca.serializeAsPEM().pemString, to: files.caCertificate)
        try write(server.0.serializeAsPEM().pemString, to: files.serverCertificate)
        try write(server.1.pemRepresentation, to: files.serverKey, secret: true)
        try write(client.0.serializeAsPEM().pemString, to: files.clientCertificate)
        try write(client.1.pemRepresentation, to: files.clientKey, secret: true)
        return files
    }

    private static func write(_ text: String, to path: String, secret: Bool = false) throws {
        try Data((text + "\n").utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        if secret { try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path) }
    }
}
