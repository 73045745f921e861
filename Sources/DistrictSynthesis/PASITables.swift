// The provincial data set: the same district as PASI Core holds it, with the planted
// discrepancies applied.

extension DistrictGenerator {
    /// The schools as PASI holds them.
    public func pasiSchools() -> some Sequence<PASISchoolRow> {
        layout.schools.lazy.map { school in
            PASISchoolRow(
                schoolCode: schoolCode(school.index), name: school.name, authorityCode: pad(layout.authorityCode, 4),
                pasiCoreVersion: Int64(school.index + 1))
        }
    }

    /// Every student as PASI holds it; a student with an unmatched ASN in the SIS is
    /// here under the correct ASN.
    public func pasiStudents() -> some Sequence<PASIStudentRow> {
        (0..<studentCount).lazy.map { pasiStudent(blueprint($0)) }
    }

    /// The school enrolments as PASI holds them.
    public func pasiEnrolments() -> some Sequence<PASIEnrolmentRow> {
        (0..<studentCount).lazy.flatMap { pasiEnrolmentRows(blueprint($0)) }
    }

    // MARK: - Rendering one student

    func pasiStudent(_ student: StudentBlueprint) -> PASIStudentRow {
        let kind = plan.kind(of: student.index)
        let alteration = Int(truncatingIfNeeded: student.alteration & 0xFFFF_FFFF)
        var name = legalName(student)
        if kind == .legalName {
            // Any other surname of the pool: pool entries are unique, so it differs.
            let pool = NamePools.last
            name.last = pool[(student.lastName + 1 + alteration % (pool.count - 1)) % pool.count]
        }
        var gender = ["Male", "Female", "Unspecified"][student.gender]
        if kind == .gender { gender = student.gender == 0 ? "Female" : "Male" }
        var birth = student.birth
        if kind == .birthDate { birth.day = birth.day % 28 + 1 }
        let streetNumber = kind == .mailingAddress ? student.streetNumber % 9999 + 1 : student.streetNumber
        let address = mailingAddress(student, streetNumber: streetNumber)
        let line = kind == .phone ? (student.line + 1 + alteration % 9999) % 10_000 : student.line
        return PASIStudentRow(
            asn: asnDigits(student: student.index), pasiCoreVersion: versionBase + Int64(student.index) * 8,
            legalNameRefId: guidText(student.nameRef.0, student.nameRef.1),
            legalLastName: name.last, legalFirstName: name.first, legalMiddleName: name.middle, gender: gender,
            birthDate: birth.text, mailingStreet: address.street, mailingCity: address.city, mailingProvince: "AB",
            mailingPostalCode: address.postalCode, mailingCountry: "CA", phoneNumber: phone(student, line: line))
    }

    func pasiEnrolmentRows(_ student: StudentBlueprint) -> [PASIEnrolmentRow] {
        let kind = plan.kind(of: student.index)
        let asn = asnDigits(student: student.index)
        let alteration = Int(truncatingIfNeeded: student.alteration & 0xFFFF_FFFF)
        var rows: [PASIEnrolmentRow] = []
        for enrolment in student.enrolments {
            if kind == .enrolmentMissingInPASI, enrolment.yearOffset == 0 { continue }
            let endYear = layout.endYears[enrolment.yearOffset]
            var exit = enrolment.exit
            if kind == .enrolmentExitDate, enrolment.yearOffset == exitDateTarget(student).yearOffset {
                // Past enrolments end in late June, so May differs; a current one has
                // none, and March is after any entry (the latest is in February).
                exit = enrolment.exit == nil
                    ? Day(year: endYear, month: 3, day: 1 + alteration % 28)
                    : Day(year: endYear, month: 5, day: 1 + alteration % 28)
            }
            rows.append(PASIEnrolmentRow(
                refId: guidText(enrolment.ref.0, enrolment.ref.1), asn: asn, schoolCode: schoolCode(enrolment.school),
                schoolYear: endYear, grade: SyntheticGrade.pasiCode(enrolment.grade), entryDate: enrolment.entry.text,
                exitDate: exit?.text, registrationType: Self.registrationType,
                pasiCoreVersion: versionBase + Int64(student.index) * 8 + 1 + Int64(enrolment.yearOffset)))
        }
        if kind == .enrolmentMissingInSIS { rows.append(extraPASIEnrolment(student)) }
        return rows
    }

    /// The enrolment PASI holds and the SIS lacks: a short current-year stay at another
    /// school (of the same band when the band has more than one).
    func extraPASIEnrolment(_ student: StudentBlueprint) -> PASIEnrolmentRow {
        let current = student.enrolments[0]
        let band = layout.schools[current.school].band
        let peers = layout.schoolsByBand[band.rawValue]
        let other: Int
        if peers.count > 1, let position = peers.firstIndex(of: current.school) {
            other = peers[(position + 1) % peers.count]
        } else {
            other = (current.school + 1) % layout.schools.count
        }
        let endYear = layout.endYears[0]
        let alteration = Int(truncatingIfNeeded: student.alteration & 0xFFFF_FFFF)
        return PASIEnrolmentRow(
            refId: guidText(student.extraRef.0, student.extraRef.1), asn: asnDigits(student: student.index),
            schoolCode: schoolCode(other), schoolYear: endYear, grade: SyntheticGrade.pasiCode(current.grade),
            entryDate: Day(year: endYear, month: 2, day: 1 + alteration % 10).text,
            exitDate: Day(year: endYear, month: 3, day: 15).text, registrationType: Self.registrationType,
            pasiCoreVersion: versionBase + Int64(student.index) * 8 + 4)
    }
}
