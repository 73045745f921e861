/// One school enrolment of a student, before rendering.
struct EnrolmentPlan: Sendable {
    /// 0 = current school year, 1 and 2 = historical.
    let yearOffset: Int
    let grade: Int
    /// Position in ``DistrictLayout/schools``.
    let school: Int
    let entry: Day
    /// `nil` while the student is still enrolled (current year).
    let exit: Day?
    /// The 128 bits of the enrolment's PASI RefId.
    let ref: (UInt64, UInt64)
}

/// One high school course enrolment of a student, before rendering.
struct CourseEnrolmentPlan: Sendable {
    let yearOffset: Int
    /// Position in ``DistrictLayout/schools``.
    let school: Int
    /// Position among the high schools.
    let highSchool: Int
    /// Position in ``CourseCatalogue/highSchoolCourses``.
    let course: Int
    /// 0 ..< ``CourseCatalogue/sectionsPerCourse``.
    let sectionNumber: Int
    /// The final mark; only historical years have one.
    let percent: Int?
}

/// Everything about one student as numbers and indices, drawn from the student's own
/// random stream. Each table's sequence rebuilds the blueprints it needs instead of
/// keeping 100,000 of them, which keeps memory flat; strings are made only when a row
/// is rendered.
struct StudentBlueprint: Sendable {
    let index: Int
    /// 0 male, 1 female, 2 unspecified.
    let gender: Int
    let firstName: Int
    /// -1 when the student has no middle name.
    let middleName: Int
    let lastName: Int
    let birth: Day
    let streetNumber: Int
    let street: Int
    let streetKind: Int
    let city: Int
    let postal: UInt64
    let areaCode: Int
    let exchange: Int
    let line: Int
    /// Current grade index.
    let grade: Int
    /// Current year first, then older years.
    let enrolments: [EnrolmentPlan]
    let courses: [CourseEnrolmentPlan]
    /// Spare random bits the planted discrepancies draw their altered values from.
    let alteration: UInt64
    /// RefId bits of the student's legal name in PASI.
    let nameRef: (UInt64, UInt64)
    /// RefId bits of the extra PASI enrolment planted for ``DiscrepancyKind/enrolmentMissingInSIS``.
    let extraRef: (UInt64, UInt64)

    // The order of draws below is part of the output's definition: changing it changes
    // every district, so new fields must be drawn after the existing ones.
    init(index: Int, seed: UInt64, layout: DistrictLayout) {
        var random = SplitMix64(seed: seed, stream: DistrictLayout.Stream.student.rawValue, index: UInt64(index))
        self.index = index
        alteration = random.next()
        nameRef = (random.next(), random.next())
        extraRef = (random.next(), random.next())
        let genderDraw = random.below(100)
        gender = genderDraw < 49 ? 0 : genderDraw < 98 ? 1 : 2
        let firstPool = gender == 1 ? NamePools.femaleFirst.count : NamePools.maleFirst.count
        firstName = random.below(firstPool)
        middleName = random.chance(perThousand: 700) ? random.below(NamePools.middle.count) : -1
        lastName = random.below(NamePools.last.count)
        grade = random.below(13)
        let currentEndYear = layout.endYears[0]
        // A student is five on 1 September of kindergarten (born in the calendar year
        // five years before the school year starts), a year older per grade.
        birth = Day(year: currentEndYear - 1 - 5 - grade, month: random.inRange(1...12), day: random.inRange(1...28))
        streetNumber = random.inRange(1...9999)
        street = random.below(NamePools.streets.count)
        streetKind = random.below(NamePools.streetKinds.count)
        city = random.below(NamePools.cities.count)
        postal = random.next()
        areaCode = random.below(NamePools.areaCodes.count)
        exchange = random.inRange(200...999)
        line = random.below(10_000)
        let home = random.next()

        // Enrolled in the district for up to three years (never before kindergarten);
        // one in ten moved in more recently.
        let possible = min(2, grade)
        var oldest = possible
        if oldest > 0, random.chance(perThousand: 100) { oldest = random.below(oldest) }
        var enrolments: [EnrolmentPlan] = []
        var courses: [CourseEnrolmentPlan] = []
        for offset in 0...oldest {
            let gradeThen = grade - offset
            let endYear = layout.endYears[offset]
            let band = SchoolBand.of(grade: gradeThen)
            let candidates = layout.schoolsByBand[band.rawValue]
            // The same home keeps a student in the same school of a band across years.
            let school = candidates[Int((home >> (UInt64(band.rawValue) * 20)) % UInt64(candidates.count))]
            let entry: Day
            if offset == oldest, oldest < possible {
                let month = [10, 11, 1, 2][random.below(4)]
                entry = Day(year: month >= 9 ? endYear - 1 : endYear, month: month, day: random.inRange(1...28))
            } else {
                entry = Day(year: endYear - 1, month: 9, day: random.inRange(1...3))
            }
            let exit = offset == 0 ? nil : Day(year: endYear, month: 6, day: random.inRange(25...28))
            enrolments.append(EnrolmentPlan(
                yearOffset: offset, grade: gradeThen, school: school, entry: entry, exit: exit,
                ref: (random.next(), random.next())))
            if band == .highSchool, let highSchool = layout.schools[school].highSchoolIndex {
                var offered = CourseCatalogue.highSchoolCoursesByGrade[gradeThen - 10]
                for pick in 0..<min(CourseCatalogue.coursesPerStudent, offered.count) {
                    offered.swapAt(pick, pick + random.below(offered.count - pick))
                    courses.append(CourseEnrolmentPlan(
                        yearOffset: offset, school: school, highSchool: highSchool, course: offered[pick],
                        sectionNumber: random.below(CourseCatalogue.sectionsPerCourse),
                        percent: offset == 0 ? nil : random.inRange(35...99)))
                }
            }
        }
        self.enrolments = enrolments
        self.courses = courses
    }
}
