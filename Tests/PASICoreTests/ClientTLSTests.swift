import Foundation
import Logging
import PASIContract
import PASICore
import PASIModel
import PASISimulator
import PasisyncTesting
import Testing

/// The PASI client's TLS (issue 22, item 6): PASI's certificate must come from the CA the client
/// trusts and name the host it called; a redirect is not followed; a private key others can read
/// is refused. The client cannot speak below TLS 1.2 (`minimumTLSVersion`), which the simulator,
/// built on the same TLS library, cannot be made to offer, so that one has no test here.
@Suite("PASI client TLS")
struct ClientTLSTests {
    @Test("a server certificate from a CA the client does not trust is refused, as a configuration fault")
    func otherCA() async throws {
        try await SimulatorFixture.with { fixture in
            let doubting = try fixture.otherClient { $0.trustRootsPath = SimulatorFixture.foreignCertificates.caCertificate }
            let refused = try await using(doubting) { client in await coreError { _ = try await client.getCodeValues(since: 0) } }
            #expect(refused?.category == .configuration, "\(String(describing: refused))")
            #expect(try await fixture.client.getCodeValues(since: 0).version > 0)
        }
    }

    @Test("a server certificate for another host name is refused")
    func otherHost() async throws {
        try await SimulatorFixture.with { fixture in
            // A second simulator whose certificate names pasi.example.org only, called at 127.0.0.1.
            let directory = NSTemporaryDirectory() + "pasisync-otherhost-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let files = try DevelopmentCertificates.create(in: directory, clientName: "A.TEST", serverNames: ["pasi.example.org"])
            let server = SimulatorServer(province: fixture.province, configuration: .init(certificates: directory, port: 0),
                                         logger: Logger(label: "simulator-test"))
            let running = try await server.start()
            let caller = try fixture.otherClient {
                $0.endpoint = "https://127.0.0.1:\(running.port)/pasi"
                $0.certificatePath = files.clientCertificate
                $0.privateKeyPath = files.clientKey
                $0.trustRootsPath = files.caCertificate
            }
            let refused = try await using(caller) { client in await coreError { _ = try await client.getCodeValues(since: 0) } }
            await running.stop()
            #expect(refused != nil, "a certificate for pasi.example.org was accepted for 127.0.0.1")
            #expect(refused?.category == .configuration, "\(String(describing: refused))")
        }
    }

    @Test("a redirect is not followed: the call fails as a configuration fault naming the redirect")
    func redirectNotFollowed() async throws {
        try await SimulatorFixture.with { fixture in
            var plan = FaultPlan()
            // Port 1 refuses connections: a followed redirect would fail as a network error (transient).
            plan.redirectTo = "http://127.0.0.1:1/pasi"
            fixture.server.faults.plan = plan
            let error = await coreError { _ = try await fixture.client.getCodeValues(since: 0) }
            #expect(error?.category == .configuration, "\(String(describing: error))")
            #expect(error?.message.contains("redirect (HTTP 308)") == true, "\(String(describing: error))")
            fixture.server.faults.plan = FaultPlan()
            let version = try await fixture.client.getCodeValues(since: 0).version
            #expect(version > 0)
        }
    }

    @Test("a private key file others can read is refused before any call, naming the file and the fix")
    func readableKeyRefused() async throws {
        try await SimulatorFixture.with { fixture in
            let copy = NSTemporaryDirectory() + "pasisync-key-\(UUID().uuidString).pem"
            defer { try? FileManager.default.removeItem(atPath: copy) }
            try FileManager.default.copyItem(atPath: SimulatorFixture.certificates.clientKey, toPath: copy)
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: copy)
            do {
                _ = try fixture.otherClient { $0.privateKeyPath = copy }
                Issue.record("a key readable by others was accepted")
            } catch let error as KeyFileRefused {
                #expect(error.description == "the PASI client key \(copy) can be read by others (mode 644): make it readable by its owner only (chmod 600)")
            }
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: copy)
            let owned = try fixture.otherClient { $0.privateKeyPath = copy }
            let version = try await using(owned) { try await $0.getCodeValues(since: 0).version }
            #expect(version > 0)
        }
    }
}
