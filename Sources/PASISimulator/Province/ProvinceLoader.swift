public import DistrictSynthesis
public import PASIContract
public import PASIModel

extension Province {
    /// A province holding the synthetic provincial data set of `generator`: its
    /// authority, schools, courses, students, school enrolments, diploma exams (with their
    /// sittings and the students' marks) and the students' transcript details with the versions the
    /// generator gives them (the same the `seed` command writes into the local PASI store),
    /// planted discrepancies included.
    /// - Parameters:
    ///   - feedLimits: Items per type, and in all, in one feed answer.
    ///   - today: PASI's date; by default February 1 of the generator's current school year, a day
    ///     on which that year is current and the next one (the district's pre-registrations) is
    ///     future (``SchoolYear/acceptedWindow(today:)``).
    /// - Throws: ``PASIModelError`` if a generated row breaks a PASI rule (a generator bug).
    public static func synthetic(_ generator: DistrictGenerator, feedLimits: FeedLimits = .documented, today: PASIDate? = nil) async throws -> Province {
        let date = try today ?? PASIDate(year: generator.currentSchoolYear.endYear, month: 2, day: 1)
        let province = Province(organization: generator.authorityCode, feedLimits: feedLimits, today: date)
        var batch: [any PASIRecord] = []
        batch.append(try SchoolAuthority(code: generator.authorityCode.number, name: "Synthetic School Division \(generator.authorityCode.number)", pasiCoreVersion: 1))
        for row in generator.pasiSchools() {
            batch.append(try School(code: OrganizationNumber(row.schoolCode), name: row.name, authorityCode: OrganizationNumber(row.authorityCode), pasiCoreVersion: row.pasiCoreVersion))
        }
        for (index, row) in generator.courses().enumerated() {
            batch.append(try Course(code: row.courseNumber, name: row.courseName, credits: row.creditHours, isDiplomaCourse: row.isDiplomaCourse, pasiCoreVersion: Int64(1_000 + index)))
        }
        await province.load(batch)
        batch.removeAll(keepingCapacity: true)
        for row in generator.pasiStudents() {
            batch.append(try student(row))
            if batch.count == 10_000 {
                await province.load(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        for row in generator.pasiEnrolments() {
            batch.append(try enrolment(row))
            if batch.count == 10_000 {
                await province.load(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        await province.load(batch)
        let diploma = generator.pasiDiplomaExams()
        await province.load(diploma.exams.map { $0 as any PASIRecord } + diploma.sittings.map { $0 as any PASIRecord }
                           + diploma.marks.map { $0 as any PASIRecord })
        await province.load(generator.pasiTranscriptDetails(from: diploma.marks))
        return province
    }

    private static func student(_ row: PASIStudentRow) throws -> Student {
        let name = try StudentName(
            refId: RefId(row.legalNameRefId), type: .legal, lastName: row.legalLastName, firstName: row.legalFirstName,
            middleName: row.legalMiddleName, isPreferred: true)
        let address = try Address(
            id: row.mailingAddressId, type: .mailing, street: row.mailingStreet, city: row.mailingCity, province: row.mailingProvince,
            country: row.mailingCountry, postalCode: row.mailingPostalCode, isPreferred: true)
        let phone = try Phone(id: row.phoneId, number: row.phoneNumber, type: "Home", isPreferred: true)
        return try Student(
            asn: ASN(row.asn, checkDigit: .ignored), names: [name], gender: Gender(rawValue: row.gender) ?? .unknown,
            birthDate: PASIDate(row.birthDate), addresses: [address], phones: [phone], pasiCoreVersion: row.pasiCoreVersion)
    }

    private static func enrolment(_ row: PASIEnrolmentRow) throws -> SchoolEnrolment {
        try SchoolEnrolment(
            refId: RefId(row.refId), asn: ASN(row.asn, checkDigit: .ignored), schoolCode: OrganizationNumber(row.schoolCode),
            schoolYear: SchoolYear(endYear: row.schoolYear), grade: GradeCode(row.grade), entryDate: PASIDate(row.entryDate),
            exitDate: row.exitDate.map(PASIDate.init), registrationType: row.registrationType,
            isDeleted: row.isDeleted, pasiCoreVersion: row.pasiCoreVersion)
    }
}
