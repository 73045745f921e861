/// A SIS section, course enrolment or stored grade of an Active school as the PASI record regular
/// synchronization submits: the Initial Upload's mapping (``InitialUploadRecords``), under the
/// RefId the Initial Upload chose for the row (or, for a row added since, one chosen the same
/// way), so a record uploaded and then edited is an update of the same PASI record. What the SIS
/// does not hold (a section's delivery method, a course enrolment's mark and funding flag, …) is
/// kept from the local store's copy, so an edit cannot wipe what PASI holds. Pure.
public enum CourseMarkSubmission {
    /// The section to submit.
    /// - Parameter base: PASI's copy in the local store, if PASI has the section.
    /// - Throws: ``PASIModelError`` for a term without an Alternate Term Code or a value PASI refuses.
    public static func section(_ row: UploadSection, refId: RefId, base: Section?) throws(PASIModelError) -> Section {
        var record = try InitialUploadRecords.section(row, refId: refId)
        if let base {
            record.primaryDeliveryMethod = base.primaryDeliveryMethod
            record.languageOfInstruction = base.languageOfInstruction
            record.deliverySchedule = base.deliverySchedule
            record.instructionalMinutesOffered = base.instructionalMinutesOffered
            record.pasiCoreVersion = base.pasiCoreVersion
        }
        return record
    }

    /// The course enrolment to submit, in the section PASI knows by `sectionRefId`.
    /// - Throws: ``PASIModelError`` for a student without an ASN or a value PASI refuses.
    public static func courseEnrolment(_ row: UploadCourseEnrolment, refId: RefId, sectionRefId: RefId,
                                       base: CourseEnrolment?) throws(PASIModelError) -> CourseEnrolment {
        var record = try InitialUploadRecords.courseEnrolment(row, refId: refId, sectionRefId: sectionRefId)
        if let base {
            record.markValue = base.markValue
            record.isMarkApproved = base.isMarkApproved
            record.isFundingRequested = base.isFundingRequested
            record.pasiCoreVersion = base.pasiCoreVersion
        }
        return record
    }

    /// The evaluated mark to submit.
    /// - Throws: ``PASIModelError`` for a grade without a percent, a student without an ASN, or a
    ///   value PASI refuses.
    public static func evaluatedMark(_ row: UploadStoredGrade, refId: RefId, base: EvaluatedMark?) throws(PASIModelError) -> EvaluatedMark {
        var record = try InitialUploadRecords.evaluatedMark(row, refId: refId)
        if let base {
            record.isFundingRequested = base.isFundingRequested
            record.pasiCoreVersion = base.pasiCoreVersion
        }
        return record
    }

    /// Whether two records say the same to PASI (the version aside).
    public static func same<R: PASIRecord>(_ a: R, _ b: R) -> Bool {
        var a = a
        a.pasiCoreVersion = b.pasiCoreVersion
        return a == b
    }
}
