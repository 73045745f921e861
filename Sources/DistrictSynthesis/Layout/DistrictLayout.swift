internal import PASIModel

/// One school of the synthetic district.
struct SchoolPlan: Sendable {
    /// Position in ``DistrictLayout/schools``.
    let index: Int
    /// The four-digit school code.
    let code: Int
    let name: String
    let band: SchoolBand
    /// Course Mark Integration Status: `Active`, `Inactive` or blank (high schools only).
    let courseMarkIntegrationStatus: String
    /// The School Type of the SIS's Edit School page, the switch of school-by-school initial
    /// synchronization: `Active`, `Inactive` or blank (which means Inactive).
    let schoolType: String
    /// Position among the high schools; `nil` for other bands.
    let highSchoolIndex: Int?
}

/// The district's fixed frame, small and computed once: authority, schools, years and
/// the arithmetic that numbers terms and sections. Students refer to it by index, so
/// any table can be produced without materialising another.
struct DistrictLayout: Sendable {
    /// Stream purposes of ``SplitMix64/init(seed:stream:index:)``.
    enum Stream: UInt64 {
        case layout = 1, student = 2, discrepancyPlan = 3
    }

    let authorityCode: Int
    let schools: [SchoolPlan]
    /// School indices per band, in ``SchoolBand`` order.
    let schoolsByBand: [[Int]]
    let highSchools: [Int]
    /// End years, current first: offset 0 is the current school year, 1 and 2 the
    /// historical ones.
    let endYears: [Int]

    /// Terms per school and year: the full year, then two semesters (high schools only).
    static let termsPerSchoolYear = 3

    init(students: Int, seed: UInt64, currentEndYear: Int) {
        var random = SplitMix64(seed: seed, stream: Stream.layout.rawValue, index: 0)
        authorityCode = 1000 + random.below(8000)
        endYears = [currentEndYear, currentEndYear - 1, currentEndYear - 2]
        // Roughly 500 students per elementary and junior high school and 600 per high
        // school; seven, three and three of the thirteen grades.
        let counts = [
            max(1, (students * 7 / 13 + 250) / 500),
            max(1, (students * 3 / 13 + 250) / 500),
            max(1, (students * 3 / 13 + 300) / 600),
        ]
        var schools: [SchoolPlan] = []
        var byBand: [[Int]] = [[], [], []]
        var highSchools: [Int] = []
        // School types come from a stream of their own, so adding them moved no earlier draw.
        var typeRandom = SplitMix64(seed: seed, stream: Stream.layout.rawValue, index: 2)
        for band in SchoolBand.allCases {
            for number in 1...counts[band.rawValue] {
                let index = schools.count
                let street = NamePools.streets[random.below(NamePools.streets.count)]
                var status = ""
                var highSchoolIndex: Int?
                if band == .highSchool {
                    highSchoolIndex = highSchools.count
                    highSchools.append(index)
                    // The first high school is always Active so that even a tiny
                    // district has course mark data to synchronize.
                    let draw = random.below(100)
                    status = index == byBand[0].count + byBand[1].count ? "Active" : draw < 60 ? "Active" : draw < 85 ? "Inactive" : ""
                }
                // Half the schools initialized (Active), the rest Inactive or left blank, as
                // in a district part way through school-by-school initialization.
                let typeDraw = typeRandom.below(100)
                let schoolType = typeDraw < 50 ? "Active" : typeDraw < 80 ? "Inactive" : ""
                schools.append(SchoolPlan(
                    index: index, code: 1001 + index, name: "\(street) \(band.typeName) \(number)", band: band,
                    courseMarkIntegrationStatus: status, schoolType: schoolType, highSchoolIndex: highSchoolIndex))
                byBand[band.rawValue].append(index)
            }
        }
        self.schools = schools
        self.schoolsByBand = byBand
        self.highSchools = highSchools
    }

    /// The term id of a school's term: `slot` 0 is the full year, 1 and 2 the semesters.
    func termID(yearOffset: Int, school: Int, slot: Int) -> Int {
        1 + ((yearOffset * schools.count + school) * Self.termsPerSchoolYear + slot)
    }

    /// The section id of a high school's section of a course.
    /// - Parameters:
    ///   - course: Position in ``CourseCatalogue/highSchoolCourses``.
    ///   - number: 0 ..< ``CourseCatalogue/sectionsPerCourse``.
    func sectionID(yearOffset: Int, highSchool: Int, course: Int, number: Int) -> Int {
        let courses = CourseCatalogue.highSchoolCourses.count
        return 1 + ((yearOffset * highSchools.count + highSchool) * courses + course) * CourseCatalogue.sectionsPerCourse + number
    }

    /// The semester (term slot 1 or 2) a high school course runs in; alternating keeps
    /// both semesters populated.
    static func semester(ofCourse course: Int) -> Int { 1 + course % 2 }

    /// First and last day of a term in the school year ending in `endYear`.
    static func termDays(slot: Int, endYear: Int) -> (first: Day, last: Day) {
        switch slot {
        case 1: (Day(year: endYear - 1, month: 9, day: 1), Day(year: endYear, month: 1, day: 31))
        case 2: (Day(year: endYear, month: 2, day: 1), Day(year: endYear, month: 6, day: 28))
        default: (Day(year: endYear - 1, month: 9, day: 1), Day(year: endYear, month: 6, day: 28))
        }
    }

    /// The largest district the numbering supports: school codes stay four digits and
    /// unmatched ASNs stay in their reserved range.
    static let maxStudents = 2_000_000
}
