import DistrictSynthesis
import PASIModel
import Testing

/// Compares the two data sets directly, the way the initial synchronization will, and
/// checks the result against the generator's own report.
@Suite struct DiscrepancyTests {
    /// The differences found by joining the SIS and PASI rows; written without the
    /// generator's bookkeeping.
    static func compare(_ generator: DistrictGenerator) -> [DiscrepancyKind: Set<DiscrepancyKey>] {
        var found: [DiscrepancyKind: Set<DiscrepancyKey>] = [:]
        func add(_ kind: DiscrepancyKind, _ key: DiscrepancyKey) { found[kind, default: []].insert(key) }

        let pasiStudents = Dictionary(uniqueKeysWithValues: generator.pasiStudents().map { ($0.asn, $0) })
        let genders = ["M": "Male", "F": "Female", "X": "Unspecified"]
        var asnOfStudent: [Int: String] = [:]
        for sis in generator.students() {
            asnOfStudent[sis.id] = sis.stateStudentNumber
            let key = DiscrepancyKey(asn: sis.stateStudentNumber)
            guard let pasi = pasiStudents[sis.stateStudentNumber] else {
                add(.unmatchedASN, key)
                continue
            }
            if (sis.legalLastName, sis.legalFirstName, sis.legalMiddleName) != (pasi.legalLastName, pasi.legalFirstName, pasi.legalMiddleName) {
                add(.legalName, key)
            }
            if genders[sis.legalGender] != pasi.gender { add(.gender, key) }
            if sis.dob != pasi.birthDate { add(.birthDate, key) }
            if (sis.mailingStreet, sis.mailingCity, sis.mailingState, sis.mailingZip)
                != (pasi.mailingStreet, pasi.mailingCity, pasi.mailingProvince, pasi.mailingPostalCode) {
                add(.mailingAddress, key)
            }
            if sis.homePhone != pasi.phoneNumber { add(.phone, key) }
        }

        // Enrolments are compared only for students matched by ASN: an unmatched
        // student's enrolments are the unmatched ASN conflict, not separate ones.
        let matched = Set(asnOfStudent.values).intersection(pasiStudents.keys)
        var sisEnrolments: [DiscrepancyKey: String?] = [:]
        for row in generator.enrolments() {
            let asn = asnOfStudent[row.studentID]!
            guard matched.contains(asn) else { continue }
            let key = DiscrepancyKey(asn: asn, schoolCode: row.schoolID, schoolYear: row.schoolYear + 1)
            #expect(sisEnrolments.updateValue(row.exitDate, forKey: key) == nil, "duplicate SIS enrolment \(key)")
        }
        var pasiEnrolments: [DiscrepancyKey: String?] = [:]
        for row in generator.pasiEnrolments() where matched.contains(row.asn) {
            let key = DiscrepancyKey(asn: row.asn, schoolCode: row.schoolCode, schoolYear: row.schoolYear)
            #expect(pasiEnrolments.updateValue(row.exitDate, forKey: key) == nil, "duplicate PASI enrolment \(key)")
        }
        for (key, exit) in sisEnrolments {
            guard let pasiExit = pasiEnrolments[key] else {
                add(.enrolmentMissingInPASI, key)
                continue
            }
            if exit != pasiExit { add(.enrolmentExitDate, key) }
        }
        for key in pasiEnrolments.keys where sisEnrolments[key] == nil { add(.enrolmentMissingInSIS, key) }
        return found
    }

    @Test(arguments: [(1_000, UInt64(42)), (1_000, 7), (3_000, 2026)])
    func reportEqualsDirectComparison(students: Int, seed: UInt64) {
        let generator = DistrictGenerator(students: students, seed: seed)
        let report = generator.discrepancyReport
        let found = Self.compare(generator)
        for kind in DiscrepancyKind.allCases {
            #expect(report.counts[kind] == generator.discrepanciesPerKind, "\(kind)")
            #expect(Set(report.keys[kind] ?? []) == (found[kind] ?? []), "\(kind)")
        }
        #expect(report.total == DiscrepancyKind.allCases.count * generator.discrepanciesPerKind)
    }

    @Test func unmatchedStudentsArePresentInPASIUnderAnotherASN() {
        let sisASNs = Set(smallDistrict.students().map(\.stateStudentNumber))
        let pasiOnly = smallDistrict.pasiStudents().filter { !sisASNs.contains($0.asn) }
        #expect(pasiOnly.count == smallDistrict.discrepanciesPerKind)
    }

    @Test func rateIsConfigurableAndZeroMeansIdentical() {
        let clean = DistrictGenerator(students: 500, seed: 1, discrepanciesPerThousand: 0)
        #expect(clean.discrepancyReport.total == 0)
        #expect(Self.compare(clean).values.allSatisfy { $0.isEmpty })
        let dense = DistrictGenerator(students: 500, seed: 1, discrepanciesPerThousand: 50)
        #expect(dense.discrepanciesPerKind == 25)
        #expect(Self.compare(dense).mapValues(\.count) == dense.discrepancyReport.counts.filter { $0.value > 0 })
    }

    @Test func kindsMapToConflictTypes() {
        #expect(DiscrepancyKind.unmatchedASN.conflictType == .unmatchedASN)
        #expect(DiscrepancyKind.enrolmentMissingInSIS.conflictType.statusType == .enrolment)
        #expect(DiscrepancyKind.phone.conflictType.statusType == .student)
        #expect(smallDistrict.discrepancyReport.summaryLines.count == DiscrepancyKind.allCases.count)
    }
}
