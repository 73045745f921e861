/// One SIS record's pending changes, folded from its data events (`sync.data_events`): what
/// regular synchronization sends as one submit of the record's latest state. Several changes to a
/// record in a burst are one `RecordChange`, so PASI gets one submit, not one per keystroke.
public struct RecordChange: Sendable, Hashable {
    /// The SIS table, schema-qualified (`sis.students`).
    public let table: String
    /// The row's key as text.
    public let key: String
    /// The events folded in, in order.
    public private(set) var eventIDs: [Int64]
    /// Every column any of the events changed (an insert names every column it filled).
    public private(set) var changedColumns: Set<String>
    /// Whether the row was inserted by one of the events (then PASI may not know it yet).
    public private(set) var wasInserted: Bool
    /// Whether the row's last event deleted it.
    public private(set) var isDeleted: Bool

    /// Where alerts about the record are kept: `table:key` (`sis.students:123`).
    public var subject: String { table + ":" + key }

    public init(table: String, key: String, eventIDs: [Int64] = [], changedColumns: Set<String> = [],
                wasInserted: Bool = false, isDeleted: Bool = false) {
        self.table = table
        self.key = key
        self.eventIDs = eventIDs
        self.changedColumns = changedColumns
        self.wasInserted = wasInserted
        self.isDeleted = isDeleted
    }

    /// Adds one event (`operation` I, U or D), which must come after those already folded in.
    public mutating func add(eventID: Int64, operation: Character, columns: [String]) {
        eventIDs.append(eventID)
        changedColumns.formUnion(columns)
        switch operation {
        case "I": wasInserted = true; isDeleted = false
        case "D": isDeleted = true
        default: isDeleted = false
        }
    }

    /// Folds events, given in id order, into one change per record, in the order of each record's
    /// first event (so a record changed first is sent first).
    public static func fold(_ events: [(id: Int64, table: String, key: String, operation: Character, columns: [String])]) -> [RecordChange] {
        var order: [String] = []
        var changes: [String: RecordChange] = [:]
        for event in events {
            let subject = event.table + ":" + event.key
            if changes[subject] == nil {
                order.append(subject)
                changes[subject] = RecordChange(table: event.table, key: event.key)
            }
            changes[subject]?.add(eventID: event.id, operation: event.operation, columns: event.columns)
        }
        return order.compactMap { changes[$0] }
    }
}
