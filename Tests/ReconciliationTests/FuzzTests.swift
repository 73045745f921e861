import Foundation
import Testing
@testable import Reconciliation

/// A small seeded generator, so a failing case can be replayed from its seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite(.timeLimit(.minutes(2))) struct FuzzTests {
    static let pieces = ["a", "Z", "7", " ", ",", "\"", "\"\"", "\n", "\r\n", "é", "→", "x y", "2025-09-02", "012345678", "<", "&"]

    static func value(_ rng: inout SplitMix64, xml: Bool) -> String {
        let count = Int.random(in: 0...4, using: &rng)
        return (0..<count).map { _ in
            var piece = pieces.randomElement(using: &rng)!
            if xml && piece == "\r\n" { piece = "\n" } // XML turns CRLF into LF by definition
            return piece
        }.joined()
    }

    static func table(_ rng: inout SplitMix64, xml: Bool) -> Table {
        let columns = Int.random(in: 2...6, using: &rng)
        let header = (0..<columns).map { "Column \($0)" }
        let rows = (0..<Int.random(in: 0...8, using: &rng)).map { _ in
            // A first value that is never empty: a row of empty values only is not a record.
            ["r" + value(&rng, xml: xml)] + (1..<columns).map { _ in value(&rng, xml: xml) }
        }
        return Table(header: header, rows: rows)
    }

    static func read(_ path: String) throws -> [[String]] {
        let file = try ExportFile(path: path)
        var scanner = file.makeScanner()
        var rows: [[String]] = []
        while try scanner.nextRow() { rows.append(scanner.fields.indices.map { scanner.string($0) }) }
        return [file.header] + rows
    }

    /// Property: any table written as CSV, in either quoting style and line end, reads back the same.
    @Test func csvRoundTripsGeneratedTables() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        for seed in UInt64(1)...400 {
            var rng = SplitMix64(state: seed)
            let table = Self.table(&rng, xml: false)
            let path = scratch.write("t.csv", table.csv(quoteAll: Bool.random(using: &rng), crlf: Bool.random(using: &rng), bom: Bool.random(using: &rng)))
            let read = try Self.read(path)
            #expect(read == [table.header] + table.rows, "seed \(seed)")
        }
    }

    /// Property: any table written as SpreadsheetML (empty cells left out, ss:Index after them)
    /// reads back the same.
    @Test func spreadsheetMLRoundTripsGeneratedTables() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        for seed in UInt64(1)...300 {
            var rng = SplitMix64(state: seed)
            let table = Self.table(&rng, xml: true)
            let path = scratch.write("t.xml", table.spreadsheetML())
            let read = try Self.read(path)
            #expect(read == [table.header] + table.rows, "seed \(seed)")
        }
    }

    static func mutate(_ bytes: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var bytes = bytes
        let specials: [UInt8] = [0x22, 0x2C, 0x0A, 0x0D, 0x00, 0xC3, 0xFF, 0x3C, 0x3E, 0x2F, 0x26, 0x20, 0x80]
        for _ in 0..<Int.random(in: 1...6, using: &rng) {
            guard !bytes.isEmpty else { break }
            let at = Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<5, using: &rng) {
            case 0: bytes[at] = specials.randomElement(using: &rng)!
            case 1: bytes.insert(specials.randomElement(using: &rng)!, at: at)
            case 2: bytes.remove(at: at)
            case 3: bytes.removeSubrange(at...)
            default: bytes[at] = UInt8.random(in: 0...255, using: &rng)
            }
        }
        return bytes
    }

    /// Fuzz of both readers through the whole tool: mutated exports never crash or hang; each gives
    /// either a refusal or a result whose counts add up to the records of both files.
    @Test(arguments: [false, true])
    func mutatedExportsGiveARefusalOrAConsistentResult(xml: Bool) throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let base = Table(header: CM.header, rows: [
            CM.row(), CM.row(term: "2", value: "91"), CM.row(asn: "123456782", code: "MAT1791", exit: ""),
            CM.row(asn: "234567893", name: "Line\nbreak, \"quoted\""),
        ])
        let original = Array((xml ? base.spreadsheetML() : base.csv()).utf8)
        let ext = xml ? "xml" : "csv"
        let after = scratch.write("2026-1234-CM-AfterUpload.\(ext)", bytes: original)
        var refused = 0, reconciled = 0
        for seed in UInt64(1)...500 {
            var rng = SplitMix64(state: seed)
            let before = scratch.write("2026-1234-CM-BeforeDelete.\(ext)", bytes: Self.mutate(original, &rng))
            let out = scratch.path("r.csv")
            let report = Reconciliation.validate(path: before, type: .courseMarks)
            do {
                let summary = try Reconciliation.reconcile(type: .courseMarks, before: before, after: after, output: out, allowSavedAgain: true)
                reconciled += 1
                let c = summary.counts
                #expect(c[.perfectlyMatched]! + c[.matchedWithDataDifferences]! + c[.missingFromPASI]! == summary.reports[0].records, "seed \(seed)")
                #expect(c[.perfectlyMatched]! + c[.matchedWithDataDifferences]! + c[.addedNewToPASI]! == summary.reports[1].records, "seed \(seed)")
                #expect(report.findings.allSatisfy { $0.severity != .error }, "seed \(seed): validate found an error that reconcile did not")
                #expect(try ResultFile(path: out).rows.count == summary.counts.values.reduce(0, +), "seed \(seed)")
            } catch let error as ReconciliationError {
                refused += 1
                #expect(!error.description.isEmpty)
                #expect(!FileManager.default.fileExists(atPath: out), "seed \(seed): a refusal left a result")
                if error.code == .malformed {
                    #expect(error.line != nil && error.column != nil, "seed \(seed)")
                    #expect(!report.passes, "seed \(seed): validate passed a file reconcile found malformed")
                }
            }
            try? FileManager.default.removeItem(atPath: out)
        }
        // Both outcomes occur, so the mutations reach both paths.
        #expect(refused > 0 && reconciled > 0)
    }
}
