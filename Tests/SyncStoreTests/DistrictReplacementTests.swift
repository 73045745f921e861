import PASIModel
import SyncStore
import Testing

/// ``DistrictReplacement``: when a district load may empty the tables, apart from the database.
@Suite("District replacement: what seed may empty")
struct DistrictReplacementTests {
    static func rows(_ pairs: KeyValuePairs<String, Int>) -> [LoadedTable] {
        pairs.map { LoadedTable(name: $0.key, rows: $0.value) }
    }

    @Test("an empty database no load wrote: allowed")
    func emptyAllowed() {
        let decision = DistrictReplacement.decide(
            rows: Self.rows(["sis.schools": 0, "sis.students": 0, "pasi.students": 0]), lastLoad: nil, regularSynchronizationWasOn: false)
        #expect(decision == .allowed)
    }

    @Test("rows in a database no load wrote, in sis.* or pasi.*: refused, naming the first such table")
    func notSeededRefused() {
        let sis = DistrictReplacement.decide(
            rows: Self.rows(["sis.schools": 0, "sis.students": 1, "pasi.students": 5]), lastLoad: nil, regularSynchronizationWasOn: false)
        #expect(sis == .refused(.notSeeded(table: "sis.students", rows: 1)))
        let pasi = DistrictReplacement.decide(
            rows: Self.rows(["sis.students": 0, "pasi.students": 1_204]), lastLoad: nil, regularSynchronizationWasOn: false)
        #expect(pasi == .refused(.notSeeded(table: "pasi.students", rows: 1_204)))
    }

    @Test("sis.* as the last load wrote it: allowed, whatever pasi.* holds (Load Local Copy fills it after --sis-only)")
    func sameCountsAllowed() {
        let decision = DistrictReplacement.decide(
            rows: Self.rows(["sis.students": 1_000, "sis.student_record_documents": 0, "pasi.students": 990]),
            lastLoad: ["sis.students": 1_000], regularSynchronizationWasOn: false)
        #expect(decision == .allowed)
    }

    @Test("a sis.* count other than the last load's, more or fewer, or in a table it did not mention: refused")
    func changedRefused() {
        let last = ["sis.schools": 10, "sis.students": 1_000]
        #expect(DistrictReplacement.decide(rows: Self.rows(["sis.schools": 10, "sis.students": 1_204]), lastLoad: last, regularSynchronizationWasOn: false)
            == .refused(.changed(table: "sis.students", rows: 1_204, seeded: 1_000)))
        #expect(DistrictReplacement.decide(rows: Self.rows(["sis.schools": 9, "sis.students": 1_000]), lastLoad: last, regularSynchronizationWasOn: false)
            == .refused(.changed(table: "sis.schools", rows: 9, seeded: 10)))
        #expect(DistrictReplacement.decide(
            rows: Self.rows(["sis.schools": 10, "sis.students": 1_000, "sis.classroom_accommodations": 2]), lastLoad: last, regularSynchronizationWasOn: false)
            == .refused(.changed(table: "sis.classroom_accommodations", rows: 2, seeded: 0)))
    }

    @Test("Regular Synchronization ever on: refused, even where every count is the last load's")
    func regularSynchronizationRefused() {
        let decision = DistrictReplacement.decide(
            rows: Self.rows(["sis.students": 1_000]), lastLoad: ["sis.students": 1_000], regularSynchronizationWasOn: true)
        #expect(decision == .refused(.regularSynchronizationWasOn))
        #expect(DistrictReplacement.decide(rows: [], lastLoad: nil, regularSynchronizationWasOn: true) == .refused(.regularSynchronizationWasOn))
    }

    @Test("the reasons' words: the table and counts, grouped by thousands")
    func reasonWords() {
        #expect(DistrictReplacementRefusal.changed(table: "sis.students", rows: 1_204, seeded: 1_000).description
            == "sis.students holds 1,204 rows that `pasisync seed` did not write (the last seed wrote 1,000)")
        #expect(DistrictReplacementRefusal.changed(table: "sis.students", rows: 998, seeded: 1_000).description
            == "sis.students holds 998 rows, not the 1,000 the last `pasisync seed` wrote: a person or a SIS has changed it since")
        #expect(DistrictReplacementRefusal.notSeeded(table: "pasi.students", rows: 1).description
            == "pasi.students holds 1 row and no `pasisync seed` ever wrote this database")
        #expect(DistrictReplacementRefusal.regularSynchronizationWasOn.description.hasPrefix(
            "Regular Synchronization has been switched on in this database"))
        #expect([0, 999, 1_000, 12_345, 1_234_567].map(\.grouped) == ["0", "999", "1,000", "12,345", "1,234,567"])
    }
}
