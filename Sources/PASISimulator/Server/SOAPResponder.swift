public import Foundation
public import PASIContract
import PASIModel
internal import ServiceLifecycle

/// Answers one SOAP request: checks the CallerInfo, carries out the operation on the
/// ``Province`` and encodes the answer or the fault. Transport-free, so the server and
/// tests share it.
public struct SOAPResponder: Sendable {
    /// The province answered from.
    public let province: Province
    /// How the Get and status Get messages are read and written.
    public let getMessageCoding: GetMessageCoding

    /// Creates a responder over `province`.
    /// - Parameters:
    ///   - province: The province answered from.
    ///   - getMessageCoding: How the Get and status Get messages are read and written.
    public init(province: Province, getMessageCoding: GetMessageCoding = .direct) {
        self.province = province
        self.getMessageCoding = getMessageCoding
    }

    /// The answer to a request for `operationName` with `body`.
    /// - Parameter rejecting: Ids whose submits the fault injection refuses.
    /// - Returns: The response document and whether it is a fault.
    public func respond(operationName: String, body: Data, rejecting: Set<String> = []) async -> (data: Data, isFault: Bool) {
        do {
            guard let operation = PASIOperation(name: operationName) else {
                // Rule 3002: "the WSDL the client is using is not in sync with the service".
                throw PASIFault(.requestNotStructuredCorrectly, "Invalid Request. The request was not structured correctly: PASI Core has no operation \"\(operationName)\"")
            }
            return (try await perform(operation, body, rejecting), false)
        } catch let fault as PASIFault {
            return (SOAPEnvelope.fault(fault), true)
        } catch {
            return (SOAPEnvelope.fault(PASIFault(.unexpectedProblem, "Unexpected Problem in PASI: the simulator failed: \(error)")), true)
        }
    }

    private func perform(_ operation: PASIOperation, _ body: Data, _ rejecting: Set<String>) async throws -> Data {
        switch operation {
        case .isDataAvailable:
            let request = try decode(operation, IsDataAvailableRequest.self, body)
            if let fault = ChangeFeedRules.fault(for: request) { throw fault }
            // The largest answer, written by the streaming path (same document as the generic one).
            return FeedCoding.encode(await isDataAvailable(request))
        case let .getRecords(type):
            return try await get(type.recordSwiftType, operation, body)
        case let .getStatuses(type):
            return try await getStatuses(type.recordSwiftType, operation, body)
        case .submit(.student):
            // SubmitStudent is "only available on the 2017 end point" and for the "Ministry Client
            // User role" (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/submit_student.html):
            // a K-12 client changes a student by aspect (StudentAspect).
            _ = try decode(operation, SubmitRequest<Student>.self, body)
            throw PASIFault(.noAccessToService, "No Access to Service Requested: SubmitStudent is the Ministry's service; a K-12 client submits a student's aspects (SubmitName, SubmitStudentGender, …)")
        case let .submit(type):
            return try await submit(type.recordSwiftType, operation, body, rejecting)
        case let .submitStudentAspect(aspect):
            let message = try decode(operation, StudentAspectMessage.self, body)
            let request = try StudentAspectRequest(aspect, message)
            return try encode(operation, await province.submit(request, rejecting: rejecting))
        case let .acknowledgeStatus(type):
            let request = try decode(operation, AcknowledgeStatusRequest.self, body)
            return try SOAPEnvelope.response(operation.name, await province.acknowledge(type, request))
        case .getCodeValues:
            let request = try decode(operation, GetCodeValuesRequest.self, body)
            return try SOAPEnvelope.response(operation.name, await province.codeValues(since: request.lastKnownVersion))
        case .createStudent:
            let request = try decode(operation, CreateStudentRequest.self, body)
            return try SOAPEnvelope.response(operation.name, await province.createStudent(request))
        case .identifyStudent:
            let request = try decode(operation, IdentifyStudentRequest.self, body)
            return try SOAPEnvelope.response(operation.name, IdentifyStudentResponse(candidate: await province.identify(request)))
        }
    }

    /// Decodes the request and checks its CallerInfo before anything else, as PASI does.
    private func decode<Request: Decodable & CallerInfoCarrying>(_ operation: PASIOperation, _ type: Request.Type, _ body: Data) throws -> Request {
        let request = try isDirect(operation)
            ? DirectEnvelope.decodeRequest(operation.name, as: type, from: body)
            : SOAPEnvelope.decodeRequest(operation.name, as: type, from: body)
        try request.callerInfo.validate(for: province.organization)
        return request
    }

    private func encode<Response: Encodable>(_ operation: PASIOperation, _ response: Response) throws -> Data {
        try isDirect(operation) ? DirectEnvelope.response(operation.name, response) : SOAPEnvelope.response(operation.name, response)
    }

    private func isDirect(_ operation: PASIOperation) -> Bool { operation.isDirectlyCoded && getMessageCoding == .direct }

    private func get<R: PASIRecord>(_ type: R.Type, _ operation: PASIOperation, _ body: Data) async throws -> Data {
        let request = try decode(operation, GetRecordsRequest.self, body)
        return try encode(operation, GetRecordsResponse<R>(item: await province.get(R.self, request.key, knownSourceVersion: request.knownSourceVersion)))
    }

    private func getStatuses<R: PASIRecord>(_ type: R.Type, _ operation: PASIOperation, _ body: Data) async throws -> Data {
        let request = try decode(operation, GetStatusesRequest.self, body)
        return try encode(operation, GetStatusesResponse<R>(item: await province.statuses(R.self, request.key)))
    }

    private func submit<R: PASIRecord>(_ type: R.Type, _ operation: PASIOperation, _ body: Data, _ rejecting: Set<String>) async throws -> Data {
        if R.recordType.submitsInLists {
            let request = try decode(operation, MultipleSubmitRequest<R>.self, body)
            return try encode(operation, await province.submit(request, rejecting: rejecting))
        }
        let request = try decode(operation, SubmitRequest<R>.self, body)
        return try SOAPEnvelope.response(operation.name, await province.submit(request, rejecting: rejecting))
    }

    /// The long poll: answer at once when anything is available, else wait for a change
    /// (checked every 20 ms) up to the wait time, then answer what there is. A graceful shutdown
    /// (SIGTERM) answers the waiting polls at once, as a wait that ended: a stop waits for the
    /// answers in flight, and a poll of minutes held every stop of the simulator that long.
    private func isDataAvailable(_ request: IsDataAvailableRequest) async -> IsDataAvailableResponse {
        let deadline = ContinuousClock.now + .milliseconds(Int(max(0, request.waitTimeInMinutes) * 60_000))
        while true {
            let seen = await province.latestVersion
            let response = await province.answer(request.notification)
            let anything = response.notification.contains { !$0.item.isEmpty }
            if anything || ContinuousClock.now >= deadline || Self.stopping {
                return response
            }
            while await province.latestVersion == seen, ContinuousClock.now < deadline, !Self.stopping {
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
    }
}

extension SOAPResponder {
    /// Whether the poll should end now: cancelled, or its server is shutting down.
    static var stopping: Bool { Task.isCancelled || Task.isShuttingDownGracefully }
}

/// A request that carries CallerInfo.
protocol CallerInfoCarrying { var callerInfo: CallerInfoElement { get } }
extension IsDataAvailableRequest: CallerInfoCarrying {}
extension GetRecordsRequest: CallerInfoCarrying {}
extension GetStatusesRequest: CallerInfoCarrying {}
extension SubmitRequest: CallerInfoCarrying {}
extension StudentAspectMessage: CallerInfoCarrying {}
extension CreateStudentRequest: CallerInfoCarrying {}
extension MultipleSubmitRequest: CallerInfoCarrying {}
extension AcknowledgeStatusRequest: CallerInfoCarrying {}
extension GetCodeValuesRequest: CallerInfoCarrying {}
extension IdentifyStudentRequest: CallerInfoCarrying {}
