import PASIModel
import Testing

@Suite("Initial synchronization: extract files")
struct ExtractTests {
    /// The seed's header tables, copied as the seed writes them.
    static let seedStudentHeader = """
        last_name (blank if student is unmatched) |
        first_name (blank if student is unmatched) |
        middle_name (blank if student is unmatched) |
        ID (blank if student is unmatched) |
        Student_Number (blank if student is unmatched) |
        State_StudentNumber |
        S_AB_STU_X.AKASurname |
        S_AB_STU_X.AKAGivenName |
        S_AB_STU_X.AKAMiddleName |
        S_AB_STU_X.AKASuffix |
        S_AB_STU_X.AKAIsExact |
        studentcorefields.PSCORE_Legal_Last_Name |
        studentcorefields.PSCORE_Legal_First_Name |
        studentcorefields.PSCORE_Legal_Middle_Name |
        S_AB_STU_X.Suffix |
        S_AB_STU_X.IsExact |
        S_AB_STU_X.PreferredNameInd |
        Gender |
        studentcorefields.PSCORE_Legal_Gender |
        DOB |
        S_AB_STU_X.DocNumber |
        S_AB_STU_X.DocType |
        S_AB_STU_X.DocIssueDt |
        Mailing_Street |
        Mailing_City |
        Mailing_State |
        Mailing_Zip |
        S_AB_STU_X.MailingEffectiveDt |
        S_AB_STU_X.MailingExpiryDt |
        S_AB_STU_X.PermanentStreet |
        S_AB_STU_X.PermanentCity |
        S_AB_STU_X.PermanentProvince |
        S_AB_STU_X.PermanentPostalCode |
        S_AB_STU_X.PermanentCountry |
        S_AB_STU_X.PermanentEffectiveDt |
        S_AB_STU_X.PermanentExpiryDt |
        Home_Phone |
        S_AB_STU_X.PhoneExt |
        S_AB_STU_X.PhoneType |
        S_AB_STU_X.IsListable |
        S_AB_STU_X.PhoneEffectiveDt |
        S_AB_STU_X.PhoneExpiryDt |
        S_AB_STU_X.RegistrationType |
        S_AB_STU_X.ProtectedStatus |
        S_AB_STU_X.ProtectedUnder |
        S_AB_STU_X.ProtectionEffectiveDt |
        S_AB_STU_X.ProtectionExpiryDt |
        S_AB_STU_X.ProtectionRestrictions |
        S_AB_STU_X.Section23Eligibility |
        S_AB_STU_X.Citizenship |
        S_AB_STU_X.StuAuthExpDt |
        S_AB_STU_X.DeceasedStatus |
        S_AB_STU_X.DeceasedDt |
        """

    static let seedEnrolmentHeader = """
        last_name (blank if student is unmatched) |
        first_name (blank if student is unmatched) |
        middle_name (blank if student is unmatched) |
        ID (blank if student is unmatched) |
        Student_Number (blank if student is unmatched) |
        EnrollmentID (blank if student is unmatched) |
        State_StudentNumber (blank if student is unmatched) |
        SchoolID |
        School_Year |
        Grade_Level |
        EntryDate |
        ExitDate |
        Enroll_Status |
        S_AB_STU_X.RegistrationType |
        StudentID |
        EntryCode |
        ExitCode |
        S_AB_STU_X.GrantsProgram1 |
        S_AB_STU_X.GrantsProgram2 |
        S_AB_STU_X.GrantsProgram3 |
        S_AB_STU_X.SpclEduStu1 |
        S_AB_STU_X.SpclEduStu2 |
        S_AB_STU_X.EnrlType1 |
        S_AB_STU_X.EnrlType2 |
        S_AB_STU_X.EnrlType3 |
        S_AB_STU_X.FNMI |
        S_AB_STU_X.FrenchHours |
        S_AB_STU_X.ResidentBoard |
        """

    /// A seed table's column names: each line without its " |" and the remark.
    static func columns(_ table: String) -> [String] {
        table.split(separator: "\n").map { line in
            var name = String(line)
            if name.hasSuffix(" |") { name.removeLast(2) }
            return name.replacing(" (blank if student is unmatched)", with: "")
        }
    }

    @Test("the headers are the seed's lists, in its order and spelling")
    func headers() {
        #expect(InitialSyncExtract.studentHeader == Self.columns(Self.seedStudentHeader))
        #expect(InitialSyncExtract.enrolmentHeader == Self.columns(Self.seedEnrolmentHeader))
        #expect(InitialSyncExtract.studentHeader.count == 53)
        #expect(InitialSyncExtract.enrolmentHeader.count == 28)
        #expect(InitialSyncExtract.File.allCases.map(\.fileName) == [
            "pasi-init-unmatched-students.tab", "pasi-init-diff-students.tab", "pasi-init-unmatched-enrolments.tab",
            "pasi-init-diff-enrolments.tab",
        ])
        #expect(InitialSyncExtract.File.diffStudents.headerLine == Self.columns(Self.seedStudentHeader).joined(separator: "\t"))
        #expect(InitialSyncExtract.File.unmatchedEnrolments.header == InitialSyncExtract.enrolmentHeader)
    }

    /// The value of a column in a row.
    static func value(_ fields: [String], _ column: String, header: [String] = InitialSyncExtract.studentHeader) -> String? {
        header.firstIndex(of: column).map { fields[$0] }
    }

    @Test("a matched SIS student's row holds its identity and its SIS values")
    func sisStudentRow() {
        let sis = MatchingFixture.sis()
        let fields = InitialSyncExtract.studentFields(sis, identified: true)
        #expect(fields.count == InitialSyncExtract.studentHeader.count)
        #expect(Array(fields.prefix(6)) == ["Tremblay", "Élodie", "Marie", "7", "100007", MatchingFixture.asn.digits])
        #expect(Self.value(fields, "studentcorefields.PSCORE_Legal_First_Name") == "Élodie")
        #expect(Self.value(fields, "S_AB_STU_X.AKASurname") == "Tremblay-Roy")
        #expect(Self.value(fields, "Gender") == "F")
        #expect(Self.value(fields, "DOB") == "2012-03-14")
        #expect(Self.value(fields, "S_AB_STU_X.IsExact") == "1")
        #expect(Self.value(fields, "S_AB_STU_X.IsListable") == "0")
        #expect(Self.value(fields, "S_AB_STU_X.AKAIsExact") == "")
        #expect(Self.value(fields, "S_AB_STU_X.RegistrationType") == "Primary")
        #expect(Self.value(fields, "S_AB_STU_X.ProtectionRestrictions") == "NODISCLOSE")
        #expect(Self.value(fields, "S_AB_STU_X.DeceasedStatus") == "0")
    }

    @Test("an unmatched student's identity columns are blank; its data columns are still its own")
    func unmatchedStudentRow() {
        let sis = MatchingFixture.sis()
        let fields = InitialSyncExtract.studentFields(sis, identified: false)
        #expect(Array(fields.prefix(6)) == ["", "", "", "", "", MatchingFixture.asn.digits])
        #expect(fields.dropFirst(5) == InitialSyncExtract.studentFields(sis, identified: true).dropFirst(5))
        let enrolment = InitialSyncExtract.enrolmentFields(sis.enrolments[0], of: sis, identified: false)
        #expect(enrolment.count == InitialSyncExtract.enrolmentHeader.count)
        #expect(Array(enrolment.prefix(7)) == ["", "", "", "", "", "", ""])
        #expect(Array(enrolment[7...14]) == ["1001", "2024", "07", "2024-09-03", "2025-06-27", "2", "Primary", "7"])
    }

    @Test("a PASI student's row holds PASI's values, in the SIS's forms")
    func pasiStudentRow() throws {
        let fields = InitialSyncExtract.studentFields(try MatchingFixture.pasi())
        #expect(fields.count == InitialSyncExtract.studentHeader.count)
        let sisFields = InitialSyncExtract.studentFields(MatchingFixture.sis(), identified: false)
        // The fixture agrees in every field both hold; PASI keeps no registration type or
        // protected status on the student, and always knows an alias's exactness.
        let differing = InitialSyncExtract.studentHeader.indices.filter { fields[$0] != sisFields[$0] }.map { InitialSyncExtract.studentHeader[$0] }
        #expect(differing == ["S_AB_STU_X.AKAIsExact", "S_AB_STU_X.RegistrationType", "S_AB_STU_X.ProtectedStatus"])
        #expect(Self.value(fields, "S_AB_STU_X.PreferredNameInd") == "Legal")
        #expect(Self.value(fields, "S_AB_STU_X.AKAIsExact") == "0")
    }

    @Test("a PASI enrolment's row: the matched student's identity without an EnrollmentID, PASI's values")
    func pasiEnrolmentRow() throws {
        let sis = MatchingFixture.sis()
        var enrolment = try MatchingFixture.pasiEnrolments()[1]
        enrolment.extendedInfo = try SchoolEnrolment.ExtendedInfo(
            localStudentID: "100007", residentBoard: OrganizationNumber("0042"), frenchHoursOfInstruction: 120,
            enrolmentTypeCodes: ["110"], grantsProgramCodes: ["A", "B"])
        let fields = InitialSyncExtract.enrolmentFields(enrolment, of: sis)
        let header = InitialSyncExtract.enrolmentHeader
        #expect(fields.count == header.count)
        #expect(Array(fields.prefix(7)) == ["Tremblay", "Élodie", "Marie", "7", "100007", "", MatchingFixture.asn.digits])
        #expect(Self.value(fields, "SchoolID", header: header) == "1001")
        #expect(Self.value(fields, "School_Year", header: header) == "2025")
        // https://extranet.education.alberta.ca/pasidevnet/docs/Business/registration_status.html: a 2020-endpoint
        // enrolment has no Registration Status, so the column is blank for a PASI enrolment.
        #expect(Self.value(fields, "Enroll_Status", header: header) == "")
        #expect(Self.value(fields, "StudentID", header: header) == "100007")
        #expect(Self.value(fields, "S_AB_STU_X.GrantsProgram2", header: header) == "B")
        #expect(Self.value(fields, "S_AB_STU_X.GrantsProgram3", header: header) == "")
        #expect(Self.value(fields, "S_AB_STU_X.EnrlType1", header: header) == "110")
        #expect(Self.value(fields, "S_AB_STU_X.FrenchHours", header: header) == "120")
        #expect(Self.value(fields, "S_AB_STU_X.ResidentBoard", header: header) == "0042")
        #expect(InitialSyncExtract.enrolmentFields(enrolment, of: nil).prefix(7).allSatisfy { $0.isEmpty })
    }

    @Test("tabs and line breaks inside a value do not break the format")
    func cleanValues() {
        var sis = MatchingFixture.sis()
        sis.demographics.mailingStreet = "12\tJasper\r\nAvenue"
        let entry = InitialSyncExtract.Entry(file: .diffStudents, record: .sisStudent(sis, identified: true))
        #expect(entry.line.split(separator: "\t", omittingEmptySubsequences: false).count == InitialSyncExtract.studentHeader.count)
        #expect(!entry.line.contains("\n") && !entry.line.contains("\r"))
        #expect(entry.line.contains("12 Jasper  Avenue") || entry.line.contains("12 Jasper Avenue"))
        #expect(InitialSyncExtract.clean("a\u{2028}b\u{0}c") == "a b c")
    }
}
