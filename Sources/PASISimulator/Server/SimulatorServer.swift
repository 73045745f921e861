import Foundation
import Synchronization
import Hummingbird
import HTTPTypes
import HummingbirdTLS
public import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle
public import PASIContract
import PASIModel

/// The PASI Core simulator's HTTPS server: SOAP at `POST /pasi`, the admin endpoints
/// for tests and demos under `/admin`, and nothing for a client without a certificate
/// signed by the configured CA (the TLS handshake fails).
public struct SimulatorServer: Sendable {
    /// Where and how to listen.
    public struct Configuration: Sendable {
        /// The address to bind; loopback by default.
        public var host = "127.0.0.1"
        /// The port; 0 picks a free one (reported to `onRunning`).
        public var port = 8443
        /// The server's certificate chain (PEM).
        public var certificatePath: String
        /// The server's private key (PEM).
        public var privateKeyPath: String
        /// The CA whose client certificates are accepted (PEM).
        public var clientCAPath: String
        /// The largest request accepted; PASI refuses one over 65,536 bytes.
        public var maxRequestBytes = 65_536
        /// How the Get and status Get messages are read and written (default ``GetMessageCoding/direct``).
        public var getMessageCoding = GetMessageCoding.direct

        /// A configuration for the certificates in `directory` (as ``DevelopmentCertificates`` writes them).
        public init(certificates directory: String, port: Int = 8443) {
            let files = DevelopmentCertificates.Files(directory: directory)
            certificatePath = files.serverCertificate
            privateKeyPath = files.serverKey
            clientCAPath = files.caCertificate
            self.port = port
        }
    }

    /// The province served.
    public let province: Province
    /// The faults added on purpose; change them at any time.
    public let faults: FaultSwitch
    private let configuration: Configuration
    private let logger: Logger

    /// Creates a server over `province`.
    public init(province: Province, configuration: Configuration, logger: Logger) {
        self.province = province
        self.configuration = configuration
        self.logger = logger
        faults = FaultSwitch()
    }

    /// Serves until SIGTERM or SIGINT, then stops gracefully (the `simulator` command).
    /// - Parameter onRunning: Called with the bound port once the server listens.
    /// - Throws: If the certificates cannot be read or the port cannot be bound.
    public func run(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await application(onRunning: onRunning).runService()
    }

    /// Starts serving in the background (tests, benchmarks); ``RunningSimulator/stop()``
    /// stops it gracefully.
    /// - Returns: The running server, once it listens.
    /// - Throws: If the certificates cannot be read or the port cannot be bound.
    public func start() async throws -> RunningSimulator {
        let (ports, sink) = AsyncStream.makeStream(of: Int.self)
        let group = ServiceGroup(configuration: .init(services: [try application { sink.yield($0) }], logger: logger))
        let task = Task {
            defer { sink.finish() }
            try await group.run()
        }
        for await port in ports { return RunningSimulator(port: port, group: group, task: task) }
        try await task.value
        throw SimulatorStartError(description: "the simulator stopped before it listened on port \(configuration.port)")
    }

    private func application(onRunning: @escaping @Sendable (Int) async -> Void) throws -> Application<RouterResponder<BasicRequestContext>> {
        Application(
            router: router(),
            server: try .tls(.http1(), tlsConfiguration: tlsConfiguration()),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "pasisync-simulator"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    private func tlsConfiguration() throws -> TLSConfiguration {
        let chain = try NIOSSLCertificate.fromPEMFile(configuration.certificatePath).map { NIOSSLCertificateSource.certificate($0) }
        let key = try NIOSSLPrivateKey(file: configuration.privateKeyPath, format: .pem)
        var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
        // A server that verifies peers requires a client certificate signed by this CA.
        tls.certificateVerification = .noHostnameVerification
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(configuration.clientCAPath))
        return tls
    }

    private func router() -> Router<BasicRequestContext> {
        let router = Router()
        let responder = SOAPResponder(province: province, getMessageCoding: configuration.getMessageCoding)
        let faults = faults
        let limit = configuration.maxRequestBytes
        let logger = logger
        router.post("/pasi") { request, _ -> Response in
            var request = request
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: limit)
            } catch {
                // PASI refuses an oversized request without a fault code.
                return Self.text(.contentTooLarge, "request larger than \(limit) bytes refused")
            }
            let plan = faults.plan
            if let until = plan.outageUntil, until > Date() { return Self.text(.serviceUnavailable, "PASI Core is unavailable (simulated outage)") }
            if let target = plan.redirectTo {
                return Response(status: .permanentRedirect, headers: [.location: target], body: .init(byteBuffer: ByteBuffer(string: "moved")))
            }
            if plan.latencyMilliseconds > 0 { try? await Task.sleep(for: .milliseconds(plan.latencyMilliseconds)) }
            if plan.transientShare > 0, Double.random(in: 0..<1) < plan.transientShare {
                return Self.xml(.internalServerError, SOAPEnvelope.fault(PASIFault(.unexpectedProblem, "Unexpected Problem in PASI (simulated transient fault)")))
            }
            let action = request.headers[.soapAction].map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) } ?? ""
            if let injected = faults.takeInjectedFault(for: action) {
                return Self.xml(.internalServerError, SOAPEnvelope.fault(injected))
            }
            logger.debug("answering", metadata: ["operation": "\(action)"])
            let answer = await responder.respond(operationName: action, body: Data(body.readableBytesView), rejecting: plan.rejectIDs)
            return Self.xml(answer.isFault ? .internalServerError : .ok, plan.edited(answer.data))
        }
        router.post("/admin/faults") { request, context -> Response in
            var request = request
            let buffer = try await request.collectBody(upTo: 1 << 20)
            do {
                let plan = try JSONDecoder().decode(FaultPlan.self, from: Data(buffer.readableBytesView))
                try plan.validate()
                faults.plan = plan
                return Self.text(.ok, "fault plan set")
            } catch {
                return Self.text(.badRequest, "bad fault plan: \(error)")
            }
        }
        router.post("/admin/change") { request, _ -> Response in
            let type = request.uri.queryParameters.get("type") ?? "Student"
            let count = request.uri.queryParameters.get("count", as: Int.self) ?? 1
            guard let recordType = RecordType(rawValue: type) else { return Self.text(.badRequest, "unknown record type \(type)") }
            // With an id: that record's content changes (name=, phone=, or a DiplomaExamMark's
            // examMark= / officialMark=, a ClassroomAccommodation's comment=, a StudentTranscriptDetail's
            // officialMark= with courseCode=); without: the first
            // `count` records get a new version only.
            if let id = request.uri.queryParameters.get("id") {
                let parameters = request.uri.queryParameters
                let edit = ProvinceEdit(name: parameters.get("name"), phone: parameters.get("phone"),
                                        examMark: parameters.get("examMark", as: Int.self), officialMark: parameters.get("officialMark", as: Int.self),
                                        comment: parameters.get("comment"), courseCode: parameters.get("courseCode"))
                do {
                    let version = try await province.edit(recordType, id: id, edit)
                    return Self.text(.ok, "changed \(type) \(id); its version \(version)")
                } catch {
                    return Self.text(.badRequest, "cannot change \(type) \(id): \(error)")
                }
            }
            let changed = await province.touch(recordType, count: count)
            return Self.text(.ok, "changed \(changed) \(type) records; latest version \(await province.latestVersion)")
        }
        router.get("/admin/records") { request, _ -> Response in
            // Every record of a type PASI holds, as JSON lines (ids=a,b,c: those only), so a
            // benchmark can compare PASI's final state with the SIS.
            let parameters = request.uri.queryParameters
            guard let type = parameters.get("type"), let recordType = RecordType(rawValue: type) else {
                return Self.text(.badRequest, "type= (a record type) is required")
            }
            let ids = parameters.get("ids").map { Set($0.split(separator: ",").map(String.init)) }
            do {
                let lines = try await province.recordLines(recordType, ids: ids)
                return Response(status: .ok, headers: [.contentType: "application/x-ndjson"], body: .init(byteBuffer: ByteBuffer(string: lines)))
            } catch {
                return Self.text(.internalServerError, "cannot encode the \(type) records: \(error)")
            }
        }
        router.get("/admin/submits") { _, _ -> Response in
            // The accepted submits and the same change sent twice (Province+Submit.swift).
            let counts = await province.submitCounts
            let data = (try? JSONEncoder().encode(counts)) ?? Data("{}".utf8)
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        router.post("/admin/access") { request, _ -> Response in
            // A record withdrawn from the caller (No Access) or given back (Normal): docs/pasi-protocol.md.
            let parameters = request.uri.queryParameters
            guard let type = parameters.get("type"), let recordType = RecordType(rawValue: type), let id = parameters.get("id") else {
                return Self.text(.badRequest, "type= (a record type) and id= are required")
            }
            let access = parameters.get("access") ?? AvailabilityStatus.noAccess.rawValue
            guard let availability = AvailabilityStatus(rawValue: access), availability != .unknown else {
                return Self.text(.badRequest, "access= is NoAccess or Normal, not \(access)")
            }
            do {
                let version = try await province.setAccess(recordType, id: id, noAccess: availability == .noAccess)
                return Self.text(.ok, "\(type) \(id) is \(availability.rawValue) to the caller; its version \(version)")
            } catch {
                return Self.text(.badRequest, "cannot change the access to \(type) \(id): \(error)")
            }
        }
        router.post("/admin/leave") { request, _ -> Response in
            // A student leaving: its school enrolments end on exitDate= (docs/pasi-protocol.md, "Association").
            let parameters = request.uri.queryParameters
            guard let asn = parameters.get("asn"), let text = parameters.get("exitDate"), let exit = try? PASIDate(text) else {
                return Self.text(.badRequest, "asn= (nine digits) and exitDate= (YYYY-MM-DD) are required")
            }
            do {
                let association = try await province.endEnrolments(ofStudent: asn, on: exit)
                let kinds = association.kinds.map(\.rawValue).sorted()
                return Self.text(.ok, "student \(asn) left on \(exit); associations: \(kinds.isEmpty ? "none" : kinds.joined(separator: ", "))")
            } catch {
                return Self.text(.badRequest, "cannot end the enrolments of student \(asn): \(error)")
            }
        }
        router.post("/admin/alert") { request, _ -> Response in
            var request = request
            let buffer = try await request.collectBody(upTo: 1 << 20)
            let order: AlertOrder
            do {
                order = try JSONDecoder().decode(AlertOrder.self, from: Data(buffer.readableBytesView))
            } catch {
                return Self.text(.badRequest, "bad alert: \(error)")
            }
            guard let recordType = RecordType(rawValue: order.type), recordType.statusNotificationName != nil else {
                return Self.text(.badRequest, "unknown record type with a status \(order.type)")
            }
            let version: Int64?
            if order.clear == true {
                version = await province.clearAlerts(code: order.alertCode, on: recordType, id: order.id)
            } else {
                guard let severity = order.severity else { return Self.text(.badRequest, "bad alert: severity is required (Error, Warning, Advice, Reminder)") }
                let alert = StatusAlert(alertCode: order.alertCode, severity: severity, message: order.message,
                                        acknowledgementStatus: order.acknowledgementStatus ?? .unacknowledged,
                                        arguments: AlertArguments(order.arguments ?? [:]))
                version = await province.setAlert(alert, on: recordType, id: order.id)
            }
            guard let version else { return Self.text(.notFound, "no \(order.type) \(order.id) with such an alert") }
            return Self.text(.ok, "status of \(order.type) \(order.id) at version \(version)")
        }
        return router
    }

    private static func xml(_ status: HTTPResponse.Status, _ data: Data) -> Response {
        Response(status: status, headers: [.contentType: "text/xml; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    private static func text(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text + "\n")))
    }
}

extension HTTPField.Name {
    /// SOAP 1.1 names the operation in this header.
    static let soapAction = Self("SOAPAction")!
}

/// The body of `POST /admin/alert`: a core alert to set on (or, with `clear`, to take off) a
/// record's validation status, e.g.
/// `{"type": "Student", "id": "123456782", "alertCode": "DEM-017", "severity": "Warning", "arguments": {"Field": "Phone"}}`.
struct AlertOrder: Decodable {
    var type: String
    var id: String
    var alertCode: String
    var severity: CoreAlertSeverity?
    var message: String?
    var acknowledgementStatus: AcknowledgementStatus?
    var arguments: [String: String]?
    var clear: Bool?
}

/// The fault plan in force, shared by every request.
public final class FaultSwitch: Sendable {
    private let state = Mutex(FaultPlan())
    /// The plan; setting it takes effect for the next request.
    public var plan: FaultPlan {
        get { state.withLock { $0 } }
        set { state.withLock { $0 = newValue } }
    }

    /// The injected fault for a request to `operation`, counted against the plan's
    /// ``FaultPlan/faultCount`` in the same step, so requests side by side spend it exactly.
    func takeInjectedFault(for operation: String) -> PASIFault? {
        state.withLock { plan in
            guard let injected = plan.injectedFault(for: operation) else { return nil }
            plan = injected.next
            return injected.fault
        }
    }
}

/// A simulator serving in the background.
public struct RunningSimulator: Sendable {
    /// The port it listens on.
    public let port: Int
    let group: ServiceGroup
    let task: Task<Void, any Error>

    /// Stops accepting, finishes the answers in flight, and returns when the server is down.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}

/// The simulator could not start.
public struct SimulatorStartError: Error, CustomStringConvertible, Sendable {
    public let description: String
}
