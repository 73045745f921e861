public import Foundation
import XMLCoder

/// The XML coders every message goes through, so the client and the simulator name
/// elements alike.
///
/// Element names follow PASI's data contracts: the Swift property name with its first
/// letter in upper case (`schoolCode` → `SchoolCode`), except for the names in
/// ``WireNames/overrides`` (`asn` → `StateProvinceId`, `pasiCoreVersion` →
/// `PASICoreVersion`, …). Names with a namespace prefix (`s:Body`) are written as they are.
public enum WireCoding {
    /// Encodes `value` as an XML document whose root element is `root`.
    /// - Throws: `EncodingError` if a value cannot be encoded.
    public static func encode<T: Encodable>(_ value: T, root: String, attributes: [String: String] = [:]) throws -> Data {
        let encoder = XMLEncoder()
        encoder.keyEncodingStrategy = .custom { path in WireKey(WireNames.wire(path.last!.stringValue)) }
        return try encoder.encode(value, withRootKey: root, rootAttributes: attributes, header: XMLHeader(version: 1.0, encoding: "UTF-8"))
    }

    /// Decodes a document into `type`, ignoring namespace prefixes.
    /// - Throws: `DecodingError`, or the validating initializers' errors.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        let decoder = XMLDecoder(trimValueWhitespaces: false)
        decoder.shouldProcessNamespaces = true
        // No context around a parse error: XMLCoder's would quote the document (a child's name,
        // a birth date) into the error text, and its offset arithmetic traps on some documents
        // (found by AnswerFuzzTests: "Range requires lowerBound <= upperBound").
        decoder.errorContextLength = 0
        decoder.keyDecodingStrategy = .custom { path in WireKey(WireNames.swift(path.last!.stringValue)) }
        return try decoder.decode(type, from: data)
    }
}

/// The mapping between Swift property names and PASI element names.
public enum WireNames {
    /// Property names whose element name is not simply the name capitalized.
    public static let overrides: [String: String] = [
        "asn": "StateProvinceId",
        "primaryASN": "PrimaryStateProvinceId",
        "secondaryASNs": "SecondaryStateProvinceId",
        "pasiCoreVersion": "PASICoreVersion",
        "maxPASICoreVersion": "MaxPASICoreVersion",
        "pasiCoreVersionHash": "PASICoreVersionHash",
        "ipAddress": "IPAddress",
        "clientMessageID": "ClientMessageID",
        "localID": "LocalID",
        "localStudentID": "LocalStudentId",
        "fnmiDeclaration": "FNMIDeclaration",
        "pasiFault": "PASIFault",
    ]
    private static let reverse: [String: String] = Dictionary(uniqueKeysWithValues: overrides.map { ($1, $0) })

    /// The element name for a Swift property name.
    public static func wire(_ swiftName: String) -> String {
        if let name = overrides[swiftName] { return name }
        guard let first = swiftName.first, first.isLowercase, !swiftName.contains(":") else { return swiftName }
        return first.uppercased() + swiftName.dropFirst()
    }

    /// The Swift property name for an element name.
    public static func swift(_ wireName: String) -> String {
        if let name = reverse[wireName] { return name }
        guard let first = wireName.first, first.isUppercase else { return wireName }
        return first.lowercased() + wireName.dropFirst()
    }
}

/// A coding key made from a string.
struct WireKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
