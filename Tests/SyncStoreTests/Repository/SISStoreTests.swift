import PASIModel
import PostgresNIO
import SyncStore
import Testing
import PasisyncTesting

@Suite("The SIS side's repository")
struct SISStoreTests {
    static func store(_ database: TestDatabase) -> SISStore { SISStore(client: database.client, logger: TestEnvironment.logger) }

    /// A student with a past and a current enrolment at school 1042; returns (student id, current enrolment id).
    static func addEnrolledStudent(_ database: TestDatabase, number: Int, asn: String?) async throws -> (Int, Int) {
        let id = try await database.addStudent(number: number, asn: asn)
        try await database.execute("""
            UPDATE sis.students SET legal_last_name = 'Doe', legal_first_name = 'Jane', gender = 'F', dob = '2010-02-03',
                mailing_street = '1 Main Street', mailing_city = 'Calgary', mailing_state = 'AB', mailing_zip = 'T2P 1J9',
                home_phone = '403-555-0100'
            WHERE id = \(id)
            """)
        try await database.execute("""
            INSERT INTO sis.enrolments (student_id, school_id, school_year, grade_level, entry_date, exit_date, enroll_status, is_current)
            VALUES (\(id), 1042, 2024, '09', '2024-09-03', '2025-06-27', 2, false)
            """)
        let current = try await database.scalar("""
            INSERT INTO sis.enrolments (student_id, school_id, school_year, grade_level, entry_date, enroll_status, is_current,
                                        registration_type)
            VALUES (\(id), 1042, 2025, '10', '2025-09-02', 0, true, 'Primary') RETURNING id
            """, as: Int.self)
        return (id, current)
    }

    @Test("a student reads back with their enrolments, school years converted to PASI's end year")
    func readsStudentWithEnrolments() async throws {
        try await TestDatabase.with { database in
            try await database.addSchool(id: 1042, status: "Active")
            let asn = PASIFixtures.asn(7)
            let (id, current) = try await Self.addEnrolledStudent(database, number: 5001, asn: asn.digits)
            let student = try #require(try await Self.store(database).student(id: id))
            #expect(student.id == id)
            #expect(student.studentNumber == 5001)
            #expect(student.asn == asn)
            #expect((student.lastName, student.firstName, student.middleName) == ("Doe", "Jane", nil))
            #expect(student.demographics == SISDemographics(
                legalLastName: "Doe", legalFirstName: "Jane", gender: .female, birthDate: PASIFixtures.date("2010-02-03"),
                mailingStreet: "1 Main Street", mailingCity: "Calgary", mailingProvince: "AB", mailingPostalCode: "T2P 1J9",
                homePhone: "403-555-0100"))
            #expect(student.enrolments.map(\.schoolYear.endYear) == [2025, 2026])
            let enrolment = try #require(student.enrolments.last)
            #expect(enrolment == SISEnrolment(
                id: current, studentID: id, schoolID: 1042, schoolCode: try OrganizationNumber("1042"),
                schoolYear: try SchoolYear(endYear: 2026), grade: try GradeCode("10"), entryDate: PASIFixtures.date("2025-09-02"),
                enrollStatus: 0, isCurrent: true, registrationType: "Primary"))
            #expect(student.enrolments.first?.exitDate == PASIFixtures.date("2025-06-27"))
            #expect(try await Self.store(database).studentID(asn: asn) == id)
            #expect(try await Self.store(database).student(id: id + 100) == nil)
        }
    }

    @Test("a batch of ids reads each student with their own enrolments, in id order, skipping unknown ids")
    func readsBatch() async throws {
        try await TestDatabase.with { database in
            try await database.addSchool(id: 1042, status: nil)
            var ids: [Int] = []
            for number in 1...30 {
                ids.append(try await Self.addEnrolledStudent(database, number: number, asn: PASIFixtures.asn(number).digits).0)
            }
            let students = try await Self.store(database).students(ids: ids.reversed() + [999_999])
            #expect(students.map(\.id) == ids.sorted())
            #expect(students.allSatisfy { student in student.enrolments.count == 2 && student.enrolments.allSatisfy { $0.studentID == student.id } })
            #expect(try await Self.store(database).students(ids: []).isEmpty)
        }
    }

    @Test("demographics, ASN and exit date writes land in sis and leave data events while monitoring is on")
    func writes() async throws {
        try await TestDatabase.with { database in
            try await database.addSchool(id: 1042, status: "Active")
            let (id, current) = try await Self.addEnrolledStudent(database, number: 1, asn: nil)
            try await database.setEventMonitoring(true)
            let store = Self.store(database)
            var demographics = try #require(try await store.student(id: id)).demographics
            demographics.legalLastName = "Smith"
            demographics.gender = .unspecified
            demographics.birthDate = PASIFixtures.date("2010-02-04")
            demographics.citizenship = "Canadian"
            try await store.updateDemographics(studentID: id, to: demographics)
            try await store.setASN(studentID: id, to: PASIFixtures.asn(3))
            try await store.setExitDate(enrolmentID: current, to: PASIFixtures.date("2026-01-30"))

            let student = try #require(try await store.student(id: id))
            #expect(student.demographics == demographics)
            #expect(student.asn == PASIFixtures.asn(3))
            #expect(student.enrolments.last?.exitDate == PASIFixtures.date("2026-01-30"))
            #expect(try await database.scalar("SELECT gender FROM sis.students WHERE id = \(id)", as: String.self) == "X")

            // Writing the same demographics again changes nothing, so it writes no event; clearing the exit date does.
            try await store.updateDemographics(studentID: id, to: demographics)
            try await store.setExitDate(enrolmentID: current, to: nil)
            #expect(try await database.dataEvents() == [
                EventRow(table: "sis.students", key: String(id), operation: "U", columns: ["citizenship", "dob", "gender", "legal_last_name"]),
                EventRow(table: "sis.students", key: String(id), operation: "U", columns: ["asn"]),
                EventRow(table: "sis.enrolments", key: String(current), operation: "U", columns: ["exit_date"]),
                EventRow(table: "sis.enrolments", key: String(current), operation: "U", columns: ["exit_date"]),
            ])
        }
    }

    @Test("a write to an unknown id says which row is missing; a bad value names the rule it breaks")
    func refusedWrites() async throws {
        try await TestDatabase.with { database in
            try await database.addSchool(id: 1042, status: nil)
            let (_, current) = try await Self.addEnrolledStudent(database, number: 1, asn: nil)
            let store = Self.store(database)
            let missing = await #expect(throws: SyncStoreError.self) {
                try await store.updateDemographics(studentID: 4_242, to: SISDemographics())
            }
            #expect(missing?.code == .notFound)
            #expect(missing?.description == "sis.students has no student 4242")
            await #expect(throws: SyncStoreError.self) { try await store.setExitDate(enrolmentID: 4_242, to: nil) }
            do {
                try await store.setExitDate(enrolmentID: current, to: PASIFixtures.date("2025-01-01"))
                Issue.record("an exit date before the entry date was accepted")
            } catch let error as PSQLError {
                #expect(error.serverInfo?[.constraintName] == "exit_date_not_before_entry_date")
            }
        }
    }
}
