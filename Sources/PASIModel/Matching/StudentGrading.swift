/// The grades of the Records Matching Criteria for students (docs/records-matching.md).
public enum StudentGrading {
    /// The grade of an ASN match (the SIS's ASN, or an earlier match, names the PASI
    /// student): High when the legal last name and the birth date agree too, Medium when one
    /// of them does, Low when neither does. The student is matched whatever the grade: the
    /// ASN is the identity, and the differences become conflicts.
    /// - Parameters:
    ///   - sis: The SIS student.
    ///   - pasi: The PASI student its ASN names.
    public static func asnMatch(_ sis: SISStudent, _ pasi: Student) -> MatchQuality {
        let fields = Fields(sis, pasi)
        switch (fields.lastName, fields.birthDate) {
        case (true, true): return .high
        case (true, false), (false, true): return .medium
        case (false, false): return .low
        }
    }

    /// The grade of a demographic candidate, for a SIS student whose ASN PASI does not hold,
    /// in the manner of PASI's IdentifyStudent (the legal last name must agree; a SIS field
    /// left empty agrees with nothing):
    /// - High: legal last name, first name, birth date and gender all agree;
    /// - Medium: last name and birth date agree, and one of first name and gender;
    /// - Low: last name and birth date agree but neither first name nor gender, or last and
    ///   first name agree and the birth date differs;
    /// - `nil`: anything else.
    ///
    /// Only a High candidate is matched; a Medium one is named in the Unmatched ASN conflict;
    /// a Low one counts as no match.
    /// - Parameters:
    ///   - sis: The SIS student.
    ///   - pasi: A PASI student.
    public static func demographicCandidate(_ sis: SISStudent, _ pasi: Student) -> MatchQuality? {
        let f = Fields(sis, pasi)
        guard f.lastName else { return nil }
        switch (f.birthDate, f.firstName, f.gender) {
        case (true, true, true): return .high
        case (true, true, false), (true, false, true): return .medium
        case (true, false, false), (false, true, _): return .low
        case (false, false, _): return nil
        }
    }

    /// Which of the compared fields agree, folded (case- and accent-insensitive, trimmed).
    struct Fields {
        let lastName: Bool
        let firstName: Bool
        let birthDate: Bool
        let gender: Bool

        init(_ sis: SISStudent, _ pasi: Student) {
            let name = StudentComparison.sisLegalName(sis)
            let legal = pasi.legalName
            lastName = Self.agree(name.last, legal?.lastName)
            firstName = Self.agree(name.first, legal?.firstName)
            birthDate = sis.demographics.birthDate != nil && sis.demographics.birthDate == pasi.birthDate
            let gender = sis.demographics.legalGender ?? sis.demographics.gender
            self.gender = gender != nil && gender == pasi.gender
        }

        static func agree(_ sis: String?, _ pasi: String?) -> Bool {
            let folded = MatchText.folded(sis)
            return !folded.isEmpty && folded == MatchText.folded(pasi)
        }
    }

    /// The key demographic candidates are looked up by: the folded legal last name.
    static func lookupKey(_ sis: SISStudent) -> String { MatchText.folded(StudentComparison.sisLegalName(sis).last) }

    /// The same key for a PASI student.
    static func lookupKey(_ pasi: Student) -> String { MatchText.folded(pasi.legalName?.lastName) }
}
