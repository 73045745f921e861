import PASIModel
import SyncStore

/// SIS students (with their school enrolments) matched and compared with the local PASI store
/// (``PASIModel/InitialSyncComparison``), as Initial Synchronization compares a batch and as PASI
/// Data Available compares the students PASI changed: one comparison, so that both processes find
/// the same discrepancy under the same subject, and either clears it when it sees the two agree.
struct SISComparison: Sendable {
    let environment: SyncEnvironment
    let store: InitialSyncStore

    init(environment: SyncEnvironment, store: InitialSyncStore) {
        self.environment = environment
        self.store = store
    }

    /// Compares the SIS students with these ids for the synchronization years.
    func compare(studentIDs: [Int], years: SynchronizationYears) async throws -> (students: [SISStudent], result: InitialSyncComparison.Result) {
        try await compare(studentIDs: studentIDs, inYears: Set(years.years))
    }

    /// Compares them for these years (Core Alerts Reconciliation adds the years of its alerts).
    func compare(studentIDs: [Int], inYears years: Set<SchoolYear>) async throws -> (students: [SISStudent], result: InitialSyncComparison.Result) {
        let smart = try await environment.settings.value(of: .smartAddressMatch) == .bool(true)
        let students = try await environment.sis.students(ids: studentIDs)
        let pasi = try await pasiSide(of: students)
        let existing = try await store.studentMatches(studentIDs: studentIDs, orASNs: pasi.students.map(\.asn))
        let enrolmentMatches = try await store.enrolmentMatches(enrolmentIDs: students.flatMap { $0.enrolments.map(\.id) })
        let result = InitialSyncComparison.compare(
            sis: students, pasi: pasi.students, pasiEnrolments: pasi.enrolments, existingMatches: existing,
            existingEnrolmentMatches: enrolmentMatches, authoritySchools: try await authoritySchools(),
            years: years, smartAddressMatch: smart)
        return (students, result)
    }

    /// The PASI students and enrolments a batch is compared with: those its ASNs and earlier
    /// matches name, and the demographic candidates (same legal last name and birth date).
    private func pasiSide(of students: [SISStudent]) async throws -> (students: [Student], enrolments: [SchoolEnrolment]) {
        let matched = try await store.studentMatches(studentIDs: students.map(\.id))
        var asns = Set(students.compactMap(\.asn)).union(matched.values)
        let held = try await store.heldASNs(Array(asns))
        let unknown = students.filter { student in !(student.asn.map { held.contains($0.digits) } ?? false) && matched[student.id] == nil }
        let pairs = unknown.compactMap { student -> (lastName: String, birthDate: PASIDate)? in
            guard let birth = student.demographics.birthDate else { return nil }
            return (student.demographics.legalLastName ?? student.lastName, birth)
        }
        asns.formUnion(try await store.candidateASNs(lastNamesAndBirthDates: pairs))
        let pasiStudents = try await environment.pasiStore.students(asns: Array(asns))
        let enrolments = try await environment.pasiStore.schoolEnrolments(asns: pasiStudents.map(\.asn))
        return (pasiStudents, enrolments)
    }

    func authoritySchools() async throws -> Set<OrganizationNumber> {
        let code = try await environment.settings.value(of: .organizationCode).description
        return try await store.authoritySchools(authority: try? OrganizationCode.authority(code, field: "organization_code").number)
    }
}
