public import DistrictSynthesis
import Foundation
import Logging
public import PASIContract
public import PASICore
import PASIModel
public import PASISimulator
import PostgresNIO
import SyncJobs
public import SyncStore

/// A running simulator over real HTTPS on a free loopback port, a client with the
/// development client certificate, and a fresh database whose `sync.message_log` the
/// client writes.
public struct SimulatorFixture: Sendable {
    public let server: SimulatorServer
    public let port: Int
    public let database: TestDatabase
    public let client: PASICoreClient
    public let generator: DistrictGenerator

    public var province: Province { server.province }
    public var endpoint: String { "https://127.0.0.1:\(port)/pasi" }

    /// Certificates made once per test run; a second set from another CA for the
    /// "foreign certificate" tests.
    public static let certificates: DevelopmentCertificates.Files = {
        let directory = NSTemporaryDirectory() + "pasisync-certs-\(getpid())"
        return try! DevelopmentCertificates.create(in: directory, clientName: "A.TEST")
    }()
    public static let foreignCertificates: DevelopmentCertificates.Files = {
        let directory = NSTemporaryDirectory() + "pasisync-foreign-certs-\(getpid())"
        return try! DevelopmentCertificates.create(in: directory, clientName: "stranger")
    }()

    /// Runs `body` against a simulator holding the synthetic province of `students`.
    public static func with<T>(
        students: Int = 200, feedLimits: FeedLimits = .documented, timeout: Duration = .seconds(30),
        _ body: (SimulatorFixture) async throws -> T
    ) async throws -> T {
        let generator = DistrictGenerator(students: students, seed: 11)
        let province = try await Province.synthetic(generator, feedLimits: feedLimits)
        await province.setResubmitWait(.milliseconds(300))
        let server = SimulatorServer(
            province: province, configuration: .init(certificates: certificates.directory, port: 0),
            logger: Logger(label: "simulator-test"))
        let running = try await server.start()
        do {
            let result = try await withClient(server, running.port, generator, timeout, feedLimits, body)
            await running.stop()
            return result
        } catch {
            await running.stop()
            throw error
        }
    }

    private static func withClient<T>(
        _ server: SimulatorServer, _ port: Int, _ generator: DistrictGenerator, _ timeout: Duration, _ feedLimits: FeedLimits,
        _ body: (SimulatorFixture) async throws -> T
    ) async throws -> T {
        try await TestDatabase.with { database in
            // An installation fills in its Caller Information; the defaults leave these empty.
            let settings = SettingsStore(client: database.client, logger: TestEnvironment.logger)
            _ = try await settings.set("organization_code", to: generator.authorityCode.description, by: "test")
            _ = try await settings.set("name", to: "Synthetic School Division", by: "test")
            _ = try await settings.set("ip_address", to: "127.0.0.1", by: "test")
            var configuration = try await settings.pasiClientConfiguration(for: PASIEndpoint(
                    url: "https://127.0.0.1:\(port)/pasi", certificatePath: certificates.clientCertificate,
                    privateKeyPath: certificates.clientKey, trustRootsPath: certificates.caCertificate))
            configuration.timeout = timeout
            // The client knows the simulator's feed limits, as a client of PASI knows PASI's.
            configuration.feedLimits = feedLimits
            let log = DatabaseMessageLog(store: MessageLogStore(client: database.client, logger: TestEnvironment.logger))
            let client = try PASICoreClient(configuration: configuration, messageLog: log, logger: TestEnvironment.logger)
            let fixture = SimulatorFixture(server: server, port: port, database: database, client: client, generator: generator)
            do {
                let result = try await body(fixture)
                try await client.shutdown()
                return result
            } catch {
                try? await client.shutdown()
                throw error
            }
        }
    }

    /// Another client of the same simulator, with its own configuration changes.
    public func otherClient(_ change: (inout PASICoreClient.Configuration) -> Void) throws -> PASICoreClient {
        var configuration = PASICoreClient.Configuration(
            endpoint: endpoint, certificatePath: Self.certificates.clientCertificate, privateKeyPath: Self.certificates.clientKey,
            trustRootsPath: Self.certificates.caCertificate,
            callerInfo: try CallerInfo(user: CallerInfo.User(
                ipAddress: "127.0.0.1", localID: "pasisync-test", name: "Test", organizationCode: generator.authorityCode)))
        change(&configuration)
        return try PASICoreClient(configuration: configuration, messageLog: DiscardingMessageLog(), logger: TestEnvironment.logger)
    }

    /// The operations and outcomes recorded in `sync.message_log`, oldest first.
    public func messageLog() async throws -> [MessageLogEntry] {
        try await MessageLogStore(client: database.client, logger: TestEnvironment.logger).recent(limit: 10_000).reversed()
    }
}
