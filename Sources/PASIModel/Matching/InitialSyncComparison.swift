/// The pure logic of the Initial Synchronization: matches a batch of SIS students (with
/// their school enrolments) against the PASI students and enrolments loaded for them,
/// and presents every difference as a conflict, without reading or writing anything.
///
/// The rules are the project's Records Matching Criteria, written down in
/// `docs/records-matching.md`. A job calls ``compare(sis:pasi:pasiEnrolments:existingMatches:existingEnrolmentMatches:authoritySchools:years:smartAddressMatch:)``
/// once per batch and, when every batch is done, ``comparePASIOnly(_:enrolments:authoritySchools:years:)``
/// for the PASI students no SIS student matched.
public enum InitialSyncComparison {
    /// Whether an enrolment is a summer school one: it starts in July or August.
    /// - Parameter entryDate: The enrolment's entry date.
    public static func isSummerSchool(entryDate: PASIDate) -> Bool { (7...8).contains(entryDate.month) }

    /// Whether a SIS enrolment is a summer school one (see ``isSummerSchool(entryDate:)``).
    /// - Parameter enrolment: The SIS enrolment.
    public static func isSummerSchool(_ enrolment: SISEnrolment) -> Bool { isSummerSchool(entryDate: enrolment.entryDate) }

    /// How a student match came about.
    public enum MatchBasis: String, Sendable, Hashable, CaseIterable {
        /// An earlier match, passed in, was kept.
        case existing = "Existing"
        /// PASI holds the SIS student's ASN.
        case asn = "ASN"
        /// A demographic lookup found exactly one High candidate.
        case demographics = "Demographics"
    }

    /// A SIS student matched with a PASI student.
    public struct StudentMatch: Sendable, Hashable {
        /// The SIS student's id.
        public var studentID: Int
        /// The PASI student's ASN.
        public var asn: ASN
        /// The grade (``StudentGrading``).
        public var quality: MatchQuality
        /// How the match came about.
        public var basis: MatchBasis

        /// Creates a match.
        public init(studentID: Int, asn: ASN, quality: MatchQuality, basis: MatchBasis) {
            self.studentID = studentID
            self.asn = asn
            self.quality = quality
            self.basis = basis
        }
    }

    /// A SIS school enrolment matched with a PASI one.
    public struct EnrolmentMatch: Sendable, Hashable {
        /// The SIS enrolment's id.
        public var enrolmentID: Int
        /// The PASI enrolment's RefId.
        public var refId: RefId
        /// High: school, year and entry date agree; Medium: school and year; Low: an earlier
        /// match kept although the school or year differ.
        public var quality: MatchQuality

        /// Creates a match.
        public init(enrolmentID: Int, refId: RefId, quality: MatchQuality) {
            self.enrolmentID = enrolmentID
            self.refId = refId
            self.quality = quality
        }
    }

    /// What a comparison found.
    public struct Result: Sendable, Hashable {
        /// The students matched, in the SIS's order.
        public var studentMatches: [StudentMatch] = []
        /// The school enrolments matched, student by student.
        public var enrolmentMatches: [EnrolmentMatch] = []
        /// Every conflict, student by student: the student's own first, then their enrolments'.
        public var conflicts: [InitialSyncConflict] = []
        /// The SIS students left unmatched (ids, in the SIS's order).
        public var unmatchedSIS: [Int] = []
        /// The PASI students given that no SIS student matched (neither in this batch nor by
        /// an earlier match); from ``InitialSyncComparison/comparePASIOnly(_:enrolments:authoritySchools:years:)``,
        /// the PASI-only students it reported.
        public var unmatchedPASI: [ASN] = []
        /// The records of the four extract files, in the order found.
        public var extract: [InitialSyncExtract.Entry] = []

        /// Creates an empty result.
        public init() {}

        /// One line per difference for `pasi-initialization.log`, conflict by conflict.
        public var logLines: [String] { conflicts.flatMap(\.logLines) }

        /// The extract entries of one file.
        /// - Parameter file: The file.
        public func entries(of file: InitialSyncExtract.File) -> [InitialSyncExtract.Entry] {
            extract.filter { $0.file == file }
        }

        /// Appends another batch's result.
        /// - Parameter other: The other result.
        public mutating func append(_ other: Result) {
            studentMatches += other.studentMatches
            enrolmentMatches += other.enrolmentMatches
            conflicts += other.conflicts
            unmatchedSIS += other.unmatchedSIS
            unmatchedPASI += other.unmatchedPASI
            extract += other.extract
        }
    }

    /// Compares a batch of SIS students with PASI.
    /// - Parameters:
    ///   - sis: The SIS students, each with their enrolments.
    ///   - pasi: The PASI students loaded for them: those their ASNs and earlier matches name,
    ///     and the demographic candidates (same legal last name) for those PASI lacks.
    ///   - pasiEnrolments: The PASI school enrolments of those students.
    ///   - existingMatches: Earlier student matches, SIS id → ASN, including those of
    ///     students outside the batch (their ASNs are nobody else's to match).
    ///   - existingEnrolmentMatches: Earlier enrolment matches, SIS enrolment id → RefId.
    ///   - authoritySchools: The authority's school codes; a PASI enrolment elsewhere that the
    ///     SIS lacks is not the authority's to report.
    ///   - years: The synchronization years; enrolments of other years are not compared.
    ///   - smartAddressMatch: The Smart Address Match setting (``SmartAddressMatch``).
    /// - Returns: The matches, conflicts and extract records.
    public static func compare(
        sis: [SISStudent], pasi: [Student], pasiEnrolments: [SchoolEnrolment], existingMatches: [Int: ASN] = [:],
        existingEnrolmentMatches: [Int: RefId] = [:], authoritySchools: Set<OrganizationNumber>, years: Set<SchoolYear>,
        smartAddressMatch: Bool
    ) -> Result {
        let scope = Scope(authoritySchools: authoritySchools, years: years, address: SmartAddressMatch(isOn: smartAddressMatch))
        let enrolmentsByASN = Dictionary(grouping: pasiEnrolments.filter(scope.includes), by: \.asn)
        let outcomes = StudentMatcher(pasi: pasi, existing: existingMatches).match(sis)
        var builder = ResultBuilder(scope: scope)
        for student in sis {
            switch outcomes[student.id] ?? .unmatched(candidates: []) {
            case let .matched(record, quality, basis):
                builder.addMatched(
                    student, record, quality: quality, basis: basis, pasiEnrolments: enrolmentsByASN[record.asn] ?? [],
                    existingEnrolments: existingEnrolmentMatches)
            case let .unmatched(candidates):
                builder.addUnmatched(student, candidates: candidates)
            }
        }
        let matched = Set(builder.result.studentMatches.map(\.asn)).union(existingMatches.values)
        var seen: Set<ASN> = []
        builder.result.unmatchedPASI = pasi.map(\.asn).filter { !matched.contains($0) && seen.insert($0).inserted }
        return builder.result
    }

    /// Reports PASI students that no SIS student matched: each of their enrolments in the
    /// synchronization years at one of the authority's schools is a Missing Enrolment
    /// conflict, and the student and those enrolments go to the unmatched extract files. A
    /// student without such an enrolment is not the authority's and is left out.
    /// - Parameters:
    ///   - students: PASI students matched to no SIS student (after every batch).
    ///   - enrolments: Their PASI school enrolments.
    ///   - authoritySchools: The authority's school codes.
    ///   - years: The synchronization years.
    /// - Returns: The conflicts and extract records; ``Result/unmatchedPASI`` lists the students reported.
    public static func comparePASIOnly(
        _ students: [Student], enrolments: [SchoolEnrolment], authoritySchools: Set<OrganizationNumber>, years: Set<SchoolYear>
    ) -> Result {
        let scope = Scope(authoritySchools: authoritySchools, years: years, address: SmartAddressMatch(isOn: false))
        let byASN = Dictionary(grouping: enrolments.filter(scope.includes), by: \.asn)
        var builder = ResultBuilder(scope: scope)
        for student in students {
            builder.addPASIOnly(student, enrolments: byASN[student.asn] ?? [])
        }
        return builder.result
    }

    /// The settings a comparison runs under.
    struct Scope {
        let authoritySchools: Set<OrganizationNumber>
        let years: Set<SchoolYear>
        let address: SmartAddressMatch

        /// A PASI enrolment of a synchronization year that was not created in error (not `IsDeleted`).
        func includes(_ enrolment: SchoolEnrolment) -> Bool {
            years.contains(enrolment.schoolYear) && !enrolment.isDeleted
        }

        /// A SIS enrolment of a synchronization year.
        func includes(_ enrolment: SISEnrolment) -> Bool { years.contains(enrolment.schoolYear) }
    }
}
