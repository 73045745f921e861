public import Foundation

/// The documents ``SOAPEnvelope`` writes and reads through XMLCoder, written and read
/// directly: the encoder appends bytes as the message's `encode(to:)` runs, the reader
/// scans the document once into a flat list of elements and hands it to the message's
/// `init(from:)`. The messages' own Codable code runs either way, so the validating
/// initializers check every record exactly as before.
///
/// Used for the Get, status Get and Submit services (``PASIOperation/isDirectlyCoded``), whose
/// answers carry the most records or are called once per record (regular synchronization): a Get of 100 students costs a fraction of what it costs
/// through XMLCoder (measured by `pasisync bench-pasi`). The bytes are XMLCoder's, except
/// that the envelope's two namespace declarations always come in one order (XMLCoder writes
/// them in a dictionary's order, which changes from process to process). Tests hold the two
/// paths to the same documents both ways.
public enum DirectEnvelope {
    /// The bytes of a request to `operation`, as ``SOAPEnvelope/request(_:_:)`` writes them.
    /// - Parameters:
    ///   - operation: The operation's name, e.g. `GetStudent`: the body element.
    ///   - body: The request.
    /// - Throws: What the body's `encode(to:)` throws (the contract's messages throw nothing).
    public static func request<Body: Encodable>(_ operation: String, _ body: Body) throws -> Data {
        try document(operation, body)
    }

    /// The bytes of the answer to `operation`, as ``SOAPEnvelope/response(_:_:)`` writes them.
    /// - Parameters:
    ///   - operation: The operation's name; the body element is `<operation>Response`.
    ///   - body: The answer.
    /// - Throws: What the body's `encode(to:)` throws (the contract's messages throw nothing).
    public static func response<Body: Encodable>(_ operation: String, _ body: Body) throws -> Data {
        try document(operation + "Response", body)
    }

    /// Reads the body of a request to `operation`.
    /// - Parameters:
    ///   - operation: The operation's name, which the body element must have.
    ///   - type: The request's type; its `init(from:)` validates what it reads.
    ///   - data: The document.
    /// - Throws: ``PASIFault`` 3002 when the request carries no CallerInfo, 3001 for a value out of range, and 3002 when the
    ///   document is not well formed (with its line and column) or the body is not a valid
    ///   `operation` element (naming the element and what is wrong with it).
    public static func decodeRequest<Body: Decodable>(_ operation: String, as type: Body.Type, from data: Data) throws(PASIFault) -> Body {
        let (reader, body) = try open(operation, data)
        return try decodeBody(operation, as: type, reader, body)
    }

    /// Reads the answer to `operation`, or the fault that came instead.
    /// - Parameters:
    ///   - operation: The operation's name; the body element must be `<operation>Response`.
    ///   - type: The answer's type; its `init(from:)` validates what it reads.
    ///   - data: The document.
    /// - Returns: The body, or the fault PASI answered with.
    /// - Throws: ``PASIFault`` 3002 (or 3001 for a value out of range) when the answer cannot be read, as for ``decodeRequest(_:as:from:)``.
    public static func decodeResponse<Body: Decodable>(_ operation: String, as type: Body.Type, from data: Data) throws(PASIFault) -> Result<Body, PASIFault> {
        let element = operation + "Response"
        let (reader, body) = try open(element, data)
        if let first = reader.tree.elements[body].firstChild.nonNegative, reader.tree.name(first) == "Fault",
           let fault = try? reader.decode(FaultElement.self, from: first) {
            return .failure(fault.pasiFault)
        }
        return .success(try decodeBody(element, as: type, reader, body))
    }

    /// Scans `data` as the readers do before decoding anything, checking only that it is
    /// well formed (`pasisync bench-pasi` measures the scanner with it).
    /// - Parameter data: The document.
    /// - Throws: ``PASIFault`` 3002 (or 3001 for a value out of range) with the line and column of what is not well formed.
    public static func checkWellFormed(_ data: Data) throws(PASIFault) {
        _ = try scan("document", data)
    }

    // MARK: -

    private static func document<Body: Encodable>(_ element: String, _ body: Body) throws -> Data {
        let writer = ByteWriter(capacity: 4096)
        writer.raw(head)
        try writer.element(element, body)
        writer.raw("</s:Body></s:Envelope>")
        return Data(writer.bytes)
    }

    /// XMLCoder's header line and envelope (`SOAPEnvelope.attributes`), namespaces in a fixed order.
    private static let head = Array((
        #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
            + #"<s:Envelope xmlns:s="\#(SOAPEnvelope.soapNamespace)" xmlns="\#(SOAPEnvelope.pasiNamespace)"><s:Body>"#
    ).utf8)

    private static func scan(_ element: String, _ data: Data) throws(PASIFault) -> XMLTree {
        do {
            return try XMLTree([UInt8](data))
        } catch {
            let (line, column) = XMLTree.position(of: error.offset, in: data)
            throw PASIFault(.requestNotStructuredCorrectly, "Invalid Request. The request was not structured correctly: the \(element) message is not well formed at line \(line), column \(column): \(error.problem)")
        }
    }

    /// Scans the document and finds `s:Envelope/s:Body`.
    private static func open(_ element: String, _ data: Data) throws(PASIFault) -> (TreeReader, body: Int) {
        let tree = try scan(element, data)
        guard tree.name(tree.root) == "Envelope" else {
            throw PASIFault(.requestNotStructuredCorrectly, "Invalid Request. The request was not structured correctly: the \(element) message is not a SOAP envelope: its root element is \(tree.name(tree.root))")
        }
        var body = tree.elements[tree.root].firstChild
        while body >= 0, tree.name(body) != "Body" { body = tree.elements[body].nextSibling }
        guard body >= 0 else { throw PASIFault(.requestNotStructuredCorrectly, "Invalid Request. The request was not structured correctly: the \(element) message has no SOAP Body") }
        return (TreeReader(tree), body)
    }

    /// Reads the body's element, as `SOAPEnvelope.decodeBody` does.
    private static func decodeBody<Body: Decodable>(_ element: String, as type: Body.Type, _ reader: TreeReader, _ body: Int) throws(PASIFault) -> Body {
        guard let first = reader.tree.elements[body].firstChild.nonNegative else {
            throw PASIFault(.requestNotStructuredCorrectly, "Invalid Request. The request was not structured correctly: the \(element) message cannot be read: the SOAP body is empty")
        }
        guard reader.tree.name(first) == element else {
            throw PASIFault(.requestNotStructuredCorrectly, "Invalid Request. The request was not structured correctly: the body holds \(reader.tree.name(first)), expected \(element)")
        }
        do {
            return try reader.decode(type, from: first)
        } catch let DecodingError.keyNotFound(key, _) where key.stringValue == "callerInfo" {
            throw PASIFault(.requestNotStructuredCorrectly, "Invalid Request. The request was not structured correctly: the \(element) message carries no CallerInfo")
        } catch DecodingError.dataCorrupted(let context) where !context.codingPath.isEmpty {
            // A value outside what is expected (a grade, a date, a length), at a path: rule 3001,
            // with details. A document that cannot be parsed at all has no path: 3002 below.
            throw PASIFault(.requestDoesNotMatchSchema, "Invalid Request. The following errors were found in the request: the \(element) message cannot be read: \(WireErrorText.describe(DecodingError.dataCorrupted(context)))")
        } catch {
            throw PASIFault(.requestNotStructuredCorrectly, "Invalid Request. The request was not structured correctly: the \(element) message cannot be read: \(WireErrorText.describe(error))")
        }
    }
}

/// Which coder the Get and status Get messages go through, on either side.
public enum GetMessageCoding: Sendable, Hashable {
    /// ``DirectEnvelope``, the default.
    case direct
    /// XMLCoder through ``SOAPEnvelope``: the same documents, several times slower; kept to
    /// measure the direct path against (`pasisync bench-pasi`).
    case xmlCoder
}

extension PASIOperation {
    /// Whether the client and the simulator write and read this operation's messages with
    /// ``DirectEnvelope`` (the Get, status Get and Submit services: the ones called per record
    /// or with many records) rather than XMLCoder.
    public var isDirectlyCoded: Bool {
        switch self {
        // A student's aspect submits are Regular Sync's most frequent call, as whole submits were.
        case .getRecords, .getStatuses, .submit, .submitStudentAspect: true
        case .isDataAvailable, .acknowledgeStatus, .getCodeValues, .identifyStudent, .createStudent: false
        }
    }
}

extension Int {
    /// The value, or `nil` for the -1 that stands for "none" in ``XMLTree``.
    fileprivate var nonNegative: Int? { self >= 0 ? self : nil }
}
