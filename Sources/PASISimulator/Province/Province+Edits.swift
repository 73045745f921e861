public import PASIContract
public import PASIModel

/// What a test or a demo asks the province to change behind the client's back (`/admin/change`,
/// `/admin/alert`): a new content with a new version, as another school authority or PASI's own
/// staff would save it.
public struct ProvinceEdit: Sendable, Hashable {
    /// The new name of a School, School Authority or Course.
    public var name: String?
    /// The new number of a Student's phone (the one the SIS's home phone stands for: the home
    /// phone, else the preferred, else the first; a Home phone when the student has none).
    public var phone: String?
    /// A Diploma Exam Mark's new exam mark (a rescore), 0–100.
    public var examMark: Int?
    /// A Diploma Exam Mark's new official (blended) mark, 0–100.
    public var officialMark: Int?
    /// The new comment of a ClassroomAccommodation.
    public var comment: String?
    /// The course of the official mark a StudentTranscriptDetail's `officialMark` recalculates
    /// (`nil`: its first official mark).
    public var courseCode: String?

    public init(name: String? = nil, phone: String? = nil, examMark: Int? = nil, officialMark: Int? = nil, comment: String? = nil,
                courseCode: String? = nil) {
        self.name = name
        self.phone = phone
        self.examMark = examMark
        self.officialMark = officialMark
        self.comment = comment
        self.courseCode = courseCode
    }
}

/// Why an edit could not be made, worded for the person who asked.
public struct ProvinceEditError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

extension Province {
    /// Changes one record's content and gives it a new version.
    /// - Returns: The new version.
    /// - Throws: ``ProvinceEditError`` for an unknown record, a field its type lacks, or a value
    ///   PASI's rules refuse.
    public func edit(_ type: RecordType, id: String, _ edit: ProvinceEdit) throws(ProvinceEditError) -> Int64 {
        guard let stored = records[type]?[id] else { throw ProvinceEditError(description: "no \(type.rawValue) \(id)") }
        if type == .studentTranscriptDetail {
            guard let mark = edit.officialMark, edit.name == nil, edit.phone == nil, edit.examMark == nil, edit.comment == nil else {
                throw ProvinceEditError(description: "a StudentTranscriptDetail takes officialMark= (and courseCode=) in this simulator")
            }
            return try recalculateOfficialMark(asn: id, courseCode: edit.courseCode, markValue: mark)
        }
        do {
            if let accommodation = stored.record as? ClassroomAccommodation, edit.name == nil, edit.phone == nil, let comment = edit.comment {
                return change(try ClassroomAccommodation(
                    refId: accommodation.refId, asn: accommodation.asn, schoolYear: accommodation.schoolYear,
                    accommodationCode: accommodation.accommodationCode, comment: comment, pasiCoreVersion: accommodation.pasiCoreVersion))
            }
            if let mark = stored.record as? DiplomaExamMark {
                guard edit.name == nil, edit.phone == nil, edit.examMark != nil || edit.officialMark != nil else {
                    throw ProvinceEditError(description: "a DiplomaExamMark takes examMark= and/or officialMark= in this simulator")
                }
                return change(try DiplomaExamMark(
                    refId: mark.refId, asn: mark.asn, courseCode: mark.courseCode, schoolYear: mark.schoolYear, sittingRefId: mark.sittingRefId,
                    examMark: edit.examMark ?? mark.examMark, officialMark: edit.officialMark ?? mark.officialMark,
                    creditsAwarded: mark.creditsAwarded, pasiCoreVersion: mark.pasiCoreVersion))
            }
            guard edit.examMark == nil, edit.officialMark == nil else {
                throw ProvinceEditError(description: "examMark= and officialMark= are for a DiplomaExamMark")
            }
            switch (stored.record, edit.name, edit.phone) {
            case (let school as School, let name?, nil):
                return change(try School(code: school.code, name: name, authorityCode: school.authorityCode, pasiCoreVersion: school.pasiCoreVersion))
            case (let authority as SchoolAuthority, let name?, nil):
                return change(try SchoolAuthority(code: authority.code, name: name, pasiCoreVersion: authority.pasiCoreVersion))
            case (let course as Course, let name?, nil):
                return change(try Course(code: course.code, name: name, credits: course.credits, isDiplomaCourse: course.isDiplomaCourse,
                                         pasiCoreVersion: course.pasiCoreVersion))
            case (var student as Student, nil, let number?):
                if let index = student.phones.firstIndex(where: { $0.type.lowercased() == "home" })
                    ?? student.phones.firstIndex(where: \.isPreferred) ?? student.phones.indices.first {
                    let old = student.phones[index]
                    student.phones[index] = try Phone(
                        id: old.id, number: number, extension: old.extension, type: old.type, isListable: old.isListable,
                        isPreferred: old.isPreferred, effectiveDate: old.effectiveDate, expiryDate: old.expiryDate)
                } else {
                    student.phones.append(try Phone(id: Self.newItemId(), number: number, type: "Home", isPreferred: true))
                }
                return change(student)
            default:
                throw ProvinceEditError(description: "a \(type.rawValue) takes exactly one of "
                    + (type == .student ? "phone=" : type == .classroomAccommodation ? "comment=" : "name=") + " in this simulator")
            }
        } catch let error as ProvinceEditError {
            throw error
        } catch {
            throw ProvinceEditError(description: "\(error)")
        }
    }

    /// Sets one core alert on a record's validation status: the alert with the same code and
    /// argument set is replaced (its acknowledgement or message changed), else it is added. The
    /// status gets a new version.
    /// - Returns: The status's new version, or `nil` when the record or its status type is unknown.
    @discardableResult
    public func setAlert(_ alert: StatusAlert, on type: RecordType, id: String) -> Int64? {
        if var entry = statuses[type]?[id],
           let index = entry.alerts.firstIndex(where: { $0.alertCode == alert.alertCode && $0.arguments == alert.arguments }) {
            entry.alerts[index] = alert
            return bumpStatus(type, id, &entry)
        }
        return raise(alert, on: type, id: id)
    }

    /// Takes the alerts with `alertCode` off a record's validation status, as PASI does when the
    /// record no longer breaks the rule. The status gets a new version.
    /// - Returns: The status's new version, or `nil` when it holds no such alert.
    @discardableResult
    public func clearAlerts(code alertCode: String, on type: RecordType, id: String) -> Int64? {
        guard var entry = statuses[type]?[id], entry.alerts.contains(where: { $0.alertCode == alertCode }) else { return nil }
        entry.alerts.removeAll { $0.alertCode == alertCode }
        return bumpStatus(type, id, &entry)
    }
}
