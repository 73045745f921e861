public import PASIModel

/// A Get service's request: records by id, each with the version the client expects
/// (0 = whatever is current).
public struct GetRecordsRequest: Codable, Sendable {
    /// One record asked for.
    public struct Key: Codable, Sendable, Hashable {
        /// The record's id (RefId, ASN digits, school code, course code).
        public var id: String
        /// 0 for the current record; otherwise the version wanted: a mismatch answers nothing.
        public var expectedVersion: Int64

        public init(_ id: String, expectedVersion: Int64 = 0) { (self.id, self.expectedVersion) = (id, expectedVersion) }
    }

    public var callerInfo: CallerInfoElement
    /// The records asked for (repeated `Key` elements).
    public var key: [Key]

    public init(callerInfo: CallerInfoElement, key: [Key]) { (self.callerInfo, self.key) = (callerInfo, key) }
}

/// Whether PASI may show a record to the caller.
public enum AvailabilityStatus: String, Codable, Sendable, Hashable {
    case unknown = "Unknown"
    case noAccess = "No Access"
    case normal = "Normal"
}

/// One record of a Get service's answer.
public struct RetrievedRecord<Record: PASIRecord>: Codable, Sendable, Hashable {
    /// The id asked for.
    public var id: String
    /// Whether the record exists and may be shown.
    public var availabilityStatus: AvailabilityStatus
    /// The record's current version (0 when unknown).
    public var pasiCoreVersion: Int64
    /// Whether the record is logically deleted.
    public var isDeleted: Bool
    /// The record; absent when unknown, not accessible, or not at the expected version.
    public var record: Record?

    public init(id: String, availabilityStatus: AvailabilityStatus, pasiCoreVersion: Int64, isDeleted: Bool = false, record: Record?) {
        self.id = id
        self.availabilityStatus = availabilityStatus
        self.pasiCoreVersion = pasiCoreVersion
        self.isDeleted = isDeleted
        self.record = record
    }
}

/// A Get service's answer, one item per key in the order asked.
public struct GetRecordsResponse<Record: PASIRecord>: Codable, Sendable {
    public var item: [RetrievedRecord<Record>]
    public init(item: [RetrievedRecord<Record>]) { self.item = item }
}

/// What a submit asks PASI to do.
public enum SubmitAction: String, Codable, Sendable, Hashable {
    /// Create (version 0) or update (the current version).
    case save = "Save"
    /// Logically delete (the current version).
    case delete = "Delete"
    /// Bring a logically deleted record back (its current version, or 0).
    case undelete = "Undelete"
}

/// A Submit service's request.
public struct SubmitRequest<Record: PASIRecord>: Codable, Sendable {
    public var callerInfo: CallerInfoElement
    public var action: SubmitAction
    /// The record's id.
    public var id: String
    /// The version the change is based on: 0 to create, else the current version.
    public var pasiCoreVersion: Int64
    /// The record, for ``SubmitAction/save``.
    public var record: Record?

    public init(callerInfo: CallerInfoElement, action: SubmitAction, id: String, pasiCoreVersion: Int64, record: Record?) {
        self.callerInfo = callerInfo
        self.action = action
        self.id = id
        self.pasiCoreVersion = pasiCoreVersion
        self.record = record
    }
}

/// One business rule that refused a submit.
public struct Rejection: Codable, Sendable, Hashable, CustomStringConvertible {
    public var code: Int
    public var message: String
    public init(code: Int, message: String) { (self.code, self.message) = (code, message) }
    public var description: String { "\(code): \(message)" }
}

/// A Submit service's answer: `{RefId, PASICoreVersion, rejections[]}`.
public struct SubmitResponse: Codable, Sendable, Hashable {
    /// The record's id.
    public var id: String
    /// The record's version after the submit (unchanged when rejected).
    public var pasiCoreVersion: Int64
    /// Why it was refused; empty when accepted.
    public var rejection: [Rejection]

    public init(id: String, pasiCoreVersion: Int64, rejection: [Rejection] = []) {
        self.id = id
        self.pasiCoreVersion = pasiCoreVersion
        self.rejection = rejection
    }
}
