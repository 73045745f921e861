public import PASIModel
internal import PostgresNIO

/// A row of `sis.classroom_accommodations` as Regular Sync sends it, with its student's ASN.
public struct SISAccommodation: Sendable, Hashable {
    public var id: Int
    public var studentID: Int
    /// The student's ASN as the SIS holds it (`nil`: no ASN yet).
    public var asn: String?
    /// The SIS's school year: the year it starts.
    public var sisStartYear: Int
    public var code: String
    public var comment: String?
}

extension OutboundStore {
    /// The SIS classroom accommodations of these ids (deleted ones are left out of `rows`), and the
    /// RefId each is submitted under, deleted or not: made from the authority and the row's id
    /// (`md5('pasisync-accommodation:A.NNNN:ID')` as a UUID), the same every time, so a resubmit
    /// after a lost answer names the same PASI record.
    public func classroomAccommodations(ids: [Int], organization: String) async throws
        -> (rows: [Int: SISAccommodation], refIds: [Int: RefId]) {
        guard !ids.isEmpty else { return ([:], [:]) }
        let result = try await client.query("""
            SELECT i.id, md5('pasisync-accommodation:' || \(organization) || ':' || i.id)::uuid::text,
                   a.student_id, s.asn::text, a.school_year, a.accommodation_code, a.comment
            FROM unnest(\(ids)::int[]) AS i (id)
            LEFT JOIN sis.classroom_accommodations AS a ON a.id = i.id
            LEFT JOIN sis.students AS s ON s.id = a.student_id
            """, logger: logger)
        var rows: [Int: SISAccommodation] = [:]
        var refIds: [Int: RefId] = [:]
        for try await (id, refId, student, asn, year, code, comment) in result.decode((Int, String, Int?, String?, Int?, String?, String?).self) {
            refIds[id] = try RefId(refId)
            if let student, let year, let code {
                rows[id] = SISAccommodation(id: id, studentID: student, asn: asn, sisStartYear: year, code: code, comment: comment)
            }
        }
        return (rows, refIds)
    }
}
