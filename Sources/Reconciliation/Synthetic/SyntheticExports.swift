/// A pair of Course Marks exports made up for the benchmark and for tests of size: Before Delete
/// and After Upload files of `records` course enrolments each, where 1 % of the pairs differ in a
/// mark, 1 % of the Before records are missing After, and as many new records are added. Every
/// field is quoted, some values hold commas, quotes and (every 997th comment) a line break; one
/// course in eight is held in two terms. Deterministic: the same arguments give the same bytes.
public enum SyntheticExports {
    /// The columns written: the required ones among others, in PASIprep's list order.
    public static let columns = [
        "ASN", "Student Name", "School Code", "Code", "Course Description", "Credits Attempted", "Section Description",
        "Term", "Entry Date", "Exit Date", "Value", "Assignment Date", "Approved?", "Status", "Funding Requested?", "Comment",
    ]

    /// What the two files hold by construction.
    public struct Expected: Sendable, Hashable {
        public var perfectlyMatched = 0
        public var matchedWithDataDifferences = 0
        public var addedNewToPASI = 0
        public var missingFromPASI = 0
    }

    /// Writes `YYYY-NNNN-CM-BeforeDelete.csv` and `…-AfterUpload.csv` into `directory`.
    /// - Returns: The two paths and the counts per status a correct reconciliation finds.
    public static func writeCourseMarks(records: Int, directory: String, schoolYear: String = "2025", school: String = "1234") throws(ReconciliationError) -> (before: String, after: String, expected: Expected) {
        let before = "\(directory)/\(schoolYear)-\(school)-CM-BeforeDelete.csv"
        let after = "\(directory)/\(schoolYear)-\(school)-CM-AfterUpload.csv"
        let b = try OutputFile(path: before), a = try OutputFile(path: after)
        var expected = Expected()
        do throws(ReconciliationError) {
            let header = columns.map { "\"\($0)\"" }.joined(separator: ",") + "\r\n"
            b.append(header)
            a.append(header)
            var row: [UInt8] = []
            for i in 0..<records {
                let slot = i % 100
                if slot == 1 {
                    // Missing from PASI: only before.
                    record(i, changed: false, into: &row)
                    b.append(row)
                    expected.missingFromPASI += 1
                } else if slot == 0 {
                    record(i, changed: false, into: &row)
                    b.append(row)
                    record(i, changed: true, into: &row)
                    a.append(row)
                    expected.matchedWithDataDifferences += 1
                } else {
                    record(i, changed: false, into: &row)
                    b.append(row)
                    a.append(row)
                    expected.perfectlyMatched += 1
                    if slot == 2 {
                        // Added New to PASI: a student of another range.
                        record(records * 8 + i, changed: false, into: &row)
                        a.append(row)
                        expected.addedNewToPASI += 1
                    }
                }
                try b.flushIfFull()
                try a.flushIfFull()
            }
            try b.commit()
            try a.commit()
        } catch {
            b.discard()
            a.discard()
            throw error
        }
        return (before, after, expected)
    }

    private static let courses: [(code: String, name: String, credits: Int)] = [
        ("ELA1105", "English Language Arts 10-1", 5), ("MAT1791", "Mathematics 10C", 5), ("SCN1270", "Science 10", 5),
        ("SSN1104", "Social Studies 10-1", 5), ("PED1445", "Physical Education 10", 5), ("CTR1010", "Job Preparation", 1),
        ("FNA1335", "Art 10, Drawing \"Studio\"", 3), ("FNA1335", "Art 10, Drawing \"Studio\"", 3),
    ]

    /// One record: student `i / 8`, course `i % 8` (the last two are one course in terms 1 and 2);
    /// a changed record has another mark.
    private static func record(_ i: Int, changed: Bool, into row: inout [UInt8]) {
        row.removeAll(keepingCapacity: true)
        let student = i / 8, course = courses[i % 8]
        let term = i % 8 == 7 ? 2 : i % 8 == 6 ? 1 : (student % 2 + 1)
        let original = (student &* 31 &+ i % 8 &* 17) % 101
        let mark = changed ? (original + 1 + i % 7) % 101 : original
        var asn = String(student % 1_000_000_000)
        asn = String(repeating: "0", count: max(0, 9 - asn.count)) + asn
        let exit = term == 1 ? "2026-01-30" : "2026-06-26"
        let fields = [
            asn, "Student \(student), \"Sam\"", "1234", course.code, course.name, String(course.credits),
            "\(course.code)-\(term)-\(student % 4 + 1)", String(term), term == 1 ? "2025-09-02" : "2026-02-02", exit,
            String(mark), exit, "Yes", "Completed", "No", i % 997 == 3 ? "moved from\nanother school" : "",
        ]
        for (k, field) in fields.enumerated() {
            if k > 0 { row.append(0x2C) }
            row.append(0x22)
            for byte in field.utf8 {
                if byte == 0x22 { row.append(0x22) }
                row.append(byte)
            }
            row.append(0x22)
        }
        row.append(0x0D)
        row.append(0x0A)
    }
}
