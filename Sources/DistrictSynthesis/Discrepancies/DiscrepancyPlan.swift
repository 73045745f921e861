/// Which students carry which planted discrepancy: exactly `perKind` students per
/// kind, all different, chosen by a seeded partial shuffle.
///
/// One byte per student (0 = none, else the kind's position + 1): 100,000 students
/// cost 100 kB, and a student's kind is a single array read while streaming.
struct DiscrepancyPlan: Sendable {
    private let kinds: [UInt8]
    /// The chosen student indices per kind, ascending.
    let indices: [DiscrepancyKind: [Int]]

    init(students: Int, perKind: Int, seed: UInt64) {
        let all = DiscrepancyKind.allCases
        precondition(perKind * all.count <= students, "too many discrepancies for \(students) students")
        var random = SplitMix64(seed: seed, stream: DistrictLayout.Stream.discrepancyPlan.rawValue, index: 0)
        var order = Array(0..<Int32(students))
        let chosen = perKind * all.count
        for i in 0..<chosen {
            order.swapAt(i, i + random.below(students - i))
        }
        var kinds = [UInt8](repeating: 0, count: students)
        var indices: [DiscrepancyKind: [Int]] = [:]
        for (position, kind) in all.enumerated() {
            let slice = order[(position * perKind)..<((position + 1) * perKind)].map { Int($0) }.sorted()
            for student in slice { kinds[student] = UInt8(position + 1) }
            indices[kind] = slice
        }
        self.kinds = kinds
        self.indices = indices
    }

    /// The kind planted on a student, if any.
    func kind(of student: Int) -> DiscrepancyKind? {
        let raw = kinds[student]
        return raw == 0 ? nil : DiscrepancyKind.allCases[Int(raw) - 1]
    }
}
