import PASIModel
import Testing

/// The console's student page: every field side by side, marked where Initial Synchronization
/// would raise a conflict, and only there.
@Suite("A student's SIS record and local PASI copy side by side")
struct StudentSideBySideTests {
    @Test("an identical pair: every field shown, none marked, the SIS value beside PASI's")
    func identical() throws {
        let fields = StudentSideBySide.fields(sis: MatchingFixture.sis(), pasi: try MatchingFixture.pasi(), address: SmartAddressMatch(isOn: false))
        #expect(fields.filter(\.differs).isEmpty)
        #expect(fields.count == 41)
        #expect(Set(fields.map(\.field)).count == fields.count)
        let birth = try #require(fields.first { $0.field == "Birth Date" })
        #expect(birth.sisValue != nil && birth.sisValue == birth.pasiValue)
    }

    @Test("one SIS field changed: that field is marked, under its conflict type, and no other", arguments: ConflictCase.all)
    func oneChange(_ change: ConflictCase) throws {
        var sis = MatchingFixture.sis()
        change.change(&sis)
        let fields = StudentSideBySide.fields(sis: sis, pasi: try MatchingFixture.pasi(), address: SmartAddressMatch(isOn: false))
        #expect(fields.filter(\.differs).map(\.field) == [change.field])
        #expect(fields.first { $0.field == change.field }?.group == change.type)
    }

    @Test("one side missing: every field shown, nothing marked")
    func oneSide() throws {
        let onlyPASI = StudentSideBySide.fields(sis: nil, pasi: try MatchingFixture.pasi(), address: SmartAddressMatch(isOn: false))
        #expect(onlyPASI.count == 41 && onlyPASI.allSatisfy { !$0.differs && $0.sisValue == nil })
        #expect(onlyPASI.first { $0.field == "Gender" }?.pasiValue != nil)
        let onlySIS = StudentSideBySide.fields(sis: MatchingFixture.sis(), pasi: nil, address: SmartAddressMatch(isOn: false))
        #expect(onlySIS.allSatisfy { !$0.differs && $0.pasiValue == nil })
    }
}
