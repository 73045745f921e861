/// A school's Course Mark Integration Status (the seed's Edit School page, Alberta
/// Information): whether its sections, course enrolments and evaluated marks are synchronized
/// with PASI. Stored in `sis.schools.course_mark_integration_status` as `Active`, `Inactive` or
/// blank; "By default, this field is set to blank which implies that the school is Inactive."
public enum CourseMarkIntegrationStatus: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Its course mark objects write data events and are synchronized automatically.
    case active = "Active"
    /// No events for its sections, course enrolments and evaluated marks: changes to them are
    /// not synchronized to PASI, then or later. The state before and during the Initial Upload.
    case inactive = "Inactive"

    /// The status a stored value means: blank (NULL or empty) is Inactive.
    /// - Returns: `nil` for a value that is neither blank, `Active` nor `Inactive`.
    public init?(stored: String?) {
        guard let stored, !stored.allSatisfy(\.isWhitespace) else {
            self = .inactive
            return
        }
        self.init(rawValue: stored)
    }

    /// Reads a status a person typed, in any letter case (`active`, `INACTIVE`).
    /// - Throws: ``PASIModelError`` naming the two allowed values.
    public init(typed text: String) throws(PASIModelError) {
        guard let status = Self.allCases.first(where: { $0.rawValue.lowercased() == text.lowercased() }) else {
            throw PASIModelError(
                .invalidFormat, field: "Course Mark Integration Status", expectation: "must be Active or Inactive",
                value: text)
        }
        self = status
    }

    /// The seed's word, `Active` or `Inactive`.
    public var description: String { rawValue }

    /// What this status means for synchronization, said when a school is set to it (the
    /// seed's Caution under Step 6).
    public var consequence: String {
        switch self {
        case .active:
            return "Only now is it synchronized automatically: with Event Monitoring on, every change to its sections, "
                + "course enrolments and evaluated marks writes a data event and is sent to PASI. "
                + "Set a school Active only after its Initial Upload (Sections, Course Enrollments, Evaluated Marks)."
        case .inactive:
            return "No events are generated for it: from now on, changes to its sections, course enrolments and "
                + "evaluated marks are lost to PASI and not synchronized later, not even when it is set Active again. "
                + "Changes to course information (Course Name, Course Number, Course Credits, Alternate Course Number) "
                + "are still synchronized."
        }
    }
}
