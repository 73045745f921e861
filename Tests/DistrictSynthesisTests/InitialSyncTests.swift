import DistrictSynthesis
import PASIModel
import Testing

/// The initial synchronization's comparison over a synthetic district: every discrepancy
/// the generator planted is found, as its kind's conflict type, on exactly the planted
/// students and enrolments, and nothing else is.
@Suite struct InitialSyncTests {
    static let generator = DistrictGenerator(students: 500, seed: 2026)

    /// The SIS side as the repository reads it (the columns `DistrictColumnMap` loads).
    static func sisStudents(_ generator: DistrictGenerator) throws -> [SISStudent] {
        var enrolments: [Int: [SISEnrolment]] = [:]
        for row in generator.enrolments() {
            enrolments[row.studentID, default: []].append(SISEnrolment(
                id: row.id, studentID: row.studentID, schoolID: Int(row.schoolID)!, schoolCode: try OrganizationNumber(row.schoolID),
                schoolYear: try SchoolYear(sisStartYear: row.schoolYear), grade: try GradeCode(SyntheticGrade.pasiCode(row.gradeLevel)),
                entryDate: try PASIDate(row.entryDate), exitDate: try row.exitDate.map { try PASIDate($0) },
                enrollStatus: row.enrollStatus, isCurrent: row.enrollStatus == 0, registrationType: row.registrationType,
                entryCode: row.entryCode, exitCode: row.exitCode))
        }
        return try generator.students().map { row in
            var demographics = SISDemographics(
                legalLastName: row.legalLastName, legalFirstName: row.legalFirstName, legalMiddleName: row.legalMiddleName,
                gender: Gender(sisCode: row.gender), birthDate: try PASIDate(row.dob), mailingStreet: row.mailingStreet,
                mailingCity: row.mailingCity, mailingProvince: row.mailingState, mailingPostalCode: row.mailingZip,
                homePhone: row.homePhone)
            demographics.legalGender = Gender(sisCode: row.legalGender)
            return SISStudent(
                id: row.id, studentNumber: Int64(row.studentNumber), asn: try ASN(row.stateStudentNumber, checkDigit: .ignored),
                lastName: row.lastName, firstName: row.firstName, middleName: row.middleName, demographics: demographics,
                enrolments: (enrolments[row.id] ?? []).sorted { ($0.schoolYear, $0.entryDate) < ($1.schoolYear, $1.entryDate) })
        }
    }

    /// The PASI side as the simulator's `Province.synthetic` builds it.
    static func pasiStudents(_ generator: DistrictGenerator) throws -> [Student] {
        try generator.pasiStudents().map { row in
            let name = try StudentName(
                refId: RefId(row.legalNameRefId), type: .legal, lastName: row.legalLastName, firstName: row.legalFirstName,
                middleName: row.legalMiddleName, isPreferred: true)
            let address = try Address(
                type: .mailing, street: row.mailingStreet, city: row.mailingCity, province: row.mailingProvince,
                country: row.mailingCountry, postalCode: row.mailingPostalCode, isPreferred: true)
            let phone = try Phone(number: row.phoneNumber, type: "Home", isPreferred: true)
            return try Student(
                asn: ASN(row.asn, checkDigit: .ignored), names: [name], gender: Gender(rawValue: row.gender) ?? .unknown,
                birthDate: PASIDate(row.birthDate), addresses: [address], phones: [phone], pasiCoreVersion: row.pasiCoreVersion)
        }
    }

    static func pasiEnrolments(_ generator: DistrictGenerator) throws -> [SchoolEnrolment] {
        try generator.pasiEnrolments().map { row in
            try SchoolEnrolment(
                refId: RefId(row.refId), asn: ASN(row.asn, checkDigit: .ignored), schoolCode: OrganizationNumber(row.schoolCode),
                schoolYear: SchoolYear(endYear: row.schoolYear), grade: GradeCode(row.grade), entryDate: PASIDate(row.entryDate),
                exitDate: row.exitDate.map { try PASIDate($0) }, registrationType: row.registrationType,
                isDeleted: row.isDeleted, pasiCoreVersion: row.pasiCoreVersion)
        }
    }

    struct District {
        let sis: [SISStudent]
        let pasi: [Student]
        let enrolments: [SchoolEnrolment]
        let schools: Set<OrganizationNumber>
        let years: Set<SchoolYear>

        init(_ generator: DistrictGenerator) throws {
            sis = try InitialSyncTests.sisStudents(generator)
            pasi = try InitialSyncTests.pasiStudents(generator)
            enrolments = try InitialSyncTests.pasiEnrolments(generator)
            schools = Set(try generator.pasiSchools().map { try OrganizationNumber($0.schoolCode) })
            years = Set(try generator.schoolYears.map { try SchoolYear(endYear: $0) })
        }

        func compare(_ students: [SISStudent], existing: [Int: ASN] = [:]) -> InitialSyncComparison.Result {
            InitialSyncComparison.compare(
                sis: students, pasi: pasi, pasiEnrolments: enrolments, existingMatches: existing, authoritySchools: schools,
                years: years, smartAddressMatch: true)
        }
    }

    /// The planted key a conflict stands for: the SIS's ASN, and the enrolment's school and year.
    static func key(_ conflict: InitialSyncConflict) -> DiscrepancyKey? {
        guard let asn = conflict.sisASN?.digits else { return nil }
        guard conflict.statusType == .enrolment, let school = conflict.schoolCode, let year = conflict.schoolYear else {
            return DiscrepancyKey(asn: asn)
        }
        return DiscrepancyKey(asn: asn, schoolCode: school.description, schoolYear: year.endYear)
    }

    @Test("every planted discrepancy is found on exactly the planted records, and nothing else")
    func findsWhatWasPlanted() throws {
        let district = try District(Self.generator)
        let report = Self.generator.discrepancyReport
        #expect(report.counts.values.allSatisfy { $0 == 5 })
        let result = district.compare(district.sis)

        #expect(result.unmatchedSIS.isEmpty)
        #expect(result.unmatchedPASI.isEmpty)
        #expect(result.studentMatches.count == Self.generator.studentCount)
        #expect(result.studentMatches.filter { $0.basis == .demographics }.count == report.counts[.unmatchedASN])
        for kind in DiscrepancyKind.allCases {
            let found = result.conflicts.filter { $0.conflictType == kind.conflictType }
            #expect(Set(found.compactMap(Self.key)) == Set(report.keys[kind] ?? []), "\(kind)")
            #expect(found.count == report.counts[kind], "\(kind) reported more than once")
        }
        let expected = Set(DiscrepancyKind.allCases.map(\.conflictType))
        #expect(result.conflicts.filter { !expected.contains($0.conflictType) } == [])
        #expect(result.conflicts.count == report.total)
        #expect(Set(result.conflicts.map(\.key)).count == report.total)

        // One extract row per record: the diff rows of the planted students and enrolments,
        // the unmatched rows of the enrolments one side lacks.
        let studentKinds = DiscrepancyKind.allCases.filter { !$0.isEnrolmentKind }
        #expect(result.entries(of: .diffStudents).count == studentKinds.reduce(0) { $0 + (report.counts[$1] ?? 0) })
        #expect(result.entries(of: .diffEnrolments).count == report.counts[.enrolmentExitDate])
        #expect(result.entries(of: .unmatchedEnrolments).count
            == (report.counts[.enrolmentMissingInPASI] ?? 0) + (report.counts[.enrolmentMissingInSIS] ?? 0))
        #expect(result.entries(of: .unmatchedStudents).isEmpty)
        #expect(result.logLines.count == report.total)
        for entry in result.extract {
            #expect(entry.line.split(separator: "\t", omittingEmptySubsequences: false).count == entry.file.header.count)
        }
    }

    @Test("batches that pass on the matches made so far find the same as one run; a second run with the matches finds the same")
    func batchesAgree() throws {
        let district = try District(Self.generator)
        let whole = district.compare(district.sis)
        var batched = InitialSyncComparison.Result()
        var matches: [Int: ASN] = [:]
        for start in stride(from: 0, to: district.sis.count, by: 100) {
            let batch = district.compare(Array(district.sis[start..<min(start + 100, district.sis.count)]), existing: matches)
            for match in batch.studentMatches { matches[match.studentID] = match.asn }
            batched.append(batch)
        }
        #expect(batched.conflicts.map(\.key) == whole.conflicts.map(\.key))
        #expect(batched.studentMatches.map(\.asn) == whole.studentMatches.map(\.asn))

        let again = district.compare(district.sis, existing: matches)
        #expect(again.conflicts.map(\.key) == whole.conflicts.map(\.key))
        #expect(again.studentMatches.allSatisfy { $0.basis == .existing })

        let never = Set(district.pasi.map(\.asn)).subtracting(matches.values)
        let pasiOnly = InitialSyncComparison.comparePASIOnly(
            district.pasi.filter { never.contains($0.asn) }, enrolments: district.enrolments, authoritySchools: district.schools,
            years: district.years)
        #expect(pasiOnly.conflicts.isEmpty)
    }
}
