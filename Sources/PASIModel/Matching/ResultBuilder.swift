/// Turns the matcher's outcomes into a ``InitialSyncComparison/Result``: matches,
/// conflicts and extract entries, one student at a time.
struct ResultBuilder {
    let scope: InitialSyncComparison.Scope
    var result = InitialSyncComparison.Result()

    init(scope: InitialSyncComparison.Scope) { self.scope = scope }

    // MARK: - A matched student

    mutating func addMatched(
        _ sis: SISStudent, _ pasi: Student, quality: MatchQuality, basis: InitialSyncComparison.MatchBasis,
        pasiEnrolments: [SchoolEnrolment], existingEnrolments: [Int: RefId]
    ) {
        result.studentMatches.append(.init(studentID: sis.id, asn: pasi.asn, quality: quality, basis: basis))
        var studentConflicts: [InitialSyncConflict] = []
        func add(_ type: ConflictType, _ differences: [FieldDifference], _ message: String) {
            studentConflicts.append(InitialSyncConflict(
                conflictType: type, studentID: sis.id, studentNumber: sis.studentNumber, sisASN: sis.asn, pasiASN: pasi.asn,
                differences: differences, message: message))
        }
        if sis.asn != pasi.asn {
            add(.unmatchedASN, [asnDifference(sis.asn, pasi.asn.formatted)], Self.matchedMessage(basis, holdsASN: sis.asn != nil))
        }
        if let primary = pasi.primaryASN {
            add(.primaryASN, [asnDifference(sis.asn, primary.formatted)], "PASI holds \(pasi.asn) as a secondary ASN; the primary is \(primary)")
        }
        for (type, differences) in StudentComparison.differences(sis, pasi, address: scope.address) {
            add(type, differences, "The SIS and PASI differ (\(quality.rawValue) match by \(basis.rawValue))")
        }
        result.conflicts += studentConflicts
        if !studentConflicts.isEmpty {
            result.extract.append(.init(file: .diffStudents, record: .sisStudent(sis, identified: true)))
        }
        let sisEnrolments = sis.enrolments.filter(scope.includes)
        let outcome = EnrolmentMatcher.match(sisEnrolments, pasiEnrolments, existing: existingEnrolments)
        for pair in outcome.pairs { addPair(pair, of: sis, pasi) }
        for enrolment in outcome.sisOnly { addSISOnly(enrolment, of: sis, pasiASN: pasi.asn) }
        for enrolment in outcome.pasiOnly where scope.authoritySchools.contains(enrolment.schoolCode) {
            addPASIOnly(enrolment, of: sis)
        }
    }

    static func matchedMessage(_ basis: InitialSyncComparison.MatchBasis, holdsASN: Bool) -> String {
        let how = switch basis {
        case .existing: "Matched earlier"
        case .asn: "Matched by ASN"
        case .demographics: "Matched by legal name, birth date and gender (High)"
        }
        return how + (holdsASN ? "; the SIS holds another ASN" : "; the SIS holds no ASN")
    }

    func asnDifference(_ sis: ASN?, _ pasi: String?) -> FieldDifference {
        FieldDifference(field: "ASN", sisValue: sis?.formatted, pasiValue: pasi)
    }

    mutating func addPair(_ pair: EnrolmentMatcher.Pair, of sis: SISStudent, _ pasi: Student) {
        result.enrolmentMatches.append(.init(enrolmentID: pair.sis.id, refId: pair.pasi.refId, quality: pair.quality))
        let found = EnrolmentMatcher.differences(pair)
        for (type, differences) in found {
            result.conflicts.append(InitialSyncConflict(
                conflictType: type, studentID: sis.id, studentNumber: sis.studentNumber, sisASN: sis.asn, pasiASN: pasi.asn,
                enrolmentID: pair.sis.id, refId: pair.pasi.refId, schoolCode: pair.sis.schoolCode, schoolYear: pair.sis.schoolYear,
                differences: differences, message: "The SIS and PASI enrolments differ (\(pair.quality.rawValue) match)"))
        }
        if !found.isEmpty {
            result.extract.append(.init(file: .diffEnrolments, record: .sisEnrolment(pair.sis, student: sis, identified: true)))
        }
    }

    mutating func addSISOnly(_ enrolment: SISEnrolment, of sis: SISStudent, pasiASN: ASN) {
        let e = enrolment
        let type: ConflictType = InitialSyncComparison.isSummerSchool(e) ? .summerSchoolEnrolment : .schoolEnrolment
        let shown = EnrolmentMatcher.describe(school: e.schoolCode, year: e.schoolYear, grade: e.grade, entry: e.entryDate, exit: e.exitDate)
        result.conflicts.append(InitialSyncConflict(
            conflictType: type, studentID: sis.id, studentNumber: sis.studentNumber, sisASN: sis.asn, pasiASN: pasiASN,
            enrolmentID: e.id, schoolCode: e.schoolCode, schoolYear: e.schoolYear,
            differences: [FieldDifference(field: "Enrolment", sisValue: shown, pasiValue: nil)],
            message: "PASI holds no enrolment of the student at this school in this year"))
        result.extract.append(.init(file: .unmatchedEnrolments, record: .sisEnrolment(e, student: sis, identified: true)))
    }

    /// A PASI enrolment at one of the authority's schools that the SIS lacks; `sis` is the
    /// matched SIS student, `nil` for a PASI-only student.
    mutating func addPASIOnly(_ enrolment: SchoolEnrolment, of sis: SISStudent?) {
        let e = enrolment
        let shown = EnrolmentMatcher.describe(school: e.schoolCode, year: e.schoolYear, grade: e.grade, entry: e.entryDate, exit: e.exitDate)
        result.conflicts.append(InitialSyncConflict(
            conflictType: .missingEnrolment, studentID: sis?.id, studentNumber: sis?.studentNumber, sisASN: sis?.asn,
            pasiASN: e.asn, refId: e.refId, schoolCode: e.schoolCode, schoolYear: e.schoolYear,
            differences: [FieldDifference(field: "Enrolment", sisValue: nil, pasiValue: shown)],
            message: sis == nil ? "PASI holds an enrolment at the authority of a student the SIS lacks"
                : "PASI holds an enrolment at the authority that the SIS lacks"))
        result.extract.append(.init(file: .unmatchedEnrolments, record: .pasiEnrolment(e, student: sis)))
    }

    // MARK: - An unmatched SIS student

    mutating func addUnmatched(_ sis: SISStudent, candidates: [StudentMatcher.Candidate]) {
        result.unmatchedSIS.append(sis.id)
        let message: String
        let pasiValue: String?
        if candidates.isEmpty {
            pasiValue = nil
            message = sis.asn == nil
                ? "The SIS holds no ASN, and PASI holds no student of the same legal name, birth date and gender"
                : "PASI holds no student with this ASN, nor one of the same legal name, birth date and gender"
        } else {
            pasiValue = candidates.map { "\($0.asn) (\($0.quality.rawValue))" }.joined(separator: ", ")
            message = candidates.contains { $0.quality == .high }
                ? "Not matched: more than one PASI student of the same legal name, birth date and gender; confirm the match"
                : "Not matched: PASI holds a student of the same legal last name and birth date (Medium); confirm the match"
        }
        result.conflicts.append(InitialSyncConflict(
            conflictType: .unmatchedASN, studentID: sis.id, studentNumber: sis.studentNumber, sisASN: sis.asn,
            pasiASN: candidates.first?.asn, differences: [asnDifference(sis.asn, pasiValue)], message: message))
        result.extract.append(.init(file: .unmatchedStudents, record: .sisStudent(sis, identified: false)))
        for enrolment in sis.enrolments where scope.includes(enrolment) {
            result.extract.append(.init(file: .unmatchedEnrolments, record: .sisEnrolment(enrolment, student: sis, identified: false)))
        }
    }

    // MARK: - A PASI student no SIS student matched

    mutating func addPASIOnly(_ pasi: Student, enrolments: [SchoolEnrolment]) {
        let ours = enrolments.filter { scope.authoritySchools.contains($0.schoolCode) }
        guard !ours.isEmpty else { return }
        result.unmatchedPASI.append(pasi.asn)
        result.extract.append(.init(file: .unmatchedStudents, record: .pasiStudent(pasi)))
        for enrolment in ours { addPASIOnly(enrolment, of: nil) }
    }
}
