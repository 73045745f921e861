public import Foundation
import PASIModel

/// The SOAP 1.1 envelope every message travels in: `s:Envelope/s:Body/<Operation>`
/// for a request, `<Operation>Response` for an answer, `s:Fault` for a fault.
public enum SOAPEnvelope {
    /// The SOAP 1.1 envelope namespace.
    public static let soapNamespace = "http://schemas.xmlsoap.org/soap/envelope/"
    /// This project's namespace for PASI's data contracts (the real one is per yearly endpoint).
    public static let pasiNamespace = "urn:pasisync:pasi-core:2021"

    /// The bytes of a request to `operation`.
    /// - Throws: `EncodingError`.
    public static func request<Body: Encodable>(_ operation: String, _ body: Body) throws -> Data {
        try WireCoding.encode(Outgoing(element: operation, body: body), root: "s:Envelope", attributes: attributes)
    }

    /// The bytes of the answer to `operation`.
    /// - Throws: `EncodingError`.
    public static func response<Body: Encodable>(_ operation: String, _ body: Body) throws -> Data {
        try WireCoding.encode(Outgoing(element: operation + "Response", body: body), root: "s:Envelope", attributes: attributes)
    }

    /// The bytes of a fault.
    public static func fault(_ fault: PASIFault) -> Data {
        let element = FaultElement(
            faultcode: fault.isClientFault ? "s:Client" : "s:Server", faultstring: fault.message,
            detail: .init(pasiFault: .init(code: fault.code, message: fault.message)))
        // A fault of strings and an integer always encodes.
        return try! WireCoding.encode(Outgoing(element: "s:Fault", body: element), root: "s:Envelope", attributes: attributes)
    }

    /// Reads the body of a request to `operation`.
    /// - Throws: ``PASIFault`` 3002 (or 3001 for a value out of range) when the document is not well formed or the body is
    ///   not a valid `operation` element; the message says where and what.
    public static func decodeRequest<Body: Decodable>(_ operation: String, as type: Body.Type, from data: Data) throws(PASIFault) -> Body {
        try XMLGuard.check(data, what: "\(operation) message")
        return try decodeBody(element: operation, as: type, from: data)
    }

    /// Reads the answer to `operation`, or the fault that came instead.
    /// - Returns: The body, or the fault PASI answered with.
    /// - Throws: ``PASIFault`` 3002 (or 3001 for a value out of range) when the answer cannot be read.
    public static func decodeResponse<Body: Decodable>(_ operation: String, as type: Body.Type, from data: Data) throws(PASIFault) -> Result<Body, PASIFault> {
        try XMLGuard.check(data, what: "\(operation) answer")
        if let fault = try? WireCoding.decode(Incoming<FaultElement>.self, from: data), fault.element == "Fault" {
            return .failure(fault.body.pasiFault)
        }
        return .success(try decodeBody(element: operation + "Response", as: type, from: data))
    }

    private static let attributes = ["xmlns:s": soapNamespace, "xmlns": pasiNamespace]

    private static func decodeBody<Body: Decodable>(element: String, as type: Body.Type, from data: Data) throws(PASIFault) -> Body {
        let incoming: Incoming<Body>
        do {
            incoming = try WireCoding.decode(Incoming<Body>.self, from: data)
        } catch let DecodingError.keyNotFound(key, _) where key.stringValue == "callerInfo" {
            throw PASIFault(.requestNotStructuredCorrectly, "Invalid Request. The request was not structured correctly: the \(element) message carries no CallerInfo")
        } catch DecodingError.dataCorrupted(let context) where !context.codingPath.isEmpty {
            // A value outside what is expected (a grade, a date, a length), at a path: rule 3001,
            // with details. A document that cannot be parsed at all has no path: 3002 below.
            throw PASIFault(.requestDoesNotMatchSchema, "Invalid Request. The following errors were found in the request: the \(element) message cannot be read: \(WireErrorText.describe(DecodingError.dataCorrupted(context)))")
        } catch {
            // Not well formed: the direct scanner names the line and column (XMLCoder is told
            // not to, as its context would quote the document).
            let parseFailed: Bool
            switch error {
            case DecodingError.dataCorrupted(let context): parseFailed = context.codingPath.isEmpty
            case is DecodingError: parseFailed = false
            default: parseFailed = true  // the parser's own NSError
            }
            if parseFailed { try DirectEnvelope.checkWellFormed(data) }
            throw PASIFault(.requestNotStructuredCorrectly, "Invalid Request. The request was not structured correctly: the \(element) message cannot be read: \(WireErrorText.describe(error))")
        }
        guard incoming.element == element else {
            throw PASIFault(.requestNotStructuredCorrectly, "Invalid Request. The request was not structured correctly: the body holds \(incoming.element), expected \(element)")
        }
        return incoming.body
    }
}

/// `s:Envelope` → `s:Body` → one element named at run time.
private struct Outgoing<Body: Encodable>: Encodable {
    let element: String
    let body: Body

    func encode(to encoder: any Encoder) throws {
        var envelope = encoder.container(keyedBy: WireKey.self)
        var soapBody = envelope.nestedContainer(keyedBy: WireKey.self, forKey: WireKey("s:Body"))
        try soapBody.encode(body, forKey: WireKey(element))
    }
}

/// Reads `Envelope/Body/<first element>`; prefixes are dropped by the decoder.
private struct Incoming<Body: Decodable>: Decodable {
    let element: String
    let body: Body

    init(from decoder: any Decoder) throws {
        let envelope = try decoder.container(keyedBy: WireKey.self)
        let soapBody = try envelope.nestedContainer(keyedBy: WireKey.self, forKey: WireKey("body"))
        guard let key = soapBody.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(codingPath: soapBody.codingPath, debugDescription: "the SOAP body is empty"))
        }
        element = WireNames.wire(key.stringValue)
        body = try soapBody.decode(Body.self, forKey: key)
    }
}

/// The SOAP 1.1 fault element with PASI's code and text in its detail.
struct FaultElement: Codable {
    struct Detail: Codable {
        struct Inner: Codable {
            var code: Int?
            var message: String
        }
        var pasiFault: Inner
    }
    var faultcode: String
    var faultstring: String
    var detail: Detail

    var pasiFault: PASIFault {
        PASIFault(code: detail.pasiFault.code, message: detail.pasiFault.message)
    }
}

/// Short, readable text for a decoding error: the element path and what was wrong.
enum WireErrorText {
    /// What is wrong and where, without the value read (it may be personal data).
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as PASIModelError:
            return error.withoutValue
        case let DecodingError.keyNotFound(key, context):
            return "\(path(context.codingPath + [key])) is missing"
        case let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
             let DecodingError.dataCorrupted(context):
            let underlying = context.underlyingError.map { " (\(describeUnderlying($0)))" } ?? ""
            return "\(path(context.codingPath)): \(context.debugDescription)\(underlying)"
        default:
            return String(describing: error)
        }
    }

    private static func describeUnderlying(_ error: any Error) -> String {
        if let error = error as? PASIModelError { return error.withoutValue }
        let text = String(describing: error)
        return text.count > 300 ? String(text.prefix(300)) + "…" : text
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? WireNames.wire($0.stringValue) }.joined(separator: "/")
    }
}
