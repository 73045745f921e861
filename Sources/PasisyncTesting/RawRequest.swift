import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
public import NIOSSL
import PASISimulator

/// Raw HTTPS requests to the simulator, bypassing the client: for the bad input PASI
/// must survive, and for a caller with no certificate at all.
public enum RawRequest {
    /// Posts `body` with `soapAction`, presenting the development client certificate.
    /// - Returns: The HTTP status and the body.
    public static func post(to endpoint: String, soapAction: String = "", body: [UInt8]) async throws -> (status: UInt, body: String) {
        let files = SimulatorFixture.certificates
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateChain = try NIOSSLCertificate.fromPEMFile(files.clientCertificate).map { .certificate($0) }
        tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: files.clientKey, format: .pem))
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(files.caCertificate))
        return try await send(tls, endpoint, soapAction, body)
    }

    /// Gets `endpoint` (an admin endpoint), presenting the development client certificate.
    /// - Returns: The HTTP status and the body.
    public static func get(from endpoint: String) async throws -> (status: UInt, body: String) {
        let files = SimulatorFixture.certificates
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateChain = try NIOSSLCertificate.fromPEMFile(files.clientCertificate).map { .certificate($0) }
        tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: files.clientKey, format: .pem))
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(files.caCertificate))
        return try await request(tls, endpoint, "", [], method: .GET)
    }

    public static func send(_ tls: TLSConfiguration, _ endpoint: String, _ soapAction: String, _ body: [UInt8]) async throws -> (status: UInt, body: String) {
        try await request(tls, endpoint, soapAction, body, method: .POST)
    }

    static func request(_ tls: TLSConfiguration, _ endpoint: String, _ soapAction: String, _ body: [UInt8],
                        method: HTTPMethod) async throws -> (status: UInt, body: String) {
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        do {
            var request = HTTPClientRequest(url: endpoint)
            request.method = method
            request.headers.add(name: "SOAPAction", value: soapAction)
            request.headers.add(name: "Content-Type", value: "text/xml; charset=utf-8")
            request.body = .bytes(ByteBuffer(bytes: body))
            let response = try await http.execute(request, timeout: .seconds(30))
            let answer = try await response.body.collect(upTo: 1 << 24)
            try await http.shutdown()
            return (response.status.code, String(buffer: answer))
        } catch {
            try? await http.shutdown()
            throw error
        }
    }
}
