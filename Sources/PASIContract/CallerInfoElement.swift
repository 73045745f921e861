public import PASIModel

/// CallerInfo as it travels: every field a plain string, so the server can refuse a bad
/// one with the fault PASI gives (1006, 1008) instead of an unreadable message.
public struct CallerInfoElement: Codable, Sendable, Hashable {
    /// The software part.
    public struct Software: Codable, Sendable, Hashable {
        public var buildNumber: String
        public var manufacturer: String
        public var product: String
        public var version: String
    }

    /// The user part.
    public struct User: Codable, Sendable, Hashable {
        public var ipAddress: String
        public var localID: String
        public var name: String
        public var organizationCode: String
    }

    /// A new GUID per call, at most 50 characters; the client logs it.
    public var clientMessageID: String
    /// When the call was sent, ISO 8601 UTC.
    public var sentUtcTime: String
    /// The software.
    public var software: Software
    /// The user.
    public var user: User

    /// The element for `callerInfo`, sent now with `messageID`.
    public init(_ callerInfo: CallerInfo, messageID: String, sentUtcTime: String) {
        clientMessageID = messageID
        self.sentUtcTime = sentUtcTime
        software = Software(
            buildNumber: callerInfo.software.buildNumber, manufacturer: callerInfo.software.manufacturer,
            product: callerInfo.software.product, version: callerInfo.software.version)
        user = User(
            ipAddress: callerInfo.user.ipAddress, localID: callerInfo.user.localID, name: callerInfo.user.name,
            organizationCode: callerInfo.user.organizationCode.description)
    }

    /// Checks every field against PASI's rules, as PASI Core does before anything else.
    /// - Parameter organization: The organization the caller's certificate represents.
    /// - Throws: ``PASIFault`` 5001 when no OrganizationCode is sent, 1008 for one the caller
    ///   may not represent (rule_1008.html), and 3001 naming the first other field outside PASI's
    ///   rules (rule_3001.html: "values are within reasonable ranges", with details).
    public func validate(for organization: OrganizationCode) throws(PASIFault) {
        guard !user.organizationCode.isEmpty else {
            throw PASIFault(.missingOrganizationCode, "Missing Organization Code. The CallerInfo carries no OrganizationCode.")
        }
        do {
            try PASIString.validateRequired(clientMessageID, field: "CallerInfo.ClientMessageID", maxLength: CallerInfoLimits.clientMessageID)
            try PASIString.validateRequired(sentUtcTime, field: "CallerInfo.SentUtcTime", maxLength: 40)
            _ = try CallerInfo.Software(
                buildNumber: software.buildNumber, manufacturer: software.manufacturer, product: software.product,
                version: software.version)
            let code = try OrganizationCode(user.organizationCode)
            _ = try CallerInfo.User(ipAddress: user.ipAddress, localID: user.localID, name: user.name, organizationCode: code)
            guard code == organization else {
                throw PASIFault(.invalidOrganizationCode, "Invalid Organization. The organization code provided is not valid for this client.")
            }
        } catch let error as PASIModelError {
            if error.field.hasSuffix("OrganizationCode") || error.field == "organization number" {
                throw PASIFault(.invalidOrganizationCode, "Invalid Organization. The organization code provided is not valid for this client.")
            }
            throw PASIFault(.requestDoesNotMatchSchema, "Invalid Request. The following errors were found in the request: \(error)")
        } catch let fault as PASIFault {
            throw fault
        } catch {
            throw PASIFault(.requestDoesNotMatchSchema, "Invalid Request. The following errors were found in the request: \(error)")
        }
    }
}
