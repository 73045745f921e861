import PASIModel
import Testing

@Suite struct AlertTests {
    func alert(_ pairs: [(key: String, value: String)], code: String = "4101", refId: RefId = Sample.refId) throws -> CoreAlert {
        try CoreAlert(refId: refId, statusType: .student, alertCode: code, type: .conflict, conflictType: .gender, arguments: AlertArguments(pairs))
    }

    @Test func acknowledgementMatchesWhateverTheKeyOrder() throws {
        let raised = try alert([("Field", "Gender"), ("PASIValue", "Female"), ("SISValue", "Male")])
        let reRaised = try alert([("SISValue", "Male"), ("Field", "Gender"), ("PASIValue", "Female")])
        let acknowledgement = AlertAcknowledgement(key: raised.key, status: .acknowledged)
        #expect(acknowledgement.matches(reRaised))
        #expect(raised.key.hashValue == reRaised.key.hashValue)
        #expect(Set([raised.key, reRaised.key]).count == 1)
    }

    @Test func acknowledgementDoesNotMatchOtherRefIdCodeOrArguments() throws {
        let raised = try alert([("Field", "Gender"), ("SISValue", "Male")])
        let acknowledgement = AlertAcknowledgement(key: raised.key, status: .overridden)
        #expect(!acknowledgement.matches(try alert([("Field", "Gender"), ("SISValue", "Female")])))
        #expect(!acknowledgement.matches(try alert([("Field", "Gender")])))
        #expect(!acknowledgement.matches(try alert([("Field", "Gender"), ("SISValue", "Male")], code: "4102")))
        #expect(!acknowledgement.matches(try alert([("Field", "Gender"), ("SISValue", "Male")], refId: Sample.otherRefId)))
    }

    @Test func argumentsRefuseARepeatedKey() {
        let error = expectModelError { _ = try AlertArguments([("Field", "A"), ("Field", "B")]) }
        #expect(error?.code == .duplicate)
        #expect(error?.value == "Field")
    }

    @Test func argumentsSortForDisplay() throws {
        let arguments = try AlertArguments([("b", "2"), ("a", "1")])
        #expect(arguments.sorted.map(\.key) == ["a", "b"])
        #expect(arguments["b"] == "2")
    }

    @Test func conflictTypeOnlyOnConflicts() {
        let error = expectModelError {
            _ = try CoreAlert(refId: Sample.refId, statusType: .student, alertCode: "1", type: .warning, conflictType: .gender)
        }
        #expect(error?.field == "CoreAlert.conflictType")
    }

    @Test func conflictTypesFileUnderStudentOrEnrolment() {
        #expect(ConflictType.schoolEnrolment.statusType == .enrolment)
        #expect(ConflictType.summerSchoolEnrolment.statusType == .enrolment)
        #expect(ConflictType.missingEnrolment.statusType == .enrolment)
        #expect(ConflictType.legalNameAndIdentification.statusType == .student)
        #expect(ConflictType.legalNameAndIdentification.rawValue == "Legal Name & Identification")
        #expect(ConflictType.allCases.filter { $0.statusType == .student }.count == 15)
    }

    @Test func onlyClientRaisedKindsAreDeletable() {
        #expect(AlertType.allCases.filter(\.isDeletableByPerson) == [.rejection, .conflict, .failure])
    }

    @Test func alertRoundTripsThroughJSON() throws {
        var raised = try alert([("Field", "Gender")])
        raised.acknowledgement = .inProgress
        #expect(try JSONRoundTrip.roundTrip(raised) == raised)
        #expect(try JSONRoundTrip.encode(AcknowledgementStatus.inProgress) == "\"In Progress\"")
    }
}
