/// A SIS classroom accommodation (`sis.classroom_accommodations`) as PASI's record
/// (`ClassroomAccommodation`). The RefId is the client's, made from the authority and the SIS row's
/// id, so a resubmit after a lost answer names the same record and PASI answers it as the first
/// time. The SIS holds every field PASI has, so nothing is kept from the local store's copy but its
/// version. Pure.
public enum AccommodationSubmission {
    /// The record to submit.
    /// - Parameters:
    ///   - sisStartYear: The SIS's school year (the year it starts, as PowerSchool stores it).
    ///   - code: The accommodation code.
    ///   - comment: The SIS's comment; white space is trimmed and collapsed, blank is none.
    ///   - asn: The student's ASN.
    ///   - refId: The RefId to submit under.
    ///   - base: PASI's copy in the local store, if PASI has the accommodation.
    /// - Throws: ``PASIModelError`` when a SIS value breaks PASI's rules (a blank code, a year
    ///   outside 1905–2100): the change cannot be sent as it is.
    public static func record(sisStartYear: Int, code: String, comment: String?, asn: ASN, refId: RefId,
                              base: ClassroomAccommodation?) throws(PASIModelError) -> ClassroomAccommodation {
        try ClassroomAccommodation(
            refId: refId, asn: asn, schoolYear: SchoolYear(sisStartYear: sisStartYear),
            accommodationCode: MatchText.plain(code) ?? "", comment: MatchText.plain(comment),
            pasiCoreVersion: base?.pasiCoreVersion ?? 0)
    }

    /// Whether two records say the same to PASI (the version aside).
    public static func same(_ a: ClassroomAccommodation, _ b: ClassroomAccommodation) -> Bool {
        var a = a
        a.pasiCoreVersion = b.pasiCoreVersion
        return a == b
    }
}
