/// A school as PASI describes it; synchronized one way, from PASI to the SIS.
public struct School: Sendable, Hashable {
    /// The four-digit school code.
    public var code: OrganizationNumber
    /// The school's name.
    public var name: String
    /// The four-digit number of the authority that runs the school.
    public var authorityCode: OrganizationNumber?
    /// PASI's version of this record.
    public var pasiCoreVersion: Int64

    /// Creates a school.
    /// - Throws: ``PASIModelError`` if the name breaks the PASI string rule or the version is negative.
    public init(code: OrganizationNumber, name: String, authorityCode: OrganizationNumber? = nil, pasiCoreVersion: Int64 = 0) throws(PASIModelError) {
        try Rule.required(name, "School.name")
        try Rule.version(pasiCoreVersion, "School.pasiCoreVersion")
        self.code = code
        self.name = name
        self.authorityCode = authorityCode
        self.pasiCoreVersion = pasiCoreVersion
    }

    /// The school's organization code, `S.NNNN`.
    public var organizationCode: OrganizationCode { OrganizationCode(kind: .school, number: code) }
}

/// A school authority (district, division); synchronized one way, from PASI to the SIS.
public struct SchoolAuthority: Sendable, Hashable {
    /// The four-digit authority number.
    public var code: OrganizationNumber
    /// The authority's name.
    public var name: String
    /// PASI's version of this record.
    public var pasiCoreVersion: Int64

    /// Creates a school authority.
    /// - Throws: ``PASIModelError`` if the name breaks the PASI string rule or the version is negative.
    public init(code: OrganizationNumber, name: String, pasiCoreVersion: Int64 = 0) throws(PASIModelError) {
        try Rule.required(name, "SchoolAuthority.name")
        try Rule.version(pasiCoreVersion, "SchoolAuthority.pasiCoreVersion")
        self.code = code
        self.name = name
        self.pasiCoreVersion = pasiCoreVersion
    }

    /// The authority's organization code, `A.NNNN`.
    public var organizationCode: OrganizationCode { OrganizationCode(kind: .authority, number: code) }
}

/// Decoding goes through the validating initializer.
extension School: Codable {
    /// Decodes and validates a school.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(code: c.value(.code), name: c.value(.name), authorityCode: c.optional(.authorityCode), pasiCoreVersion: c.value(.pasiCoreVersion))
    }
}

/// Decoding goes through the validating initializer.
extension SchoolAuthority: Codable {
    /// Decodes and validates a school authority.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(code: c.value(.code), name: c.value(.name), pasiCoreVersion: c.value(.pasiCoreVersion))
    }
}
