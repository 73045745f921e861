/// The school enrolment half of the Records Matching Criteria, for one matched student.
enum EnrolmentMatcher {
    /// A SIS enrolment matched with a PASI one.
    struct Pair: Hashable {
        let sis: SISEnrolment
        let pasi: SchoolEnrolment
        let quality: MatchQuality
    }

    /// What the matching of one student's enrolments found.
    struct Outcome: Hashable {
        var pairs: [Pair] = []
        /// SIS enrolments PASI lacks, in the SIS's order.
        var sisOnly: [SISEnrolment] = []
        /// PASI enrolments the SIS lacks, in PASI's order.
        var pasiOnly: [SchoolEnrolment] = []
    }

    /// Matches a student's SIS enrolments with the PASI enrolments of their ASN (both already
    /// narrowed to the synchronization years): an earlier match first, then school, school
    /// year and entry date (High), then school and year when each side has exactly one
    /// enrolment left there (Medium, the entry date differing).
    /// - Parameters:
    ///   - sis: The SIS enrolments.
    ///   - pasi: The PASI enrolments.
    ///   - existing: Earlier matches, SIS enrolment id → RefId.
    static func match(_ sis: [SISEnrolment], _ pasi: [SchoolEnrolment], existing: [Int: RefId]) -> Outcome {
        var outcome = Outcome()
        var left = pasi
        var unmatched: [SISEnrolment] = []
        func take(_ index: Int, for enrolment: SISEnrolment) {
            outcome.pairs.append(Pair(sis: enrolment, pasi: left[index], quality: grade(enrolment, left[index])))
            left.remove(at: index)
        }
        for enrolment in sis {
            if let refId = existing[enrolment.id], let index = left.firstIndex(where: { $0.refId == refId }) {
                take(index, for: enrolment)
            } else {
                unmatched.append(enrolment)
            }
        }
        var stillUnmatched: [SISEnrolment] = []
        for enrolment in unmatched {
            if let index = left.firstIndex(where: { grade(enrolment, $0) == .high }) {
                take(index, for: enrolment)
            } else {
                stillUnmatched.append(enrolment)
            }
        }
        let sisPlaces = Dictionary(grouping: stillUnmatched, by: place)
        let pasiPlaces = Dictionary(grouping: left, by: place)
        for enrolment in stillUnmatched {
            let key = place(enrolment)
            if sisPlaces[key]?.count == 1, pasiPlaces[key]?.count == 1, let index = left.firstIndex(where: { place($0) == key }) {
                take(index, for: enrolment)
            } else {
                outcome.sisOnly.append(enrolment)
            }
        }
        outcome.pasiOnly = left
        outcome.pairs.sort { sis.firstIndex(of: $0.sis) ?? 0 < sis.firstIndex(of: $1.sis) ?? 0 }
        return outcome
    }

    /// School and school year.
    struct Place: Hashable {
        let school: OrganizationNumber
        let year: SchoolYear
    }

    static func place(_ e: SISEnrolment) -> Place { Place(school: e.schoolCode, year: e.schoolYear) }
    static func place(_ e: SchoolEnrolment) -> Place { Place(school: e.schoolCode, year: e.schoolYear) }

    /// High: school, year and entry date agree; Medium: school and year; Low: less (only an
    /// earlier match can pair such enrolments).
    static func grade(_ sis: SISEnrolment, _ pasi: SchoolEnrolment) -> MatchQuality {
        guard place(sis) == place(pasi) else { return .low }
        return sis.entryDate == pasi.entryDate ? .high : .medium
    }

    /// The conflicts of a matched pair: School Enrolment (or Summer School Enrolment) for the
    /// school, year, entry date and grade; Enrolment Exit Date for the exit date.
    static func differences(_ pair: Pair) -> [(ConflictType, [FieldDifference])] {
        let (s, p) = (pair.sis, pair.pasi)
        var enrolment: [FieldDifference] = []
        if s.schoolCode != p.schoolCode {
            enrolment.append(FieldDifference(field: "School", sisValue: s.schoolCode.description, pasiValue: p.schoolCode.description))
        }
        if s.schoolYear != p.schoolYear {
            enrolment.append(FieldDifference(field: "School Year", sisValue: s.schoolYear.description, pasiValue: p.schoolYear.description))
        }
        enrolment += StudentComparison.date("Entry Date", s.entryDate, p.entryDate)
        if s.grade != p.grade {
            enrolment.append(FieldDifference(field: "Grade", sisValue: s.grade.code, pasiValue: p.grade.code))
        }
        let exit = StudentComparison.date("Exit Date", s.exitDate, p.exitDate)
        let type: ConflictType = InitialSyncComparison.isSummerSchool(s) ? .summerSchoolEnrolment : .schoolEnrolment
        return [(type, enrolment), (.enrolmentExitDate, exit)].filter { !$0.1.isEmpty }
    }

    /// How an enrolment is shown in a conflict: `school 1001 2025/2026 grade 05 entry 2025-09-02 exit 2026-06-26`.
    static func describe(school: OrganizationNumber, year: SchoolYear, grade: GradeCode, entry: PASIDate, exit: PASIDate?) -> String {
        "school \(school) \(year) grade \(grade) entry \(entry)" + (exit.map { " exit \($0)" } ?? "")
    }
}
