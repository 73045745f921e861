internal import PASIModel

/// Turns stored text back into PASIModel values, naming the table and key in the error when a
/// stored value breaks a rule (the database's CHECKs make that rare, not impossible: a row
/// written by psql before a rule tightened).
struct RowReader {
    /// The table read, e.g. `sis.students`.
    let table: String
    /// The row's key as text.
    let key: String

    /// Runs a validating initializer, rethrowing its error as ``SyncStoreError/Code-swift.struct/unreadableRow``.
    func read<T>(_ make: () throws(PASIModelError) -> T) throws -> T {
        do {
            return try make()
        } catch {
            throw SyncStoreError(.unreadableRow, "\(table) \(key) holds a value this binary refuses: \(error)")
        }
    }

    func date(_ text: String?) throws -> PASIDate? {
        guard let text else { return nil }
        return try read { () throws(PASIModelError) in try PASIDate(text) }
    }

    func asn(_ text: String?) throws -> ASN? {
        guard let text else { return nil }
        return try read { () throws(PASIModelError) in try ASN(text, checkDigit: .ignored) }
    }

    func enumValue<E: RawRepresentable>(_ raw: String?, as type: E.Type) throws -> E? where E.RawValue == String {
        guard let raw else { return nil }
        guard let value = E(rawValue: raw) else {
            throw SyncStoreError(.unreadableRow, "\(table) \(key) holds an unknown \(E.self) \(raw)")
        }
        return value
    }

    func required<T>(_ value: T?, _ column: String) throws -> T {
        guard let value else { throw SyncStoreError(.unreadableRow, "\(table) \(key) has no \(column)") }
        return value
    }
}
