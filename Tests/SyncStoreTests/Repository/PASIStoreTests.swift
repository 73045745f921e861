import DistrictSynthesis
import PASIModel
import PostgresNIO
import SyncStore
import Testing
import PasisyncTesting

@Suite("The local PASI store's repository")
struct PASIStoreTests {
    static func store(_ database: TestDatabase) -> PASIStore { PASIStore(client: database.client, logger: TestEnvironment.logger) }

    @Test("every entity reads back by key exactly as it was stored")
    func roundTrips() async throws {
        try await TestDatabase.with { database in
            let store = Self.store(database)
            let student = try PASIFixtures.student(1)
            let enrolment = try PASIFixtures.schoolEnrolment(1)
            let school = try PASIFixtures.schoolRecord()
            let course = try PASIFixtures.course()
            let section = try PASIFixtures.section(1)
            let courseEnrolment = try PASIFixtures.courseEnrolment(1)
            let mark = try PASIFixtures.evaluatedMark(1)

            #expect(try await store.upsert(student) == .stored)
            #expect(try await store.upsert(enrolment) == .stored)
            #expect(try await store.upsert(school) == .stored)
            #expect(try await store.upsert(course) == .stored)
            #expect(try await store.upsert(section) == .stored)
            #expect(try await store.upsert(courseEnrolment) == .stored)
            #expect(try await store.upsert(mark) == .stored)

            #expect(try await store.student(asn: student.asn) == student)
            #expect(try await store.schoolEnrolment(refId: enrolment.refId) == enrolment)
            #expect(try await store.schoolEnrolments(asn: student.asn) == [enrolment])
            #expect(try await store.school(code: school.code) == school)
            #expect(try await store.course(code: course.code) == course)
            #expect(try await store.section(refId: section.refId) == section)
            #expect(try await store.courseEnrolment(refId: courseEnrolment.refId) == courseEnrolment)
            #expect(try await store.evaluatedMark(refId: mark.refId) == mark)

            // Keys not held read as nothing.
            #expect(try await store.student(asn: PASIFixtures.asn(2)) == nil)
            #expect(try await store.section(refId: PASIFixtures.refId(99, 4)) == nil)
            // Child rows carry the student's version.
            #expect(try await database.scalar(
                "SELECT count(*) FROM pasi.student_names WHERE asn = \(student.asn.digits) AND pasi_core_version = 1", as: Int.self) == 2)
        }
    }

    @Test("an older version is refused and the newer copy kept; the same or a newer version replaces it")
    func staleVersionIsRefused() async throws {
        try await TestDatabase.with { database in
            let store = Self.store(database)
            let newer = try PASIFixtures.student(1, version: 5, lastName: "Newer")
            #expect(try await store.upsert(newer) == .stored)
            #expect(try await store.upsert(PASIFixtures.student(1, version: 4, lastName: "Older")) == .refused(storedVersion: 5))
            #expect(try await store.student(asn: newer.asn) == newer)
            #expect(try await database.scalar(
                "SELECT string_agg(last_name, ',' ORDER BY ref_id) FROM pasi.student_names WHERE asn = \(newer.asn.digits)",
                as: String.self) == "Newer,Tremblay-Roy")

            var sameVersion = newer
            sameVersion.names[0].lastName = "Same"
            #expect(try await store.upsert(sameVersion) == .stored)
            #expect(try await store.student(asn: newer.asn)?.legalName?.lastName == "Same")
            // A replaced student's names, addresses and phones are those of the new copy only.
            var fewer = sameVersion
            fewer.pasiCoreVersion = 6
            fewer.names.removeLast()
            fewer.phones = []
            #expect(try await store.upsert(fewer) == .stored)
            #expect(try await store.student(asn: newer.asn) == fewer)
            #expect(try await database.scalar(
                "SELECT count(*) FROM pasi.student_phones WHERE asn = \(newer.asn.digits)", as: Int.self) == 0)

            let section = try PASIFixtures.section(1, version: 10)
            #expect(try await store.upsert(section) == .stored)
            var older = try PASIFixtures.section(1, version: 9)
            older.termCode = "S2"
            #expect(try await store.upsert(older) == .refused(storedVersion: 10))
            #expect(try await store.section(refId: section.refId) == section)
            var later = section
            later.termCode = "S2"
            later.pasiCoreVersion = 11
            #expect(try await store.upsert(later) == .stored)
            #expect(try await store.section(refId: section.refId) == later)
        }
    }

    @Test("versions lists (id, version) per type in key order, per school year for year-scoped types")
    func versionsPerType() async throws {
        try await TestDatabase.with { database in
            let store = Self.store(database)
            let earlier = try SchoolYear(endYear: 2025)
            _ = try await store.upsert([
                try PASIFixtures.schoolEnrolment(2, version: 7), try PASIFixtures.schoolEnrolment(1, version: 3),
                try PASIFixtures.schoolEnrolment(3, version: 9, year: earlier),
            ])
            _ = try await store.upsert([try PASIFixtures.student(1, version: 4), try PASIFixtures.student(2, version: 6)])
            let all = try await store.versions(of: .schoolEnrolment)
            #expect(all == [
                FeedItem(id: PASIFixtures.refId(1, 3).value, version: 3),
                FeedItem(id: PASIFixtures.refId(2, 3).value, version: 7),
                FeedItem(id: PASIFixtures.refId(3, 3).value, version: 9),
            ])
            #expect(try await store.versions(of: .schoolEnrolment, schoolYear: earlier) == [all[2]])
            #expect(try await store.versions(of: .student) == [
                FeedItem(id: PASIFixtures.asn(1).digits, version: 4), FeedItem(id: PASIFixtures.asn(2).digits, version: 6),
            ])
            // A type without years ignores the year.
            #expect(try await store.versions(of: .student, schoolYear: earlier).count == 2)
            #expect(try await store.versions(of: .course).isEmpty)
        }
    }

    @Test("delete removes a record by key, and a student's names, addresses and phones with them")
    func deletes() async throws {
        try await TestDatabase.with { database in
            let store = Self.store(database)
            let student = try PASIFixtures.student(1)
            _ = try await store.upsert(student)
            _ = try await store.upsert(try PASIFixtures.section(1))
            #expect(try await store.delete(.student, id: student.asn.digits))
            #expect(try await !store.delete(.student, id: student.asn.digits))
            #expect(try await store.student(asn: student.asn) == nil)
            for table in ["pasi.student_names", "pasi.student_addresses", "pasi.student_phones"] {
                #expect(try await database.scalar(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table)"), as: Int.self) == 0)
            }
            #expect(try await store.delete(.section, ids: [PASIFixtures.refId(1, 4).value, PASIFixtures.refId(2, 4).value]) == 1)
            #expect(try await store.versions(of: .section).isEmpty)
        }
    }

    @Test("the bulk path stores 5,000 students and 5,000 course enrolments, then refuses an older copy of half of them")
    func bulkUpserts() async throws {
        try await TestDatabase.with { database in
            let store = Self.store(database)
            let count = 5_000
            let students = try (0..<count).map { try PASIFixtures.student($0, version: 10) }
            let enrolments = try (0..<count).map { try PASIFixtures.courseEnrolment($0, version: 10) }
            #expect(try await store.upsert(students) == UpsertResult(stored: count, refused: []))
            #expect(try await store.upsert(enrolments) == UpsertResult(stored: count, refused: []))
            #expect(try await store.versions(of: .student).count == count)
            #expect(try await store.versions(of: .courseEnrolment).count == count)
            #expect(try await database.scalar("SELECT count(*) FROM pasi.student_addresses", as: Int.self) == 2 * count)

            // Even keys come back older (refused), odd keys newer (stored).
            let mixed = try (0..<count).map { try PASIFixtures.courseEnrolment($0, version: $0.isMultiple(of: 2) ? 9 : 11) }
            let result = try await store.upsert(mixed)
            #expect(result.stored == count / 2)
            #expect(result.refused.count == count / 2)
            #expect(result.refused.allSatisfy { $0.version == 10 })
            let versions = try await store.versions(of: .courseEnrolment)
            #expect(Set(versions.map(\.version)) == [10, 11])
            #expect(versions.filter { $0.version == 11 }.count == count / 2)

            let read = try await store.students(asns: students.prefix(100).map(\.asn))
            #expect(read == Array(students.prefix(100)).sorted { $0.asn < $1.asn })
        }
    }

    @Test("the students of a seeded district read back through the repository")
    func readsSeededStudents() async throws {
        try await TestDatabase.with { database in
            let generator = DistrictGenerator(students: 200, seed: 11)
            _ = try await DistrictLoader(client: database.client, logger: TestEnvironment.logger).load(generator)
            let store = Self.store(database)
            let rows = Array(generator.pasiStudents().prefix(20))
            let students = try await store.students(asns: rows.map { try ASN($0.asn, checkDigit: .ignored) })
            #expect(students.count == 20)
            for (student, row) in zip(students, rows.sorted { $0.asn < $1.asn }) {
                #expect(student.asn.digits == row.asn)
                #expect(student.legalName?.lastName == row.legalLastName)
                #expect(student.birthDate?.description == row.birthDate)
                #expect(student.addresses.first?.street == row.mailingStreet)
                #expect(student.phones.first?.number == row.phoneNumber)
                #expect(student.pasiCoreVersion == row.pasiCoreVersion)
            }
            let enrolments = try await store.schoolEnrolments(asn: students[0].asn)
            #expect(!enrolments.isEmpty)
            #expect(try await store.versions(of: .schoolEnrolment).count == Array(generator.pasiEnrolments()).count)
        }
    }
}
