public import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import PASIModel

/// A fast path for the largest message, the `IsDataAvailable` answer (up to 150,000
/// items per type, about 600,000 in all, ``FeedLimits``): the same document ``SOAPEnvelope`` writes and
/// reads through XMLCoder, written by appending bytes and read with the streaming
/// `XMLParser` instead of building a tree. Measured by `pasisync bench-pasi`; tests hold
/// the two paths to the same document both ways.
public enum FeedCoding {
    /// The answer's document, as `SOAPEnvelope.response("IsDataAvailable", response)` writes it.
    public static func encode(_ response: IsDataAvailableResponse) -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(256 + response.notification.reduce(0) { $0 + 64 + $1.item.count * 56 })
        func add(_ text: String) { out.append(contentsOf: text.utf8) }
        func element(_ name: String, _ value: String) {
            add("<\(name)>")
            escape(value, into: &out)
            add("</\(name)>")
        }
        add(#"<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="\#(SOAPEnvelope.soapNamespace)" xmlns="\#(SOAPEnvelope.pasiNamespace)"><s:Body><IsDataAvailableResponse>"#)
        for answer in response.notification {
            add("<Notification>")
            element("NotificationType", answer.notificationType.description)
            element("HashMatched", answer.hashMatched ? "true" : "false")
            for item in answer.item {
                add("<Item><Id>")
                escape(item.id, into: &out)
                add("</Id><Version>")
                add(String(item.version))
                add("</Version></Item>")
            }
            add("</Notification>")
        }
        add("</IsDataAvailableResponse></s:Body></s:Envelope>")
        return Data(out)
    }

    /// Reads an `IsDataAvailable` answer, or the fault that came instead.
    /// - Throws: ``PASIFault`` 3002 naming the line and column of what cannot be read.
    public static func decode(_ data: Data) throws(PASIFault) -> Result<IsDataAvailableResponse, PASIFault> {
        try XMLGuard.check(data, what: "IsDataAvailable answer")
        let reader = FeedReader()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.delegate = reader
        let parsed = parser.parse()
        if reader.sawFault {
            return try SOAPEnvelope.decodeResponse("IsDataAvailable", as: IsDataAvailableResponse.self, from: data)
        }
        if let problem = reader.problem ?? (parsed ? nil : "not well formed (\(parser.parserError.map { "\($0)" } ?? "unknown error"))") {
            throw PASIFault(.requestNotStructuredCorrectly, "the IsDataAvailable answer cannot be read at line \(parser.lineNumber), column \(parser.columnNumber): \(problem)")
        }
        guard reader.sawResponse else {
            throw PASIFault(.requestNotStructuredCorrectly, "the body holds no IsDataAvailableResponse")
        }
        // Foundation's parser on Linux accepts a document cut short; a complete answer ends
        // its IsDataAvailableResponse element.
        guard reader.sawResponseEnd else {
            throw PASIFault(.requestNotStructuredCorrectly, "the IsDataAvailable answer ends early, at line \(parser.lineNumber), column \(parser.columnNumber)")
        }
        return .success(IsDataAvailableResponse(notification: reader.answers))
    }

    private static func escape(_ text: String, into out: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
            default: out.append(byte)
            }
        }
    }
}

/// Collects the answer element by element; text is kept only for the leaf elements read.
private final class FeedReader: NSObject, XMLParserDelegate {
    var answers: [IsDataAvailableResponse.Answer] = []
    var sawFault = false
    var sawResponse = false
    var sawResponseEnd = false
    var problem: String?

    private var text = ""
    private var type: NotificationType?
    private var hashMatched = false
    private var items: [FeedItem] = []
    private var id = ""

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        text = ""
        switch name {
        case "Fault": sawFault = true
        case "IsDataAvailableResponse": sawResponse = true
        case "Notification": (type, hashMatched, items) = (nil, false, [])
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "Id": id = text
        case "Version":
            guard let version = Int64(text) else { return fail(parser, "Version \"\(text)\" is not an integer") }
            items.append(FeedItem(id: id, version: version))
        case "NotificationType":
            do { type = try NotificationType(text) } catch { fail(parser, "\(error)") }
        case "HashMatched": hashMatched = text == "true"
        case "IsDataAvailableResponse": sawResponseEnd = true
        case "Notification":
            guard let type else { return fail(parser, "a Notification has no NotificationType") }
            answers.append(.init(notificationType: type, hashMatched: hashMatched, item: items))
        default: break
        }
    }

    private func fail(_ parser: XMLParser, _ message: String) {
        if problem == nil { problem = message }
        parser.abortParsing()
    }
}
