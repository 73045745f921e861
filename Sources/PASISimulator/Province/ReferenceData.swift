import PASIContract
import PASIModel

/// Code values and the accepted school years: what `GetCodeValues` answers. Not part of
/// the change feed; a client asks once a day with the last version it holds.
struct ReferenceData: Sendable {
    /// PASI's date.
    let today: PASIDate
    /// The school year under way on ``today``.
    let currentSchoolYear: SchoolYear
    let values: [CodeValue]

    init(today: PASIDate) {
        self.today = today
        currentSchoolYear = try! SchoolYear(containing: today)
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
        add("AddressType", [("Mailing", "Mailing address"), ("Physical", "Physical address")])
        add("PhoneType", [("Home", "Home"), ("Cell", "Cell"), ("Work", "Work")])
        add("ExamPeriod", [("January", "January"), ("April", "April"), ("June", "June"), ("August", "August"), ("November", "November")])
        self.values = values
    }

    /// The years PASI synchronizes and accepts: today's **calendar** year −2 … +1
    /// (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/synchronizing_data_with_pasi.html),
    /// each marked against the school year under way: from September to December that one is the
    /// window's last (no future year yet), from January to August the next one is future.
    var acceptedYears: [AcceptedSchoolYear] { Self.acceptedYears(today: today) }

    static func acceptedYears(today: PASIDate) -> [AcceptedSchoolYear] {
        guard let current = try? SchoolYear(containing: today) else { return [] }
        return SchoolYear.acceptedWindow(today: today).compactMap { end in
            guard let year = try? SchoolYear(endYear: end) else { return nil }
            let status: SchoolYearStatus = year < current ? .historical : year == current ? .current : .future
            return AcceptedSchoolYear(schoolYear: year, status: status)
        }
    }

    func accepts(_ year: SchoolYear) -> Bool { acceptedYears.contains { $0.schoolYear == year } }

    func codeValues(since version: Int64) -> GetCodeValuesResponse {
        GetCodeValuesResponse(
            version: Int64(values.count), codeValue: values.filter { $0.version > version }, acceptedSchoolYear: acceptedYears)
    }
}
