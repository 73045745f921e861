public import PASIModel

// The diploma exams PASI holds for the synthetic district (docs/diploma-exams.md): one exam per
// diploma course and school year, in January for a first-semester course and June for a second,
// one sitting of it at each high school (its own writing centre), and a mark for every course
// enrolment of a matched student in a diploma course, with the official mark PASI blends from the
// school-awarded mark (80 %) and the exam mark (20 %) and the credits that official mark earns.
// Everything is drawn from the district seed, so the same seed gives the same records.

/// PASI's diploma exam records of a district.
public struct DiplomaExamRecords: Sendable {
    public var exams: [DiplomaExam]
    public var sittings: [DiplomaExamSitting]
    public var marks: [DiplomaExamMark]
}

extension DistrictGenerator {
    /// Stream purpose of the exam marks (beside ``DistrictLayout/Stream``).
    static let diplomaStream: UInt64 = 11

    /// The official mark PASI records for a diploma course: 80 % school-awarded, 20 % exam, rounded.
    public static func blendedMark(school: Int, exam: Int) -> Int { (school * 80 + exam * 20 + 50) / 100 }

    /// The diploma exams, their sittings and the students' marks.
    public func pasiDiplomaExams() -> DiplomaExamRecords {
        let layout = layout
        var version = versionBase + Int64(studentCount) * 8
        func nextVersion() -> Int64 { version += 1; return version }
        var exams: [DiplomaExam] = []
        var sittings: [DiplomaExamSitting] = []
        // (course position, year offset, high school) -> sitting id
        var sittingIDs: [[Int]: RefId] = [:]
        for position in CourseCatalogue.highSchoolCourses.indices {
            let course = CourseCatalogue.courses[CourseCatalogue.highSchoolCourses[position]]
            guard course.isDiploma else { continue }
            let firstSemester = DistrictLayout.semester(ofCourse: position) == 1
            for offset in layout.endYears.indices {
                let endYear = layout.endYears[offset]
                var random = SplitMix64(seed: seed, stream: Self.diplomaStream, index: UInt64(position * 16 + offset))
                let exam = try! DiplomaExam(
                    refId: RefId(guidText(random.next(), random.next())), courseCode: course.code,
                    schoolYear: SchoolYear(endYear: endYear), examPeriod: firstSemester ? "January" : "June",
                    pasiCoreVersion: nextVersion())
                exams.append(exam)
                let day = firstSemester ? Day(year: endYear, month: 1, day: 20) : Day(year: endYear, month: 6, day: 20)
                for highSchool in layout.highSchools.indices {
                    let sitting = try! DiplomaExamSitting(
                        refId: RefId(guidText(random.next(), random.next())), examRefId: exam.refId, schoolYear: exam.schoolYear,
                        sittingDate: PASIDate(day.text), writingCentre: schoolCode(layout.highSchools[highSchool]),
                        pasiCoreVersion: nextVersion())
                    sittings.append(sitting)
                    sittingIDs[[position, offset, highSchool]] = sitting.refId
                }
            }
        }
        var marks: [DiplomaExamMark] = []
        for index in 0..<studentCount {
            let student = blueprint(index)
            // PASI knows the student by the correct ASN (an unmatched one in the SIS included).
            let asn = try! ASN(asnDigits(student: index), checkDigit: .ignored)
            for item in courseEnrolmentPlans(student) {
                let course = CourseCatalogue.courses[CourseCatalogue.highSchoolCourses[item.plan.course]]
                guard course.isDiploma else { continue }
                var random = SplitMix64(seed: seed, stream: Self.diplomaStream, index: 1_000_000 + UInt64(item.id))
                let exam = random.inRange(35...98)
                let school = item.plan.percent ?? random.inRange(45...98)
                let official = Self.blendedMark(school: school, exam: exam)
                marks.append(try! DiplomaExamMark(
                    refId: RefId(guidText(random.next(), random.next())), asn: asn, courseCode: course.code,
                    schoolYear: SchoolYear(endYear: layout.endYears[item.plan.yearOffset]),
                    sittingRefId: sittingIDs[[item.plan.course, item.plan.yearOffset, item.plan.highSchool]],
                    examMark: exam, officialMark: official, creditsAwarded: official >= 50 ? (course.credits ?? 0) : 0,
                    pasiCoreVersion: nextVersion()))
            }
        }
        return DiplomaExamRecords(exams: exams, sittings: sittings, marks: marks)
    }
}
