import PASIModel
import Testing

@Suite("Regular synchronization: classroom accommodations and acknowledgements")
struct AccommodationSubmissionTests {
    @Test("a SIS accommodation as PASI's record: PASI's school year from the SIS's start year, white space folded, the local version kept")
    func record() throws {
        let asn = try ASN("123456782", checkDigit: .ignored)
        let refId = try RefId("6f1c1c52-7a3e-4a7a-9a55-0d4d1e3f8a10")
        let new = try AccommodationSubmission.record(sisStartYear: 2026, code: " EXT ", comment: "Extra  time ", asn: asn, refId: refId, base: nil)
        #expect(new.schoolYear.endYear == 2027 && new.accommodationCode == "EXT" && new.comment == "Extra time" && new.pasiCoreVersion == 0)
        let base = try ClassroomAccommodation(refId: refId, asn: asn, schoolYear: SchoolYear(endYear: 2027), accommodationCode: "EXT",
                                              comment: "Extra time", pasiCoreVersion: 41)
        let update = try AccommodationSubmission.record(sisStartYear: 2026, code: "EXT", comment: "   ", asn: asn, refId: refId, base: base)
        #expect(update.pasiCoreVersion == 41 && update.comment == nil)
        #expect(AccommodationSubmission.same(new, base))
        #expect(!AccommodationSubmission.same(update, base))
    }

    @Test("a blank accommodation code cannot be sent, and says why")
    func blankCode() throws {
        let asn = try ASN("123456782", checkDigit: .ignored)
        let refId = try RefId("6f1c1c52-7a3e-4a7a-9a55-0d4d1e3f8a10")
        #expect(throws: PASIModelError.self) {
            try AccommodationSubmission.record(sisStartYear: 2026, code: "  ", comment: nil, asn: asn, refId: refId, base: nil)
        }
    }

    @Test("the status types PASI keeps a validation status for name the record whose Submit<Type>StatusAcknowledgement takes it; the others none")
    func acknowledgedRecordTypes() {
        #expect(StatusType.student.recordType == .student)
        #expect(StatusType.enrolment.recordType == .schoolEnrolment)
        #expect(StatusType.classroomAccommodation.recordType == .classroomAccommodation)
        #expect(StatusType.synchronization.recordType == nil && StatusType.externalCredential.recordType == nil)
        for type in StatusType.allCases {
            if let record = type.recordType { #expect(record.statusNotificationName != nil, "\(type)") }
        }
    }
}
