/// One course of the synthetic district's catalogue.
///
/// Codes imitate Alberta's (three letters and four digits) but are synthetic; PASI's
/// real course list arrives from PASI itself.
struct CatalogueCourse: Sendable {
    /// Course number, e.g. `ELA3104`.
    let code: String
    /// Course name.
    let name: String
    /// Credits; `nil` for kindergarten to grade 9 courses, which carry none.
    let credits: Int?
    /// Whether the course ends in a provincial diploma exam.
    let isDiploma: Bool
    /// The grade index (0 = kindergarten … 12) of the students who take it.
    let gradeIndex: Int
}

/// The fixed course catalogue. High school courses (grades 10–12) get sections, course
/// enrolments and marks; the few lower-grade courses are listed only, as PowerSchool
/// districts usually have them without sections synchronized to PASI.
enum CourseCatalogue {
    static let courses: [CatalogueCourse] = [
        CatalogueCourse(code: "LA0600", name: "Language Arts 6", credits: nil, isDiploma: false, gradeIndex: 6),
        CatalogueCourse(code: "MA0900", name: "Mathematics 9", credits: nil, isDiploma: false, gradeIndex: 9),
        CatalogueCourse(code: "SC0900", name: "Science 9", credits: nil, isDiploma: false, gradeIndex: 9),
        CatalogueCourse(code: "ELA1105", name: "English Language Arts 10-1", credits: 5, isDiploma: false, gradeIndex: 10),
        CatalogueCourse(code: "MAT1791", name: "Mathematics 10C", credits: 5, isDiploma: false, gradeIndex: 10),
        CatalogueCourse(code: "SCN1270", name: "Science 10", credits: 5, isDiploma: false, gradeIndex: 10),
        CatalogueCourse(code: "SSN1104", name: "Social Studies 10-1", credits: 5, isDiploma: false, gradeIndex: 10),
        CatalogueCourse(code: "PED1445", name: "Physical Education 10", credits: 5, isDiploma: false, gradeIndex: 10),
        CatalogueCourse(code: "GEN1020", name: "Career and Life Management", credits: 3, isDiploma: false, gradeIndex: 10),
        CatalogueCourse(code: "ELA2104", name: "English Language Arts 20-1", credits: 5, isDiploma: false, gradeIndex: 11),
        CatalogueCourse(code: "MAT2791", name: "Mathematics 20-1", credits: 5, isDiploma: false, gradeIndex: 11),
        CatalogueCourse(code: "SCN2230", name: "Biology 20", credits: 5, isDiploma: false, gradeIndex: 11),
        CatalogueCourse(code: "SCN2796", name: "Chemistry 20", credits: 5, isDiploma: false, gradeIndex: 11),
        CatalogueCourse(code: "SCN2797", name: "Physics 20", credits: 5, isDiploma: false, gradeIndex: 11),
        CatalogueCourse(code: "SSN2104", name: "Social Studies 20-1", credits: 5, isDiploma: false, gradeIndex: 11),
        CatalogueCourse(code: "ELA3104", name: "English Language Arts 30-1", credits: 5, isDiploma: true, gradeIndex: 12),
        CatalogueCourse(code: "MAT3791", name: "Mathematics 30-1", credits: 5, isDiploma: true, gradeIndex: 12),
        CatalogueCourse(code: "SCN3230", name: "Biology 30", credits: 5, isDiploma: true, gradeIndex: 12),
        CatalogueCourse(code: "SCN3796", name: "Chemistry 30", credits: 5, isDiploma: true, gradeIndex: 12),
        CatalogueCourse(code: "SCN3797", name: "Physics 30", credits: 5, isDiploma: true, gradeIndex: 12),
        CatalogueCourse(code: "SSN3104", name: "Social Studies 30-1", credits: 5, isDiploma: true, gradeIndex: 12),
        CatalogueCourse(code: "MAT3211", name: "Mathematics 31", credits: 5, isDiploma: false, gradeIndex: 12),
    ]

    /// Indices into ``courses`` of the high school courses, the ones with sections.
    static let highSchoolCourses: [Int] = courses.indices.filter { courses[$0].gradeIndex >= 10 }

    /// Positions in ``highSchoolCourses`` of the courses of each high school grade
    /// (index 0 = grade 10).
    static let highSchoolCoursesByGrade: [[Int]] = (10...12).map { grade in
        highSchoolCourses.indices.filter { courses[highSchoolCourses[$0]].gradeIndex == grade }
    }

    /// How many courses a high school student takes in a year.
    static let coursesPerStudent = 5
    /// Sections each high school offers of each course in a year.
    static let sectionsPerCourse = 3
}
