import AsyncHTTPClient
import Foundation
public import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
public import PASIContract
public import PASIModel

/// The PASI Core client: SOAP over HTTPS with a client certificate, a CallerInfo with a
/// fresh ClientMessageID on every call, the PASI Web Service Timeout on every call, faults
/// sorted into ``PASICoreError`` categories, and every call recorded in the message log.
///
/// Call ``shutdown()`` before dropping it.
public final class PASICoreClient: PASICoreService {
    /// Where PASI Core is and who is calling.
    public struct Configuration: Sendable {
        /// The service address, e.g. `https://127.0.0.1:8443/pasi`.
        public var endpoint: String
        /// The client certificate (PEM) registered with Alberta Education.
        public var certificatePath: String
        /// Its private key (PEM).
        public var privateKeyPath: String
        /// The CA that signed the server's certificate (PEM); `nil` trusts the system's roots.
        public var trustRootsPath: String?
        /// The CallerInfo sent with every call (from the Caller Information settings).
        public var callerInfo: CallerInfo
        /// How long one call may take (the PASI Web Service Timeout setting, minutes; default 10).
        public var timeout: Duration = .seconds(600)
        /// The largest answer read (a full change feed of 600,000 items is ~60 MB).
        public var maxResponseBytes = 256 * 1024 * 1024
        /// How the Get and status Get messages are written and read (default ``GetMessageCoding/direct``).
        public var getMessageCoding = GetMessageCoding.direct
        /// How much PASI answers per change-feed type and in all (default PASI's documented
        /// 150,000 and 600,000; a simulator with lower limits, `--page-limit`, is told here).
        public var feedLimits = FeedLimits.documented

        /// Creates a configuration.
        public init(endpoint: String, certificatePath: String, privateKeyPath: String, trustRootsPath: String?, callerInfo: CallerInfo) {
            self.endpoint = endpoint
            self.certificatePath = certificatePath
            self.privateKeyPath = privateKeyPath
            self.trustRootsPath = trustRootsPath
            self.callerInfo = callerInfo
        }
    }

    private let configuration: Configuration
    private let http: HTTPClient
    private let log: any PASIMessageLog
    private let logger: Logger

    /// Creates a client.
    /// - Parameters:
    ///   - configuration: Where and who.
    ///   - messageLog: Where every call is recorded.
    ///   - logger: For failures of the message log itself and for faults.
    /// - Throws: If the certificate or key cannot be read, or ``KeyFileRefused`` when others
    ///   may read the key.
    public init(configuration: Configuration, messageLog: any PASIMessageLog, logger: Logger) throws {
        try KeyFileRefused.check(configuration.privateKeyPath)
        // Full verification (NIO's default: PASI's certificate from a trusted CA, for the URL's
        // host), and nothing older than TLS 1.2.
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        tls.certificateChain = try NIOSSLCertificate.fromPEMFile(configuration.certificatePath).map { .certificate($0) }
        tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: configuration.privateKeyPath, format: .pem))
        if let roots = configuration.trustRootsPath {
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(roots))
        }
        var httpConfiguration = HTTPClient.Configuration(tlsConfiguration: tls)
        httpConfiguration.timeout = .init(connect: .seconds(10))
        // A redirect is not followed: the next hop could be plain HTTP or another host, and the
        // request carries children's records. The 3xx comes back as the answer and is refused.
        httpConfiguration.redirectConfiguration = .disallow
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: httpConfiguration)
        self.configuration = configuration
        log = messageLog
        self.logger = logger
    }

    /// Closes the connections.
    public func shutdown() async throws { try await http.shutdown() }

    public var feedLimits: FeedLimits { configuration.feedLimits }

    // MARK: - Operations

    public func isDataAvailable(_ queries: [IsDataAvailableRequest.Query], wait: Duration) async throws(PASICoreError) -> [IsDataAvailableResponse.Answer] {
        let minutes = Double(wait.components.seconds) / 60 + Double(wait.components.attoseconds) / 6e19
        let response = try await call(.isDataAvailable, IsDataAvailableResponse.self, extraTime: wait) { caller in
            IsDataAvailableRequest(callerInfo: caller, waitTimeInMinutes: minutes, notification: queries)
        }
        return response.notification
    }

    /// A Get; GetStudentTranscriptDetail is asked with `KnownSourceVersion` 0, so every answer holds
    /// the whole transcript and replaces the local copy (docs/pasi-protocol.md).
    public func get<R: PASIRecord>(_ type: R.Type, _ keys: [GetRecordsRequest.Key]) async throws(PASICoreError) -> [RetrievedRecord<R>] {
        try await get(type, keys, knownSourceVersion: R.recordType.getTakesKnownSourceVersion ? 0 : nil)
    }

    /// A Get with GetStudentTranscriptDetail's `KnownSourceVersion`: only the transcript parts
    /// above it come back (get_student_transcript_detail.html); `nil` sends none.
    public func get<R: PASIRecord>(_ type: R.Type, _ keys: [GetRecordsRequest.Key],
                                   knownSourceVersion: Int64?) async throws(PASICoreError) -> [RetrievedRecord<R>] {
        try await call(.getRecords(R.recordType), GetRecordsResponse<R>.self) {
            GetRecordsRequest(callerInfo: $0, key: keys, knownSourceVersion: knownSourceVersion)
        }.item
    }

    public func getStatuses<R: PASIRecord>(_ type: R.Type, _ keys: [GetStatusesRequest.Key]) async throws(PASICoreError) -> [RetrievedStatus<R>] {
        try await call(.getStatuses(R.recordType), GetStatusesResponse<R>.self) { GetStatusesRequest(callerInfo: $0, key: keys) }.item
    }

    public func submit<R: PASIRecord>(_ type: R.Type, action: SubmitAction, id: String, version: Int64, record: R?) async throws(PASICoreError) -> SubmitResponse {
        if R.recordType.submitsInLists {
            // A kind PASI takes in lists goes as a list of one; its answer is read as a single submit's.
            let answers = try await submitList([SubmitItem(action: action, id: id, pasiCoreVersion: version, record: record)])
            return try answers[0].get()
        }
        return try await call(.submit(R.recordType), SubmitResponse.self) { caller in
            SubmitRequest(callerInfo: caller, action: action, id: id, pasiCoreVersion: version, record: record)
        }
    }

    public func submitStudentAspect(_ request: StudentAspectRequest) async throws(PASICoreError) -> SubmitResponse {
        try await call(request.operation, SubmitResponse.self) { request.message($0) }
    }

    public func createStudent(_ identification: CreateStudentRequest.StudentIdentificationInfo, gender: Gender, addresses: [Address],
                              phones: [Phone], acknowledgingSimilar: [ASN]) async throws(PASICoreError) -> SubmitResponse {
        try await call(.createStudent, SubmitResponse.self) { caller in
            CreateStudentRequest(callerInfo: caller, studentIdentificationInfo: identification, gender: gender, address: addresses,
                                 phoneNumber: phones, acknowledgeSimilarStateProvinceIdList: acknowledgingSimilar)
        }
    }

    public func submitList<R: PASIRecord>(_ items: [SubmitItem<R>]) async throws(PASICoreError) -> [Result<SubmitResponse, PASICoreError>] {
        precondition(R.recordType.submitsInLists, "\(R.recordType.rawValue) is not submitted in lists")
        guard !items.isEmpty else { return [] }
        let operation = PASIOperation.submit(R.recordType)
        if items.count > 1, !fits(operation, items) {
            // PASI refuses a request over 65,536 bytes: the list goes in halves, each judged as before.
            let half = items.count / 2
            return try await submitList(Array(items[..<half])) + submitList(Array(items[half...]))
        }
        let (response, messageID) = try await callIdentified(operation, MultipleSubmitResponse.self, check: { response throws(PASICoreError) in
            guard response.submitResponse.map(\.id) == items.map(\.id) else {
                throw PASICoreError(.defect, message: "\(operation.name) answered \(response.submitResponse.count) records for the \(items.count) sent, or in another order")
            }
        }) { MultipleSubmitRequest(callerInfo: $0, item: items) }
        return response.submitResponse.map { answer in
            guard let error = Self.rejected(answer, operation: operation) else { return .success(answer) }
            var failed = error
            failed.clientMessageID = messageID
            return .failure(failed)
        }
    }

    /// The largest request PASI accepts: a longer one fails with no code (`Error Reporting`).
    public static let maxRequestBytes = 65_536

    /// Whether a list submit of `items` stays within ``maxRequestBytes``, measured on the request
    /// as it will be written (a CallerInfo of the same lengths).
    private func fits<R: PASIRecord>(_ operation: PASIOperation, _ items: [SubmitItem<R>]) -> Bool {
        let caller = CallerInfoElement(configuration.callerInfo, messageID: UUID().uuidString.lowercased(), sentUtcTime: Date().ISO8601Format())
        let request = MultipleSubmitRequest(callerInfo: caller, item: items)
        let direct = operation.isDirectlyCoded && configuration.getMessageCoding == .direct
        guard let body = try? (direct ? DirectEnvelope.request(operation.name, request) : SOAPEnvelope.request(operation.name, request)) else { return true }
        return body.count <= Self.maxRequestBytes
    }

    /// A submit's answer with rejections as the error a single submit throws: its category by its
    /// codes (``category(of:)``), `nil` when accepted.
    static func rejected(_ answer: SubmitResponse, operation: PASIOperation) -> PASICoreError? {
        guard !answer.rejection.isEmpty else { return nil }
        return PASICoreError(
            category(of: answer.rejection), faultCode: answer.rejection.first?.code, rejections: answer.rejection,
            message: "\(operation.name) \(answer.id) rejected: " + answer.rejection.map(\.description).joined(separator: "; "))
    }

    public func acknowledge(_ type: RecordType, id: String, alertCode: String, arguments: AlertArguments, status: AcknowledgementStatus) async throws(PASICoreError) -> SubmitResponse {
        try await call(.acknowledgeStatus(type), SubmitResponse.self) { caller in
            AcknowledgeStatusRequest(callerInfo: caller, id: id, alertCode: alertCode, arguments: arguments, status: status)
        }
    }

    public func getCodeValues(since version: Int64) async throws(PASICoreError) -> GetCodeValuesResponse {
        try await call(.getCodeValues, GetCodeValuesResponse.self) { GetCodeValuesRequest(callerInfo: $0, lastKnownVersion: version) }
    }

    public func identifyStudent(lastName: String, firstName: String?, birthDate: PASIDate?, gender: Gender?) async throws(PASICoreError) -> [StudentCandidate] {
        try await call(.identifyStudent, IdentifyStudentResponse.self) { caller in
            IdentifyStudentRequest(callerInfo: caller, lastName: lastName, firstName: firstName, birthDate: birthDate, gender: gender)
        }.candidate
    }

    // MARK: - One call

    /// Sends one request, reads the answer, records the call, and sorts any failure.
    private func call<Request: Encodable, Response: Decodable>(
        _ operation: PASIOperation, _ responseType: Response.Type, extraTime: Duration = .zero,
        _ makeRequest: (CallerInfoElement) -> Request
    ) async throws(PASICoreError) -> Response {
        try await callIdentified(operation, responseType, extraTime: extraTime, makeRequest).response
    }

    /// ``call(_:_:extraTime:_:)`` that also returns the call's ClientMessageID, and checks the
    /// answer with `check` before the call is recorded (a failed check is the call's outcome).
    private func callIdentified<Request: Encodable, Response: Decodable>(
        _ operation: PASIOperation, _ responseType: Response.Type, extraTime: Duration = .zero,
        check: (Response) throws(PASICoreError) -> Void = { _ in }, _ makeRequest: (CallerInfoElement) -> Request
    ) async throws(PASICoreError) -> (response: Response, clientMessageID: UUID) {
        let messageID = UUID()
        let sentAt = Date()
        let started = ContinuousClock.now
        let caller = CallerInfoElement(configuration.callerInfo, messageID: messageID.uuidString.lowercased(), sentUtcTime: sentAt.ISO8601Format())
        let result: Result<Response, PASICoreError>
        // Bodies are personal data: kept only while the Messages Log asks for them.
        var bodies = MessageBodies(keep: log.keepsBodies)
        do {
            let response = try await exchange(operation, makeRequest(caller), responseType, timeout: configuration.timeout + extraTime, bodies: &bodies)
            try check(response)
            result = .success(response)
        } catch {
            var failed = error
            failed.clientMessageID = messageID
            result = .failure(failed)
        }
        // A list submit answered with some records refused is logged as those refusals.
        let refused = (try? result.get() as? MultipleSubmitResponse).flatMap { Self.refusals($0, operation: operation) }
        let failure = result.failure ?? refused
        await record(PASICallRecord(
            clientMessageID: messageID, operation: operation.name, sentAt: sentAt, duration: ContinuousClock.now - started,
            outcome: refused == nil ? outcome(result) : .rejected, faultCode: failure?.faultCode, detail: failure?.message,
            requestBody: bodies.request(failure: failure), responseBody: bodies.response(failure: failure)))
        return (try result.get(), messageID)
    }

    /// The refusals of a list submit's answer as one error for the message log: the most urgent
    /// category of them (a record PASI could not read keeps the request, as a defect does), each
    /// refused record's id and rules in its text. `nil` when every record was accepted.
    static func refusals(_ response: MultipleSubmitResponse, operation: PASIOperation) -> PASICoreError? {
        let refused = response.submitResponse.filter { !$0.rejection.isEmpty }
        guard !refused.isEmpty else { return nil }
        let rejections = refused.flatMap(\.rejection)
        return PASICoreError(
            category(of: rejections), faultCode: rejections.first?.code, rejections: rejections,
            message: "\(operation.name): \(refused.count) of \(response.submitResponse.count) records rejected: "
                + refused.map { "\($0.id) (\($0.rejection.map(\.description).joined(separator: "; ")))" }.joined(separator: ", "))
    }

    private func exchange<Request: Encodable, Response: Decodable>(
        _ operation: PASIOperation, _ request: Request, _ responseType: Response.Type, timeout: Duration,
        bodies: inout MessageBodies
    ) async throws(PASICoreError) -> Response {
        let direct = operation.isDirectlyCoded && configuration.getMessageCoding == .direct
        let body: Data
        do {
            body = try direct ? DirectEnvelope.request(operation.name, request) : SOAPEnvelope.request(operation.name, request)
        } catch {
            throw PASICoreError(.defect, message: "the \(operation.name) request cannot be encoded: \(error)")
        }
        var httpRequest = HTTPClientRequest(url: configuration.endpoint)
        httpRequest.method = .POST
        httpRequest.headers.add(name: "Content-Type", value: "text/xml; charset=utf-8")
        httpRequest.headers.add(name: "SOAPAction", value: "\"\(operation.name)\"")
        httpRequest.body = .bytes(ByteBuffer(bytes: body))
        bodies.keepRequest(body)
        let status: UInt
        let answer: Data
        do {
            let response = try await http.execute(httpRequest, timeout: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000))
            status = response.status.code
            let buffer = try await response.body.collect(upTo: configuration.maxResponseBytes)
            answer = Data(buffer.readableBytesView)
            bodies.keepResponse(answer)
        } catch {
            throw Self.transportError(error, operation: operation.name, timeout: timeout)
        }
        return try Self.read(status: status, answer, operation: operation, direct: direct, as: responseType)
    }

    /// Sorts an HTTP answer: 200 → the body (a submit's rejections become an error),
    /// 500 with a SOAP fault → its documented handling, 413 → defect (ours: too large), 401/403 →
    /// configuration, other 5xx → transient, an answer we cannot read → defect.
    /// Internal, so tests can hand it answers no simulator sends.
    static func read<Response: Decodable>(status: UInt, _ data: Data, operation: PASIOperation, direct: Bool, as type: Response.Type) throws(PASICoreError) -> Response {
        switch status {
        case 200, 500:
            let decoded: Result<Response, PASIFault>
            do {
                decoded = try decodeAnswer(operation, direct: direct, type, data)
            } catch {
                if status == 500 { throw PASICoreError(.transient, message: "HTTP 500 without a readable fault from \(operation.name)") }
                throw PASICoreError(.defect, message: "the answer to \(operation.name) cannot be read: \(error.message)")
            }
            switch decoded {
            case let .success(response):
                if let submitted = response as? SubmitResponse, let refused = rejected(submitted, operation: operation) { throw refused }
                return response
            case let .failure(fault):
                throw PASICoreError.fault(fault)
            }
        case 413:
            throw PASICoreError(.defect, message: "PASI Core refused the \(operation.name) request as too large (over 65,536 bytes)")
        case 300...399:
            // Not followed (see init): the address is wrong or the endpoint moved.
            throw PASICoreError(.configuration, message: "PASI Core's address answered \(operation.name) with a redirect (HTTP \(status)), which is not followed: check the PASI URL (PASISYNC_PASI_URL)")
        case 401, 403:
            throw PASICoreError(.configuration, message: "PASI Core refused the caller (HTTP \(status))")
        case 500...599:
            throw PASICoreError(.transient, message: "PASI Core answered HTTP \(status) to \(operation.name)")
        default:
            throw PASICoreError(.defect, message: "PASI Core answered HTTP \(status) to \(operation.name)")
        }
    }

    /// A submit's rejections: business rules, unless one is a code of another handling (a
    /// 3001 or 9014 answered as a rejection rather than a fault): the most urgent decides.
    static func category(of rejections: [Rejection]) -> PASICoreError.Category {
        let categories = rejections.map { PASICoreError.category(of: PASIFault.handling(of: $0.code)) }
        for urgent in [PASICoreError.Category.configuration, .defect, .transient] where categories.contains(urgent) { return urgent }
        return .rejection
    }

    /// The change feed's answer (up to ~600,000 items) is read by the streaming path, the
    /// Get answers (the most records) by the direct one, the rest through XMLCoder.
    private static func decodeAnswer<Response: Decodable>(_ operation: PASIOperation, direct: Bool, _ type: Response.Type, _ data: Data) throws(PASIFault) -> Result<Response, PASIFault> {
        if Response.self == IsDataAvailableResponse.self {
            // The cast cannot fail: Response is IsDataAvailableResponse.
            return try FeedCoding.decode(data).map { $0 as! Response }
        }
        if direct { return try DirectEnvelope.decodeResponse(operation.name, as: type, from: data) }
        return try SOAPEnvelope.decodeResponse(operation.name, as: type, from: data)
    }

    private static func transportError(_ error: any Error, operation: String, timeout: Duration) -> PASICoreError {
        if let httpError = error as? HTTPClientError, httpError == .deadlineExceeded || httpError == .readTimeout {
            return PASICoreError(.transient, message: "\(operation) timed out after \(timeout)", isTimeout: true)
        }
        // A certificate refused either way (another CA, another host name) is a setting to fix,
        // not an outage to wait out.
        if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError {
            return PASICoreError(.configuration, message: "the TLS handshake for \(operation) failed: \(error)")
        }
        return PASICoreError(.transient, message: "\(operation) failed in transport: \(error)")
    }

    private func outcome<Response>(_ result: Result<Response, PASICoreError>) -> PASICallRecord.Outcome {
        guard case let .failure(error) = result else { return .success }
        if error.isTimeout { return .timeout }
        if !error.rejections.isEmpty { return .rejected }
        return error.faultCode != nil ? .fault : .error
    }

    private func record(_ call: PASICallRecord) async {
        do {
            try await log.record(call)
        } catch {
            logger.error("the message log failed to record a PASI call", metadata: [
                "client_message_id": "\(call.clientMessageID)", "operation": "\(call.operation)", "error": "\(error)",
            ])
        }
    }
}

extension Result {
    fileprivate var failure: Failure? {
        if case let .failure(error) = self { return error }
        return nil
    }
}

/// The request and answer of one call, as the Messages Log keeps them: text, cut at 1 MiB each.
/// The request of a call PASI could not read (a defect of ours, 3001/3002/…) is kept whatever
/// the setting: a person needs it to find the defect, and it is only kept for those calls.
struct MessageBodies {
    static let limit = 1 << 20
    let keep: Bool
    /// The request as sent and the answer as received, held (not copied) until the outcome is known.
    private var sent: Data?
    private var received: Data?

    init(keep: Bool) { self.keep = keep }

    mutating func keepRequest(_ data: Data) { sent = data }
    mutating func keepResponse(_ data: Data) { received = data }

    /// The request to log for a call that ended in `failure`: always for a defect, which a
    /// person must be able to read.
    func request(failure: PASICoreError?) -> String? {
        guard keep || failure?.category == .defect else { return nil }
        return sent.map(Self.text)
    }

    /// The answer to log, on the same terms: an answer that cannot be read is kept whole, since
    /// the error text names its element but not its value (a child's name or birth date).
    func response(failure: PASICoreError?) -> String? {
        guard keep || failure?.category == .defect else { return nil }
        return received.map(Self.text)
    }

    private static func text(_ data: Data) -> String {
        String(decoding: data.prefix(limit), as: UTF8.self)
    }
}
