import DistrictSynthesis
import SyncStore

/// The seed command's side of a load: the synthetic district's tables (``DistrictGenerator``,
/// mapped to the SQL columns by `DistrictSynthesis/SQL`) handed to the repository's
/// ``DistrictLoader``, which takes plain rows and knows nothing of the generator.
extension DistrictLoader {
    /// Replaces the SIS district and the local PASI store with the generated district of
    /// `students` and `seed`.
    /// - Returns: Rows per table, in load order, and the discrepancies the generator planted.
    func load(students: Int, seed: UInt64, sisOnly: Bool) async throws -> (tables: [LoadedTable], report: DiscrepancyReport) {
        let generator = DistrictGenerator(students: students, seed: seed)
        let rows = try generator.sqlTables().map { DistrictRows(table: $0.qualifiedName, columns: $0.columns, lines: $0.lines) }
        return (try await load(rows, sisOnly: sisOnly), generator.discrepancyReport)
    }
}
