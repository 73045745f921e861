import NIOSSL
import PasisyncTesting

/// A request with no client certificate.
enum AnonymousRequest {
    /// - Returns: The HTTP status if the server answered at all, `nil` if it refused the connection.
    static func post(to endpoint: String, trusting caPath: String) async throws -> UInt? {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caPath))
        return try? await RawRequest.send(tls, endpoint, "GetCodeValues", Array("<x/>".utf8)).status
    }
}
