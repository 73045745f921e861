// The SIS district's tables as lazy sequences.

extension DistrictGenerator {
    /// The schools.
    public func schools() -> some Sequence<SISSchoolRow> {
        layout.schools.lazy.map { school in
            SISSchoolRow(
                schoolNumber: schoolCode(school.index), name: school.name, schoolLevel: school.band.typeName,
                schoolType: school.schoolType,
                lowGrade: school.band.grades.lowerBound, highGrade: school.band.grades.upperBound,
                isHighSchool: school.band == .highSchool, courseMarkIntegrationStatus: school.courseMarkIntegrationStatus,
                authorityCode: pad(layout.authorityCode, 4))
        }
    }

    /// The course catalogue, diploma courses included.
    public func courses() -> some Sequence<SISCourseRow> {
        CourseCatalogue.courses.lazy.map { course in
            SISCourseRow(
                courseNumber: course.code, courseName: course.name, creditHours: course.credits,
                isDiplomaCourse: course.isDiploma, gradeLevel: course.gradeIndex)
        }
    }

    /// The terms of every school and year: the full year everywhere, two semesters at
    /// high schools.
    public func terms() -> some Sequence<SISTermRow> {
        let layout = layout
        return (0..<layout.endYears.count).lazy.flatMap { offset in
            layout.schools.lazy.flatMap { school in
                let endYear = layout.endYears[offset]
                let slots = school.band == .highSchool ? 0..<DistrictLayout.termsPerSchoolYear : 0..<1
                return slots.map { slot in
                    let days = DistrictLayout.termDays(slot: slot, endYear: endYear)
                    let abbreviation = ["YR", "S1", "S2"][slot]
                    return SISTermRow(
                        id: layout.termID(yearOffset: offset, school: school.index, slot: slot),
                        schoolID: pad(school.code, 4), schoolYear: endYear - 1,
                        name: slot == 0 ? "\(endYear - 1)-\(endYear)" : "Semester \(slot)", abbreviation: abbreviation,
                        firstDay: days.first.text, lastDay: days.last.text,
                        alternateTermCode: ["Y", "1", "2"][slot], finalMarkStoreCode: ["Y1", "S1", "S2"][slot])
                }
            }
        }
    }

    /// The sections: every high school offers every high school course in
    /// ``CourseCatalogue/sectionsPerCourse`` sections each year.
    public func sections() -> some Sequence<SISSectionRow> {
        let layout = layout
        let hsCourses = CourseCatalogue.highSchoolCourses
        return (0..<layout.endYears.count).lazy.flatMap { offset in
            layout.highSchools.enumerated().lazy.flatMap { highSchool, school in
                hsCourses.indices.flatMap { position in
                    (0..<CourseCatalogue.sectionsPerCourse).map { number in
                        let course = CourseCatalogue.courses[hsCourses[position]]
                        let endYear = layout.endYears[offset]
                        let semester = DistrictLayout.semester(ofCourse: position)
                        let code = pad(layout.schools[school].code, 4)
                        return SISSectionRow(
                            id: layout.sectionID(yearOffset: offset, highSchool: highSchool, course: position, number: number),
                            schoolID: code, courseNumber: course.code, sectionNumber: pad(number + 1, 2),
                            termID: layout.termID(yearOffset: offset, school: school, slot: semester), schoolYear: endYear - 1,
                            examRegistrationDate: course.isDiploma
                                ? (semester == 1 ? Day(year: endYear - 1, month: 11, day: 1) : Day(year: endYear, month: 3, day: 1)).text
                                : nil,
                            examWritingCentre: course.isDiploma ? code : nil)
                    }
                }
            }
        }
    }

    /// The students, one row each.
    public func students() -> some Sequence<SISStudentRow> {
        (0..<studentCount).lazy.map { sisStudent(blueprint($0)) }
    }

    /// The school enrolments of the current and the two historical years.
    public func enrolments() -> some Sequence<SISEnrolmentRow> {
        (0..<studentCount).lazy.flatMap { sisEnrolments(blueprint($0)) }
    }

    /// The high school course enrolments.
    public func courseEnrolments() -> some Sequence<SISCourseEnrolmentRow> {
        (0..<studentCount).lazy.flatMap { index in
            let student = blueprint(index)
            return courseEnrolmentPlans(student).map { item in
                let course = CourseCatalogue.courses[CourseCatalogue.highSchoolCourses[item.plan.course]]
                return SISCourseEnrolmentRow(
                    id: item.id, studentID: index + 1, sectionID: item.sectionID, schoolID: schoolCode(item.plan.school),
                    courseNumber: course.code, termID: item.termID, schoolYear: layout.endYears[item.plan.yearOffset] - 1,
                    dateEnrolled: item.enrolled.text, dateLeft: item.left.text)
            }
        }
    }

    /// The final marks of past years' course enrolments.
    public func storedGrades() -> some Sequence<SISStoredGradeRow> {
        (0..<studentCount).lazy.flatMap { index in
            courseEnrolmentPlans(blueprint(index)).compactMap { item -> SISStoredGradeRow? in
                guard let percent = item.plan.percent else { return nil }
                let course = CourseCatalogue.courses[CourseCatalogue.highSchoolCourses[item.plan.course]]
                let credits = course.credits ?? 0
                return SISStoredGradeRow(
                    id: item.id, studentID: index + 1, sectionID: item.sectionID, schoolID: schoolCode(item.plan.school),
                    courseNumber: course.code, schoolYear: layout.endYears[item.plan.yearOffset] - 1,
                    storeCode: ["Y1", "S1", "S2"][DistrictLayout.semester(ofCourse: item.plan.course)], percent: percent,
                    grade: percent >= 80 ? "A" : percent >= 65 ? "B" : percent >= 50 ? "C" : "F",
                    earnedCredits: percent >= 50 ? credits : 0, potentialCredits: credits)
            }
        }
    }

    // MARK: - Rendering one student

    func sisStudent(_ student: StudentBlueprint) -> SISStudentRow {
        let name = legalName(student)
        let gender = ["M", "F", "X"][student.gender]
        let address = mailingAddress(student, streetNumber: student.streetNumber)
        return SISStudentRow(
            id: student.index + 1, studentNumber: 100_000 + student.index + 1, stateStudentNumber: sisASN(student),
            lastName: name.last, firstName: name.first, middleName: name.middle,
            legalLastName: name.last, legalFirstName: name.first, legalMiddleName: name.middle,
            gender: gender, legalGender: gender, dob: student.birth.text, schoolID: schoolCode(student.enrolments[0].school),
            gradeLevel: student.grade, enrollStatus: 0, mailingStreet: address.street, mailingCity: address.city,
            mailingState: "AB", mailingZip: address.postalCode, homePhone: phone(student, line: student.line))
    }

    func sisEnrolments(_ student: StudentBlueprint) -> [SISEnrolmentRow] {
        student.enrolments.map { enrolment in
            SISEnrolmentRow(
                id: student.index * 4 + enrolment.yearOffset + 1, studentID: student.index + 1,
                schoolID: schoolCode(enrolment.school), schoolYear: layout.endYears[enrolment.yearOffset] - 1,
                gradeLevel: enrolment.grade, entryDate: enrolment.entry.text, exitDate: enrolment.exit?.text,
                entryCode: "800", exitCode: nil, enrollStatus: enrolment.yearOffset == 0 ? 0 : 2,
                registrationType: Self.registrationType)
        }
    }

    /// A student's course enrolments with their ids, section, term and dates. One that
    /// would start after its term ends (a student who moved in mid-year) is dropped.
    func courseEnrolmentPlans(_ student: StudentBlueprint)
        -> [(plan: CourseEnrolmentPlan, id: Int, sectionID: Int, termID: Int, enrolled: Day, left: Day)]
    {
        student.courses.enumerated().compactMap { number, plan in
            let endYear = layout.endYears[plan.yearOffset]
            let semester = DistrictLayout.semester(ofCourse: plan.course)
            let days = DistrictLayout.termDays(slot: semester, endYear: endYear)
            let enrolled = max(days.first, student.enrolments[plan.yearOffset].entry)
            guard enrolled <= days.last else { return nil }
            return (
                plan, student.index * 32 + number + 1,
                layout.sectionID(yearOffset: plan.yearOffset, highSchool: plan.highSchool, course: plan.course, number: plan.sectionNumber),
                layout.termID(yearOffset: plan.yearOffset, school: plan.school, slot: semester), enrolled, days.last
            )
        }
    }

    func legalName(_ student: StudentBlueprint) -> (first: String, middle: String?, last: String) {
        let first = student.gender == 1 ? NamePools.femaleFirst[student.firstName] : NamePools.maleFirst[student.firstName]
        let middle = student.middleName < 0 ? nil : NamePools.middle[student.middleName]
        return (first, middle, NamePools.last[student.lastName])
    }

    func mailingAddress(_ student: StudentBlueprint, streetNumber: Int) -> (street: String, city: String, postalCode: String) {
        let street = "\(streetNumber) \(NamePools.streets[student.street]) \(NamePools.streetKinds[student.streetKind])"
        // Alberta postal codes start with T: T9X 9X9.
        var bits = student.postal
        func take(_ count: Int) -> Int {
            defer { bits /= UInt64(count) }
            return Int(bits % UInt64(count))
        }
        let letters = NamePools.postalLetters
        let postal = "T\(take(10))\(letters[take(letters.count)]) \(take(10))\(letters[take(letters.count)])\(take(10))"
        return (street, NamePools.cities[student.city], postal)
    }

    func phone(_ student: StudentBlueprint, line: Int) -> String {
        "\(NamePools.areaCodes[student.areaCode])-\(student.exchange)-\(pad(line, 4))"
    }
}
