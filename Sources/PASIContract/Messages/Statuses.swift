public import PASIModel

/// A status Get (`GetStudentStatus`, `GetStudentSchoolEnrolmentStatus`, …): the validation
/// status (core alerts) of records. Each item is `StatusRefIdVersionInfo` of the data contract
/// (https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/7eab68ce-5234-65d1-ce72-4b8e60193595.htm):
/// `RefId`, `ExpectedVersion` of the status, and `KnownSourceVersion` of the record the status is
/// about (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/known_source_version.html).
public struct GetStatusesRequest: Codable, Sendable {
    /// One status asked for.
    public struct Key: Codable, Sendable, Hashable {
        /// The record's id (`RefId`).
        public var id: String
        /// The status version expected: 0 for the current one; a mismatch stops the answer there,
        /// as a record Get does.
        public var expectedVersion: Int64
        /// The version of the source record the client holds; when PASI's is newer, the source
        /// record comes back with the status. `nil` (no element): the source record never comes back.
        public var knownSourceVersion: Int64?

        public init(_ id: String, expectedVersion: Int64 = 0, knownSourceVersion: Int64? = nil) {
            (self.id, self.expectedVersion, self.knownSourceVersion) = (id, expectedVersion, knownSourceVersion)
        }

        enum CodingKeys: String, CodingKey {
            case id = "refId", expectedVersion, knownSourceVersion
        }

        /// Both versions are optional on the pages (get_student_status.html: "Optionally, … the
        /// client can supply an Expected Version … Known Source Version"): an absent
        /// `ExpectedVersion` reads as 0.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            expectedVersion = try container.decodeIfPresent(Int64.self, forKey: .expectedVersion) ?? 0
            knownSourceVersion = try container.decodeIfPresent(Int64.self, forKey: .knownSourceVersion)
        }
    }

    public var callerInfo: CallerInfoElement
    public var key: [Key]
    public init(callerInfo: CallerInfoElement, key: [Key]) { (self.callerInfo, self.key) = (callerInfo, key) }
}

/// An alert argument as it travels (keys are free text, so not element names).
public struct AlertArgument: Codable, Sendable, Hashable {
    public var key: String
    public var value: String
    public init(key: String, value: String) { (self.key, self.value) = (key, value) }
}

/// An acknowledgement status on the wire: PASI's code value ("InProgress", ``AcknowledgementStatus/codeValue``),
/// not the words people read ("In Progress"). Another value is a document that does not match the contract.
struct AcknowledgementCode: Codable, Hashable {
    let status: AcknowledgementStatus

    init(_ status: AcknowledgementStatus) { self.status = status }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let status = AcknowledgementStatus(codeValue: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(text) is not an acknowledgement status code value")
        }
        self.status = status
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(status.codeValue)
    }
}

/// A core alert on a record's validation status.
public struct StatusAlert: Codable, Sendable, Hashable {
    public var alertCode: String
    public var severity: CoreAlertSeverity
    public var message: String?
    /// Written as PASI's code value (`InProgress`: ``AcknowledgementStatus/codeValue``).
    public var acknowledgementStatus: AcknowledgementStatus
    public var argument: [AlertArgument]

    enum CodingKeys: String, CodingKey {
        case alertCode, severity, message, acknowledgementStatus, argument
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        alertCode = try c.decode(String.self, forKey: .alertCode)
        severity = try c.decode(CoreAlertSeverity.self, forKey: .severity)
        message = try c.decodeIfPresent(String.self, forKey: .message)
        acknowledgementStatus = try c.decode(AcknowledgementCode.self, forKey: .acknowledgementStatus).status
        argument = try c.decodeIfPresent([AlertArgument].self, forKey: .argument) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(alertCode, forKey: .alertCode)
        try c.encode(severity, forKey: .severity)
        try c.encodeIfPresent(message, forKey: .message)
        try c.encode(AcknowledgementCode(acknowledgementStatus), forKey: .acknowledgementStatus)
        try c.encode(argument, forKey: .argument)
    }

    public init(alertCode: String, severity: CoreAlertSeverity, message: String? = nil, acknowledgementStatus: AcknowledgementStatus = .unacknowledged, arguments: AlertArguments = AlertArguments()) {
        self.alertCode = alertCode
        self.severity = severity
        self.message = message
        self.acknowledgementStatus = acknowledgementStatus
        argument = arguments.sorted.map { AlertArgument(key: $0.key, value: $0.value) }
    }

    /// The arguments as a set, for matching.
    public var arguments: AlertArguments {
        AlertArguments(Dictionary(argument.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first }))
    }
}

/// One record's validation status.
public struct RecordStatus: Codable, Sendable, Hashable {
    /// The record's id (`RefId`).
    public var id: String
    /// Unknown, No Access or Normal, as for the record itself.
    public var availabilityStatus: AvailabilityStatus
    /// The status's own version (its `PASICoreVersion`, what the status feed announces); 0 when
    /// PASI holds no status for the record.
    public var pasiCoreVersion: Int64
    /// Its core alerts.
    public var alert: [StatusAlert]

    public init(id: String, availabilityStatus: AvailabilityStatus = .normal, pasiCoreVersion: Int64, alert: [StatusAlert]) {
        self.id = id
        self.availabilityStatus = availabilityStatus
        self.pasiCoreVersion = pasiCoreVersion
        self.alert = alert
    }

    enum CodingKeys: String, CodingKey {
        case id = "refId", availabilityStatus, pasiCoreVersion, alert
    }
}

/// One item of a status Get's answer: the status, and the source record when PASI's is newer than
/// the `KnownSourceVersion` asked with (get_student_school_enrolment_status.html: "the updated
/// Student School Enrolment record will also be included in the response"). The nesting
/// (`Status`, `SourceRecord`) is this project's choice; the pages do not show the shape.
public struct RetrievedStatus<Record: PASIRecord>: Codable, Sendable, Hashable {
    public var status: RecordStatus
    /// The source record as a Get answers it, present only when newer than the known version.
    public var sourceRecord: RetrievedRecord<Record>?

    public init(status: RecordStatus, sourceRecord: RetrievedRecord<Record>? = nil) {
        self.status = status
        self.sourceRecord = sourceRecord
    }
}

/// A status Get's answer: one item per key processed, in the order asked.
public struct GetStatusesResponse<Record: PASIRecord>: Codable, Sendable {
    public var item: [RetrievedStatus<Record>]
    public init(item: [RetrievedStatus<Record>]) { self.item = item }
}

extension RecordType {
    /// Its status acknowledgement service: one per type, `Submit<Type>StatusAcknowledgement`
    /// (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/submit_student_status_acknowledgement.html,
    /// submit_evaluated_mark_status_acknowledgement.html, submit_classroom_accommodation_status_acknowledgement.html;
    /// technical page of `SubmitStudentSchoolEnrolmentStatusAcknowledgement`:
    /// https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/e44bcfbe-e823-4a8f-36c6-29ba8bf97264.htm).
    public var acknowledgeStatusOperation: String { "Submit\(rawValue)StatusAcknowledgement" }
}

/// A status acknowledgement (`SubmitStudentStatusAcknowledgement`,
/// `SubmitStudentSchoolEnrolmentStatusAcknowledgement`, …: ``RecordType/acknowledgeStatusOperation``):
/// a person's acknowledgement of one core alert, "specifying the … ReferenceId, AlertCode, Status,
/// and Arguments" and matched on record + alert code + argument set (key order does not matter).
/// The record's type is the service's; the members' element names (`RefId`, `AlertCode`, `Status`,
/// `Argument{Key, Value}`) are this project's reading of that sentence. Only Alberta Education may
/// submit `Overridden` (the service pages' note; rule 12003, rule_12003.html, for an Overridden alert).
public struct AcknowledgeStatusRequest: Codable, Sendable {
    public var callerInfo: CallerInfoElement
    /// The record's id (`RefId`; a student's ASN digits).
    public var id: String
    public var alertCode: String
    public var argument: [AlertArgument]
    /// The acknowledgement status set (`Status`), written as PASI's code value (`InProgress`).
    public var acknowledgementStatus: AcknowledgementStatus

    public init(callerInfo: CallerInfoElement, id: String, alertCode: String, arguments: AlertArguments, status: AcknowledgementStatus) {
        self.callerInfo = callerInfo
        self.id = id
        self.alertCode = alertCode
        argument = arguments.sorted.map { AlertArgument(key: $0.key, value: $0.value) }
        acknowledgementStatus = status
    }

    /// The arguments as a set.
    public var arguments: AlertArguments {
        AlertArguments(Dictionary(argument.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first }))
    }

    enum CodingKeys: String, CodingKey {
        case callerInfo, id = "refId", alertCode, argument, acknowledgementStatus = "status"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        callerInfo = try c.decode(CallerInfoElement.self, forKey: .callerInfo)
        id = try c.decode(String.self, forKey: .id)
        alertCode = try c.decode(String.self, forKey: .alertCode)
        argument = try c.decodeIfPresent([AlertArgument].self, forKey: .argument) ?? []
        acknowledgementStatus = try c.decode(AcknowledgementCode.self, forKey: .acknowledgementStatus).status
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(callerInfo, forKey: .callerInfo)
        try c.encode(id, forKey: .id)
        try c.encode(alertCode, forKey: .alertCode)
        try c.encode(argument, forKey: .argument)
        try c.encode(AcknowledgementCode(acknowledgementStatus), forKey: .acknowledgementStatus)
    }
}
