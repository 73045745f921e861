/// A SIS school enrolment as PASI's record (`SchoolEnrolment`). The RefId is the client's: the
/// one the enrolment was matched with, else one made from the enrolment's id, so a resubmit after
/// a lost answer names the same record and PASI answers it as the first time. What the SIS does
/// not hold (the local student id, the francophone board) is kept from the local store's copy. A
/// SIS enrolment is never deleted in PASI: the record is sent with `IsDeleted` false, so one PASI
/// holds deleted comes back (the 2018 endpoint's Active, Registered, Completed and Withdrawn are
/// all Is Deleted = false, submit_student_school_enrolment_2018_end_point_earlier.html). Pure.
public enum EnrolmentSubmission {
    /// The record to submit.
    /// - Parameters:
    ///   - sis: The SIS enrolment.
    ///   - asn: The student's ASN.
    ///   - refId: The RefId to submit under.
    ///   - base: PASI's copy in the local store, if PASI has the enrolment.
    /// - Throws: ``PASIModelError`` when a SIS value breaks PASI's rules (no registration type, …): the change cannot be sent as it is.
    public static func record(_ sis: SISEnrolment, asn: ASN, refId: RefId, base: SchoolEnrolment?) throws(PASIModelError) -> SchoolEnrolment {
        let info = try SchoolEnrolment.ExtendedInfo(
            localStudentID: base?.extendedInfo?.localStudentID, residentBoard: sis.residentBoard,
            francophoneBoard: base?.extendedInfo?.francophoneBoard, fnmiDeclaration: MatchText.plain(sis.fnmiDeclaration),
            frenchHoursOfInstruction: sis.frenchHoursOfInstruction, enrolmentTypeCodes: sis.enrolmentTypeCodes,
            exceptionCodes: sis.exceptionCodes, grantsProgramCodes: sis.grantsProgramCodes)
        let empty = info == (try SchoolEnrolment.ExtendedInfo())
        return try SchoolEnrolment(
            refId: refId, asn: asn, schoolCode: sis.schoolCode, schoolYear: sis.schoolYear, grade: sis.grade,
            entryDate: sis.entryDate, exitDate: sis.exitDate,
            registrationType: MatchText.plain(sis.registrationType) ?? base?.registrationType ?? "", isDeleted: false,
            extendedInfo: empty && base?.extendedInfo == nil ? nil : info,
            pasiCoreVersion: base?.pasiCoreVersion ?? 0)
    }

    /// The record that tells PASI the enrolment was created in error: PASI's copy with `IsDeleted`
    /// set ("CreatedInError (Registration Status) | True", the mapping of
    /// https://extranet.education.alberta.ca/pasidevnet/Docs/Business/submit_student_school_enrolment_2018_end_point_earlier.html
    /// to the 2020 endpoint's Submit Student School Enrolment). Everything else stays as PASI holds it.
    /// - Parameter base: PASI's copy in the local store.
    public static func createdInError(_ base: SchoolEnrolment) -> SchoolEnrolment {
        var record = base
        record.isDeleted = true
        return record
    }

    /// Whether two records say the same to PASI (the version aside).
    public static func same(_ a: SchoolEnrolment, _ b: SchoolEnrolment) -> Bool {
        var a = a
        a.pasiCoreVersion = b.pasiCoreVersion
        return a == b
    }
}
