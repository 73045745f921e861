import PASIContract
import PASIModel

/// Code values and the accepted school years: what `GetCodeValues` answers. Not part of
/// the change feed; a client asks once a day with the last version it holds.
struct ReferenceData: Sendable {
    let currentSchoolYear: SchoolYear
    let values: [CodeValue]

    init(currentSchoolYear: SchoolYear) {
        self.currentSchoolYear = currentSchoolYear
        var values: [CodeValue] = []
        func add(_ table: String, _ pairs: [(String, String)]) {
            for (code, description) in pairs {
                values.append(CodeValue(table: table, code: code, description: description, version: Int64(values.count + 1)))
            }
        }
        add("Gender", Gender.allCases.map { ($0.rawValue, $0.rawValue) })
        add("Grade", GradeCode.known.map { ($0.description, "Grade \($0.description)") })
        add("RegistrationType", [("Primary", "Primary registration"), ("Secondary", "Secondary registration")])
        add("RegistrationStatus", [("Active", "Active"), ("Completed", "Completed"), ("Created in Error", "Created in error")])
        add("EnrolmentEntryCode", [("800", "Entry")])
        add("AddressType", [("Mailing", "Mailing address"), ("Permanent", "Permanent address")])
        add("PhoneType", [("Home", "Home"), ("Cell", "Cell"), ("Work", "Work")])
        add("ExamPeriod", [("January", "January"), ("April", "April"), ("June", "June"), ("August", "August"), ("November", "November")])
        self.values = values
    }

    /// The window PASI accepts: two historical years, the current one, one future year.
    var acceptedYears: [AcceptedSchoolYear] {
        let end = currentSchoolYear.endYear
        return [(end - 2, SchoolYearStatus.historical), (end - 1, .historical), (end, .current), (end + 1, .future)]
            .compactMap { year, status in (try? SchoolYear(endYear: year)).map { AcceptedSchoolYear(schoolYear: $0, status: status) } }
    }

    func accepts(_ year: SchoolYear) -> Bool { acceptedYears.contains { $0.schoolYear == year } }

    func codeValues(since version: Int64) -> GetCodeValuesResponse {
        GetCodeValuesResponse(
            version: Int64(values.count), codeValue: values.filter { $0.version > version }, acceptedSchoolYear: acceptedYears)
    }
}
