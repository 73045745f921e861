import DistrictSynthesis
import SyncStore

/// The seed command's side of a load: the synthetic district's tables (``DistrictGenerator``,
/// mapped to the SQL columns by `DistrictSynthesis/SQL`) handed to the repository's
/// ``DistrictLoader``, which takes plain rows and knows nothing of the generator.
extension DistrictLoader {
    /// Replaces the SIS district and the local PASI store with the generated district of
    /// `students` and `seed`.
    /// - Returns: What the load wrote and emptied, and the discrepancies the generator planted.
    func load(
        students: Int, seed: UInt64, sisOnly: Bool, replacingRealData: Bool
    ) async throws -> (summary: DistrictLoadSummary, report: DiscrepancyReport) {
        let generator = DistrictGenerator(students: students, seed: seed)
        let rows = try generator.sqlTables().map { DistrictRows(table: $0.qualifiedName, columns: $0.columns, lines: $0.lines) }
        let summary = try await load(
            rows, source: "synthetic district: \(students) students, seed \(seed)", sisOnly: sisOnly, replacingRealData: replacingRealData)
        return (summary, generator.discrepancyReport)
    }
}
