/// The student half of the Records Matching Criteria over one batch: who is matched to
/// whom, and on what basis. Pure; the conflicts are built from its outcome elsewhere.
struct StudentMatcher {
    /// What became of one SIS student.
    enum Outcome: Hashable {
        /// Matched with a PASI student.
        case matched(Student, MatchQuality, InitialSyncComparison.MatchBasis)
        /// Not matched; the PASI candidates a person should look at (ambiguous High ones and
        /// Medium ones), best first, possibly none.
        case unmatched(candidates: [Candidate])
    }

    /// A PASI student a demographic lookup graded.
    struct Candidate: Hashable {
        let asn: ASN
        let quality: MatchQuality
    }

    /// The PASI students, by ASN (the first of two with one ASN wins).
    let pasi: [ASN: Student]
    /// The PASI students in the order given, for stable lookups.
    let pasiInOrder: [Student]
    /// Earlier matches: SIS student id → ASN.
    let existing: [Int: ASN]

    init(pasi: [Student], existing: [Int: ASN]) {
        var byASN: [ASN: Student] = [:]
        for student in pasi where byASN[student.asn] == nil { byASN[student.asn] = student }
        self.pasi = byASN
        pasiInOrder = pasi
        self.existing = existing
    }

    /// The outcome for every SIS student of the batch, by SIS id: first earlier matches,
    /// then ASN matches, then the demographic lookup among PASI students matched to nobody.
    func match(_ students: [SISStudent]) -> [Int: Outcome] {
        var outcomes: [Int: Outcome] = [:]
        // An ASN held by an earlier match belongs to that SIS student, in this batch or not.
        var claimed: [ASN: Int] = [:]
        for (id, asn) in existing { claimed[asn] = id }
        for student in students {
            guard let asn = existing[student.id] else { continue }
            if let record = pasi[asn] {
                outcomes[student.id] = .matched(record, StudentGrading.asnMatch(student, record), .existing)
            } else {
                claimed[asn] = nil  // PASI no longer gave the record: the match no longer binds
            }
        }
        for student in students where outcomes[student.id] == nil {
            guard let asn = student.asn, let record = pasi[asn], claimed[asn] == nil else { continue }
            claimed[asn] = student.id
            outcomes[student.id] = .matched(record, StudentGrading.asnMatch(student, record), .asn)
        }
        let remaining = students.filter { outcomes[$0.id] == nil }
        for (id, outcome) in lookUp(remaining, excluding: Set(claimed.keys)) { outcomes[id] = outcome }
        return outcomes
    }

    /// The demographic lookup: a student is matched with their one High candidate when no
    /// other student of the batch has that candidate as a High one too; otherwise they stay
    /// unmatched with their High and Medium candidates named.
    func lookUp(_ students: [SISStudent], excluding claimed: Set<ASN>) -> [Int: Outcome] {
        guard !students.isEmpty else { return [:] }
        var byLastName: [String: [Student]] = [:]
        for record in pasiInOrder where !claimed.contains(record.asn) && pasi[record.asn] == record {
            byLastName[StudentGrading.lookupKey(record), default: []].append(record)
        }
        var candidates: [Int: [Candidate]] = [:]
        var highFor: [ASN: Int] = [:]
        for student in students {
            let key = StudentGrading.lookupKey(student)
            let found = key.isEmpty ? [] : (byLastName[key] ?? []).compactMap { record -> Candidate? in
                guard let quality = StudentGrading.demographicCandidate(student, record), quality != .low else { return nil }
                return Candidate(asn: record.asn, quality: quality)
            }
            candidates[student.id] = found.sorted { ($0.quality, $0.asn) < ($1.quality, $1.asn) }
            for candidate in found where candidate.quality == .high { highFor[candidate.asn, default: 0] += 1 }
        }
        var outcomes: [Int: Outcome] = [:]
        for student in students {
            let found = candidates[student.id] ?? []
            let highs = found.filter { $0.quality == .high }
            if highs.count == 1, highFor[highs[0].asn] == 1, let record = pasi[highs[0].asn] {
                outcomes[student.id] = .matched(record, .high, .demographics)
            } else {
                outcomes[student.id] = .unmatched(candidates: found)
            }
        }
        return outcomes
    }
}
