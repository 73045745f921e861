public import DistrictSynthesis
public import SyncStore

/// What a test's load of a synthetic district did: the rows per table and the discrepancies the
/// generator planted.
public struct DistrictLoad: Sendable {
    /// Every table loaded, in load order, with its row count.
    public let tables: [LoadedTable]
    /// The generator's account of the discrepancies it planted between the two sides.
    public let report: DiscrepancyReport
}

extension DistrictLoader {
    /// Replaces the SIS district and the local PASI store with `generator`'s, as `pasisync seed`
    /// does (its `Seed+District.swift` is the command's side of the same few lines).
    /// - Parameters:
    ///   - generator: The district to load.
    ///   - sisOnly: Load the SIS side only; the local PASI store is left empty.
    ///   - replacingRealData: Load even where the loader finds data no load wrote (a test that
    ///     does so on purpose says so).
    public func load(_ generator: DistrictGenerator, sisOnly: Bool = false, replacingRealData: Bool = false) async throws -> DistrictLoad {
        let rows = try generator.sqlTables().map { DistrictRows(table: $0.qualifiedName, columns: $0.columns, lines: $0.lines) }
        let summary = try await load(
            rows, source: "synthetic district: \(generator.studentCount) students, seed \(generator.seed)",
            sisOnly: sisOnly, replacingRealData: replacingRealData)
        return DistrictLoad(tables: summary.tables, report: generator.discrepancyReport)
    }

    /// Replaces the SIS district and the local PASI store with the generated district of `students`
    /// and `seed`.
    public func load(students: Int, seed: UInt64, sisOnly: Bool = false, replacingRealData: Bool = false) async throws -> DistrictLoad {
        try await load(DistrictGenerator(students: students, seed: seed), sisOnly: sisOnly, replacingRealData: replacingRealData)
    }
}
