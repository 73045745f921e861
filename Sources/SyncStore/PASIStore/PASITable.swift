/// A table of the local PASI store as the repository writes it: its name, the SQL type of its
/// key and the columns a record fills, all fixed identifiers (the only text spliced into SQL).
struct PASITable: Sendable {
    /// Schema-qualified, e.g. `pasi.sections`.
    let name: String
    /// The SQL type of `ref_id`: `uuid`, `char(9)` (ASN), `char(4)` (school code) or `text`.
    let keyType: String
    /// `ref_id`, `pasi_core_version` and the other columns a record writes, with their SQL types
    /// (`fetched_at` is set by the store; `detail` is left alone unless listed).
    let columns: [(name: String, type: String)]
    /// The column holding PASI's school year, for the year-scoped notification types.
    let yearColumn: String?
}

/// A record of the local PASI store as one JSON object whose keys are the table's columns, the
/// shape `jsonb_to_recordset` reads and `to_jsonb` writes; each entity's row type converts to and
/// from its PASIModel value.
protocol PASIRow: Codable, Sendable {
    /// The table the row belongs to.
    static var table: PASITable { get }
    /// The key as text: a lowercase GUID, an ASN, a school or course code.
    var refId: String { get }
    /// PASI's version of the record.
    var pasiCoreVersion: Int64 { get }
}
