/// This software's identity as sent in every request's `CallerInfo.Software`.
public enum PasisyncRelease {
    /// The product name.
    public static let product = "pasisync"
    /// The manufacturer.
    public static let manufacturer = "pasisync project"
    /// The release version; raise it with every release.
    public static let version = "0.1.0"
    /// The build number; raise it with every build shipped.
    public static let build = "1"
}

/// The caller information PASI Core requires on every request.
///
/// `SentUtcTime` is not held here: it is the moment of sending, which the transport
/// fills in. A queued call keeps the ``User`` who started it.
public struct CallerInfo: Sendable, Hashable {
    /// The software making the call.
    public struct Software: Sendable, Hashable {
        /// Build number, ≤ 30 characters.
        public var buildNumber: String
        /// Manufacturer, ≤ 100 characters.
        public var manufacturer: String
        /// Product, ≤ 100 characters.
        public var product: String
        /// Version, ≤ 30 characters.
        public var version: String

        /// Creates the software part, checking PASI's lengths and string rule.
        /// - Throws: ``PASIModelError`` naming the first bad field.
        public init(buildNumber: String, manufacturer: String, product: String, version: String) throws(PASIModelError) {
            try Rule.required(buildNumber, "CallerInfo.Software.BuildNumber", max: CallerInfoLimits.buildNumber)
            try Rule.required(manufacturer, "CallerInfo.Software.Manufacturer", max: CallerInfoLimits.manufacturer)
            try Rule.required(product, "CallerInfo.Software.Product", max: CallerInfoLimits.product)
            try Rule.required(version, "CallerInfo.Software.Version", max: CallerInfoLimits.version)
            (self.buildNumber, self.manufacturer, self.product, self.version) = (buildNumber, manufacturer, product, version)
        }

        /// This software: ``PasisyncRelease``.
        public static let pasisync = try! Software(
            buildNumber: PasisyncRelease.build, manufacturer: PasisyncRelease.manufacturer,
            product: PasisyncRelease.product, version: PasisyncRelease.version)
    }

    /// The user on whose behalf the call is made.
    public struct User: Sendable, Hashable {
        /// The IP address of the calling server, ≤ 50 characters.
        public var ipAddress: String
        /// The synchronization user's id (by default `pasisync<district number>`).
        public var localID: String
        /// The synchronization user's name (by default the school division's name).
        public var name: String
        /// The authority's organization code, `A.NNNN`; PASI answers a wrong one with 1008.
        public var organizationCode: OrganizationCode

        /// Creates the user part.
        /// - Throws: ``PASIModelError`` if a field is too long, breaks the string rule, or
        ///   the organization code is not an authority code.
        public init(ipAddress: String, localID: String, name: String, organizationCode: OrganizationCode) throws(PASIModelError) {
            try Rule.required(ipAddress, "CallerInfo.User.IPAddress", max: CallerInfoLimits.ipAddress)
            try Rule.required(localID, "CallerInfo.User.LocalID", max: CallerInfoLimits.localID)
            try Rule.required(name, "CallerInfo.User.Name", max: CallerInfoLimits.name)
            if organizationCode.kind != .authority {
                throw PASIModelError(.invalidFormat, field: "CallerInfo.User.OrganizationCode", expectation: "must be an authority code A.NNNN", value: organizationCode.description)
            }
            (self.ipAddress, self.localID, self.name, self.organizationCode) = (ipAddress, localID, name, organizationCode)
        }

        /// The default Local ID: `pasisync` followed by the district number.
        /// - Parameter districtNumber: The district's number in the SIS.
        public static func defaultLocalID(districtNumber: Int) -> String {
            "pasisync\(districtNumber)"
        }
    }

    /// This call's id: a new GUID per call, ≤ 50 characters; the client logs them.
    public var clientMessageID: String
    /// The calling software.
    public var software: Software
    /// The calling user.
    public var user: User

    /// Creates caller information.
    /// - Parameters:
    ///   - clientMessageID: The call's id; a new random GUID unless given.
    ///   - software: The calling software; this one unless given.
    ///   - user: The calling user.
    /// - Throws: ``PASIModelError`` if the message id is too long or breaks the string rule.
    public init(clientMessageID: String = RefId.random().value, software: Software = .pasisync, user: User) throws(PASIModelError) {
        try Rule.required(clientMessageID, "CallerInfo.ClientMessageID", max: CallerInfoLimits.clientMessageID)
        self.clientMessageID = clientMessageID
        self.software = software
        self.user = user
    }
}

/// Decoding goes through the validating initializer.
extension CallerInfo.Software: Codable {
    /// Decodes and validates the software part.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(buildNumber: c.value(.buildNumber), manufacturer: c.value(.manufacturer), product: c.value(.product), version: c.value(.version))
    }
}

/// Decoding goes through the validating initializer.
extension CallerInfo.User: Codable {
    /// Decodes and validates the user part.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(ipAddress: c.value(.ipAddress), localID: c.value(.localID), name: c.value(.name), organizationCode: c.value(.organizationCode))
    }
}

/// Decoding goes through the validating initializer.
extension CallerInfo: Codable {
    /// Decodes and validates caller information.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(clientMessageID: c.value(.clientMessageID), software: c.value(.software), user: c.value(.user))
    }
}
