import PASIModel

/// Whether a district load (`pasisync seed`) may empty the tables it replaces: the decision, apart
/// from the database (``DistrictLoader`` gathers the facts in the load's own transaction).
///
/// A load empties every `sis.*` and `pasi.*` table. It may do so only where everything there is
/// what an earlier load wrote: a database that has had Regular Synchronization on even once holds
/// a SIS's and PASI's data; a database no load ever wrote that holds rows holds someone else's; and
/// a `sis.*` table whose row count is not what the last load wrote has been changed by a person or
/// a SIS since. Only `sis.*` counts are compared with the last load: the local PASI store and the
/// matches legitimately fill after a `--sis-only` load (Getting Ready).
public enum DistrictReplacement: Sendable, Hashable {
    /// Nothing found that a load did not write.
    case allowed
    /// Data a load did not write, and why the load takes it to be real.
    case refused(DistrictReplacementRefusal)

    /// The decision.
    /// - Parameters:
    ///   - rows: Today's row count of every table the load empties, schema-qualified, in load order.
    ///   - lastLoad: The `sis.*` row counts the last load recorded (a table it did not mention: 0);
    ///     nil when no load ever wrote this database.
    ///   - regularSynchronizationWasOn: Whether Regular Synchronization has ever been switched on.
    public static func decide(
        rows: [LoadedTable], lastLoad: [String: Int]?, regularSynchronizationWasOn: Bool
    ) -> DistrictReplacement {
        if regularSynchronizationWasOn { return .refused(.regularSynchronizationWasOn) }
        guard let lastLoad else {
            if let table = rows.first(where: { $0.rows > 0 }) {
                return .refused(.notSeeded(table: table.name, rows: table.rows))
            }
            return .allowed
        }
        for table in rows where table.name.hasPrefix("sis.") {
            let seeded = lastLoad[table.name] ?? 0
            if table.rows != seeded { return .refused(.changed(table: table.name, rows: table.rows, seeded: seeded)) }
        }
        return .allowed
    }
}

/// Why ``DistrictReplacement`` refuses: it names a table and counts, never a row's content.
public enum DistrictReplacementRefusal: Sendable, Hashable, CustomStringConvertible {
    /// Regular Synchronization has been switched on in this database at least once.
    case regularSynchronizationWasOn
    /// No load ever wrote this database, and `table` holds rows.
    case notSeeded(table: String, rows: Int)
    /// `table` holds `rows` rows where the last load wrote `seeded`.
    case changed(table: String, rows: Int, seeded: Int)

    /// The reason, in a sentence's middle, e.g. "sis.students holds 1,204 rows that `pasisync
    /// seed` did not write (the last seed wrote 1,000)".
    public var description: String {
        switch self {
        case .regularSynchronizationWasOn:
            return "Regular Synchronization has been switched on in this database "
                + "(sync.regular_synchronization_switched_on), so its sis.* is a SIS's and its pasi.* is PASI's"
        case .notSeeded(let table, let rows):
            return "\(table) holds \(rows.grouped) \(rows == 1 ? "row" : "rows") and no `pasisync seed` ever wrote this database"
        case .changed(let table, let rows, let seeded) where rows > seeded:
            return "\(table) holds \(rows.grouped) rows that `pasisync seed` did not write (the last seed wrote \(seeded.grouped))"
        case .changed(let table, let rows, let seeded):
            return "\(table) holds \(rows.grouped) \(rows == 1 ? "row" : "rows"), not the \(seeded.grouped) the last `pasisync seed` wrote: "
                + "a person or a SIS has changed it since"
        }
    }
}

/// A district load refused before it emptied anything (see ``DistrictReplacement``).
public struct DistrictLoadRefused: Error, Sendable, CustomStringConvertible {
    /// Why.
    public let reason: DistrictReplacementRefusal

    /// The refusal, without the way out (the caller knows its own override).
    public var description: String {
        "refused: \(reason); a district load empties every sis.* and pasi.* table"
    }
}
