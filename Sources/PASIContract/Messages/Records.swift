public import PASIModel

/// A Get service's request (`GetStudent`, `GetSection`, … see ``RecordType/getOperation``): a
/// list of records by id, each with the version the client expects. The pages
/// (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/get_section.html,
/// get_student_2020_endpoint.html) name the members Reference ID (`RefId`; a student's is its
/// ASN) and `ExpectedVersion`; the list's element name is this project's (`Key`).
public struct GetRecordsRequest: Codable, Sendable {
    /// One record asked for.
    public struct Key: Codable, Sendable, Hashable {
        /// The record's id (RefId, ASN digits, school code, course code), as `RefId`.
        public var id: String
        /// 0 for the current record; otherwise the version wanted. On a mismatch PASI returns
        /// neither this record nor any asked for after it (get_section.html).
        public var expectedVersion: Int64

        public init(_ id: String, expectedVersion: Int64 = 0) { (self.id, self.expectedVersion) = (id, expectedVersion) }

        enum CodingKeys: String, CodingKey {
            case id = "refId", expectedVersion
        }

        /// `ExpectedVersion` is optional on the pages ("When an Expected Version is provided"): absent reads as 0.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            expectedVersion = try container.decodeIfPresent(Int64.self, forKey: .expectedVersion) ?? 0
        }
    }

    public var callerInfo: CallerInfoElement
    /// The records asked for (repeated `Key` elements), processed in this order.
    public var key: [Key]
    /// GetStudentTranscriptDetail's `KnownSourceVersion`: only the transcript parts above it come
    /// back, 0 = all (``RecordType/getTakesKnownSourceVersion``); absent for the other Gets.
    public var knownSourceVersion: Int64?

    public init(callerInfo: CallerInfoElement, key: [Key], knownSourceVersion: Int64? = nil) {
        (self.callerInfo, self.key, self.knownSourceVersion) = (callerInfo, key, knownSourceVersion)
    }
}

/// Whether PASI may show a record to the caller: the Availability Status of every Get
/// (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/get_student_school_enrolment_2018.html:
/// Unknown "if the Reference ID provided is unknown in the PASI Core", No Access "if the PASI Client
/// does not have the required association to the student and did not create the record", Normal
/// "if the record has been returned"). Written as the data contract spells it (`NoAccess`).
/// No Access and Unknown are access outcomes, not deletions: a deleted record is Normal with `IsDeleted`.
public enum AvailabilityStatus: String, Codable, Sendable, Hashable {
    case unknown = "Unknown"
    case noAccess = "NoAccess"
    case normal = "Normal"
}

/// One record of a Get service's answer.
public struct RetrievedRecord<Record: PASIRecord>: Codable, Sendable, Hashable {
    /// The id asked for (`RefId`).
    public var id: String
    /// Whether the record exists and may be shown.
    public var availabilityStatus: AvailabilityStatus
    /// The record's current version (0 when unknown or not accessible).
    public var pasiCoreVersion: Int64
    /// Whether the record is logically deleted.
    public var isDeleted: Bool
    /// The record; absent when unknown, not accessible, or not at the expected version (the item
    /// PASI stopped at: see ``isStaleStop(expected:)``).
    public var record: Record?

    public init(id: String, availabilityStatus: AvailabilityStatus, pasiCoreVersion: Int64, isDeleted: Bool = false, record: Record?) {
        self.id = id
        self.availabilityStatus = availabilityStatus
        self.pasiCoreVersion = pasiCoreVersion
        self.isDeleted = isDeleted
        self.record = record
    }

    /// Whether this is the item PASI stopped at: asked at `expected` (not 0), PASI holds another
    /// version, so the record was not returned and no key after it was processed. The project's
    /// choice where get_section.html is silent on the shape: the stale key's item comes back
    /// Normal with PASI's current version and no record, and it is the answer's last item.
    public func isStaleStop(expected: Int64) -> Bool {
        expected != 0 && availabilityStatus == .normal && record == nil && pasiCoreVersion != expected
    }

    enum CodingKeys: String, CodingKey {
        case id = "refId", availabilityStatus, pasiCoreVersion, isDeleted, record
    }
}

/// A Get service's answer: one item per key processed, in the order asked; fewer items than keys
/// when PASI stopped at a version mismatch.
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
