public import PASIModel

/// The pure, deterministic generator of a synthetic school district: the SIS side and
/// the matching provincial (PASI) side, with a known set of planted discrepancies.
///
/// Every table is a lazy sequence that rebuilds each student from the student's own
/// random stream (seed, purpose, student index), so tables can be streamed in any order,
/// separately, without holding the district in memory; the same seed yields the same
/// rows byte for byte. The only per-student state kept is one byte saying which
/// discrepancy, if any, the student carries.
public struct DistrictGenerator: Sendable {
    /// Number of students (SIS side).
    public let studentCount: Int
    /// The seed every draw derives from.
    public let seed: UInt64
    /// The current school year; the two before it are the historical years.
    public let currentSchoolYear: SchoolYear
    /// How many students carry each discrepancy kind.
    public let discrepanciesPerKind: Int

    let layout: DistrictLayout
    let plan: DiscrepancyPlan
    /// Added to every PASICoreVersion so that districts of different seeds do not share
    /// version numbers.
    let versionBase: Int64
    /// Offset of the ASN bijection (see ``asnDigits(student:)``).
    let asnOffset: Int

    /// The registration type every synthetic enrolment carries (a PASI code value; the real list
    /// comes from `GetCodeValues`). None is deleted (created in error).
    static let registrationType = "Primary"

    /// Creates a generator; nothing is generated until a table is read.
    /// - Parameters:
    ///   - students: 1 … 2,000,000 students.
    ///   - seed: Any value; the same seed gives the same district.
    ///   - currentSchoolYear: The current school year, passed in rather than read from
    ///     the clock so output never depends on the day it runs; default 2025/2026.
    ///   - discrepanciesPerThousand: Students per thousand carrying each kind of
    ///     planted discrepancy (rounded; default 10, i.e. 1 % each). Capped so that all
    ///     kinds together never exceed the student count (one kind per student).
    public init(students: Int, seed: UInt64, currentSchoolYear: SchoolYear? = nil, discrepanciesPerThousand: Int = 10) {
        precondition((1...DistrictLayout.maxStudents).contains(students), "students must be 1…\(DistrictLayout.maxStudents)")
        precondition(discrepanciesPerThousand >= 0, "discrepanciesPerThousand must not be negative")
        studentCount = students
        self.seed = seed
        // 2025/2026 is in the accepted range by construction.
        self.currentSchoolYear = currentSchoolYear ?? (try! SchoolYear(endYear: 2026))
        discrepanciesPerKind = min((students * discrepanciesPerThousand + 500) / 1000, students / DiscrepancyKind.allCases.count)
        layout = DistrictLayout(students: students, seed: seed, currentEndYear: self.currentSchoolYear.endYear)
        plan = DiscrepancyPlan(students: students, perKind: discrepanciesPerKind, seed: seed)
        var random = SplitMix64(seed: seed, stream: DistrictLayout.Stream.layout.rawValue, index: 1)
        versionBase = Int64(1_000 + random.below(1_000_000))
        asnOffset = random.below(Self.asnSpan)
    }

    /// The district's authority code, `A.NNNN`.
    public var authorityCode: OrganizationCode {
        OrganizationCode(kind: .authority, number: try! OrganizationNumber(layout.authorityCode))
    }

    /// Number of schools.
    public var schoolCount: Int { layout.schools.count }

    /// The school years covered, PASI end years, current first.
    public var schoolYears: [Int] { layout.endYears }

    /// The generator's account of what it planted.
    public var discrepancyReport: DiscrepancyReport {
        var keys: [DiscrepancyKind: [DiscrepancyKey]] = [:]
        for (kind, students) in plan.indices {
            keys[kind] = students.map { index in
                let student = blueprint(index)
                let asn = sisASN(student)
                switch kind {
                case .enrolmentExitDate:
                    return enrolmentKey(asn: asn, exitDateTarget(student))
                case .enrolmentMissingInPASI:
                    return enrolmentKey(asn: asn, student.enrolments[0])
                case .enrolmentMissingInSIS:
                    let extra = extraPASIEnrolment(student)
                    return DiscrepancyKey(asn: asn, schoolCode: extra.schoolCode, schoolYear: extra.schoolYear)
                default:
                    return DiscrepancyKey(asn: asn)
                }
            }
        }
        return DiscrepancyReport(keys: keys)
    }

    // MARK: - Building blocks shared by the SIS and PASI sides

    func blueprint(_ index: Int) -> StudentBlueprint { StudentBlueprint(index: index, seed: seed, layout: layout) }

    /// ASNs of matched students come from a bijection of the student index into
    /// 10000000 ..< 90000000 (7919 is prime and coprime to the span), so they are
    /// unique without a set; unmatched ones use 90000000 + index, a range PASI never
    /// holds.
    static let asnSpan = 80_000_000

    func asnDigits(student index: Int) -> String {
        let prefix = 10_000_000 + (index * 7919 + asnOffset) % Self.asnSpan
        return try! ASN.withCheckDigit(prefix: String(prefix)).digits  // eight digits by construction
    }

    func sisASN(_ student: StudentBlueprint) -> String {
        guard plan.kind(of: student.index) == .unmatchedASN else { return asnDigits(student: student.index) }
        return try! ASN.withCheckDigit(prefix: String(90_000_000 + student.index)).digits
    }

    func schoolCode(_ school: Int) -> String { pad(layout.schools[school].code, 4) }

    func enrolmentKey(asn: String, _ enrolment: EnrolmentPlan) -> DiscrepancyKey {
        DiscrepancyKey(asn: asn, schoolCode: schoolCode(enrolment.school), schoolYear: layout.endYears[enrolment.yearOffset])
    }

    /// The enrolment whose exit date is altered: the latest past one, or the current
    /// one when the student has no past enrolment.
    func exitDateTarget(_ student: StudentBlueprint) -> EnrolmentPlan {
        student.enrolments.count > 1 ? student.enrolments[1] : student.enrolments[0]
    }
}
