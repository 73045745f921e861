public import PASIModel

extension RecordType {
    /// Whether its Submit service takes a list of records and answers a `MultipleSubmitResponse`,
    /// each record judged on its own: `SubmitSection`
    /// (https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/833e01e8-38c2-06c6-b36f-f47ce120a55e.htm:
    /// "Each Section on the request will be processed individually, therefore some of the updates
    /// may be successful while others may fail"), `SubmitCourseEnrolment`
    /// (…/227c88e7-70b0-7a90-ee33-e6755dea4264.htm) and `SubmitEvaluatedMark`
    /// (…/81cd04a7-c258-26b3-548d-abe9f83db6e1.htm; business pages submit_section.html,
    /// submit_evaluated_mark.html). The other kinds are submitted one record at a time
    /// (``SubmitRequest``, answered by a ``SubmitResponse``).
    public var submitsInLists: Bool {
        switch self {
        case .section, .courseEnrolment, .evaluatedMark: true
        default: false
        }
    }
}

/// One record of a list submit: what is to be done with it, on which version.
public struct SubmitItem<Record: PASIRecord>: Codable, Sendable, Hashable {
    public var action: SubmitAction
    /// The record's id (its RefId).
    public var id: String
    /// The version the change is based on: 0 to create, else the current version.
    public var pasiCoreVersion: Int64
    /// The record, for ``SubmitAction/save``.
    public var record: Record?

    public init(action: SubmitAction, id: String, pasiCoreVersion: Int64, record: Record?) {
        (self.action, self.id, self.pasiCoreVersion, self.record) = (action, id, pasiCoreVersion, record)
    }

    /// A save of `record` on its own version (0: create).
    public init(saving record: Record) {
        self.init(action: .save, id: record.recordID, pasiCoreVersion: record.pasiCoreVersion, record: record)
    }

    enum CodingKeys: String, CodingKey {
        case action, id = "refId", pasiCoreVersion, record
    }
}

/// A list submit's request (`SubmitSection`, `SubmitCourseEnrolment`, `SubmitEvaluatedMark`):
/// "a single record or a list of SectionInfo data contract" (the technical pages). The pages do
/// not show the request's members beyond `CallerInfo`: the list's element (`Item`, repeated) and
/// each item's `Action`/`RefId`/`PASICoreVersion`/`Record` are this project's
/// (`docs/pasi-protocol.md`).
public struct MultipleSubmitRequest<Record: PASIRecord>: Codable, Sendable {
    public var callerInfo: CallerInfoElement
    /// The records, judged one by one in this order.
    public var item: [SubmitItem<Record>]

    public init(callerInfo: CallerInfoElement, item: [SubmitItem<Record>]) { (self.callerInfo, self.item) = (callerInfo, item) }
}

/// A list submit's answer: "a SubmitResponse for each [record] that is submitted" (the technical
/// pages of the list submits), here in the order of the request, one per item (the order is this
/// project's choice; the pages are silent).
public struct MultipleSubmitResponse: Codable, Sendable, Hashable {
    /// One answer per record, repeated `SubmitResponse` elements.
    public var submitResponse: [SubmitResponse]

    public init(submitResponse: [SubmitResponse]) { self.submitResponse = submitResponse }
}
