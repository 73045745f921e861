import Foundation
import Logging
import PASIModel
import SyncStore
import Testing
@testable import SyncJobs

/// The pure parts of the maintenance processes: End of Year's plan, the code values' rule for the
/// current year, Core Alerts Reconciliation's verdicts, the Logs settings' mappings.
@Suite("Maintenance logic")
struct MaintenanceLogicTests {
    static func year(_ end: Int) -> SchoolYear { try! SchoolYear(endYear: end) }

    @Test("End of Year: one year on increments Historical Years; at 2 it stays 2 and the oldest year drops out")
    func endOfYearPlan() throws {
        let plan = try EndOfYearPlan(held: Self.year(2025), pasiCurrent: Self.year(2026), historical: 0)
        #expect(plan.rollover == EndOfYearRollover(schoolYear: Self.year(2026), previousYear: Self.year(2025), historicalBefore: 0, historicalAfter: 1))
        #expect(plan.yearsAfter == [Self.year(2025), Self.year(2026)])
        let full = try EndOfYearPlan(held: Self.year(2025), pasiCurrent: Self.year(2026), historical: 2)
        #expect(full.rollover.historicalAfter == 2)
        #expect(full.summary.contains("stays at 2"), "\(full.summary)")
        #expect(full.summary.hasSuffix("no longer synchronized: 2022/2023"), "\(full.summary)")
        // A year skipped: the years in between stay historical, up to the maximum.
        #expect(try EndOfYearPlan(held: Self.year(2024), pasiCurrent: Self.year(2026), historical: 1).rollover.historicalAfter == 2)
    }

    @Test("End of Year is refused without a newer year from PASI, or without a year to end")
    func endOfYearRefusals() {
        func refusal(_ held: SchoolYear?, _ pasi: SchoolYear?) -> String? {
            do { _ = try EndOfYearPlan(held: held, pasiCurrent: pasi, historical: 0); return nil } catch { return error.description }
        }
        #expect(refusal(Self.year(2026), Self.year(2026))?.contains("PASI does not yet name a school year after 2025/2026 as current") == true)
        #expect(refusal(Self.year(2026), Self.year(2025))?.contains("after 2025/2026") == true)
        #expect(refusal(Self.year(2026), nil)?.contains("PASI names no current school year") == true)
        #expect(refusal(nil, Self.year(2026))?.contains("0000-0000") == true)
    }

    @Test("the code values download sets an unknown current year, and leaves a change of year to End of Year")
    func currentYearChange() {
        #expect(CurrentSchoolYear.change(held: nil, pasi: Self.year(2026)) == .set(Self.year(2026)))
        #expect(CurrentSchoolYear.change(held: Self.year(2026), pasi: Self.year(2026)) == .keep)
        #expect(CurrentSchoolYear.change(held: Self.year(2026), pasi: nil) == .keep)
        #expect(CurrentSchoolYear.change(held: Self.year(2025), pasi: Self.year(2026)) == .leftForEndOfYear(held: Self.year(2025), pasi: Self.year(2026)))
    }

    static func alert(_ id: Int64, _ subject: String?, raisedBy: String?, code: String = "C", student: Int? = nil, asn: String? = nil) -> ReconcilableAlert {
        ReconcilableAlert(id: id, subject: subject, raisedBy: raisedBy, alertType: "Conflict", statusType: "Student", alertCode: code,
                          studentID: student, enrolmentID: nil, asn: asn, schoolYear: nil, createdAt: Date())
    }

    @Test("reconciliation: an alert is judged only when its record was compared; a PASI-only one when its student was judged or now agrees")
    func comparedRecords() {
        var compared = ComparedRecords()
        compared.add(InitialSyncComparison.Result(), studentIDs: [1, 2], keys: [
            SubjectAlert(subject: "sis:SIS.students.2 StudentID=2", record: try! AlertRecord(
                type: .conflict, statusType: .student, alertCode: "INIT_GENDER", conflictType: .gender, message: "m",
                refId: nil, arguments: AlertArguments([:]), asn: nil, studentID: 2, enrolmentID: nil, schoolCode: nil, schoolYear: nil)),
        ])
        compared.addPASIOnly(judged: ["123456789"], keys: [])
        #expect(compared.agrees(Self.alert(1, "sis:SIS.students.1 StudentID=1", raisedBy: "initial_sync", code: "INIT_GENDER", student: 1)))
        #expect(!compared.agrees(Self.alert(2, "sis:SIS.students.2 StudentID=2", raisedBy: "initial_sync", code: "INIT_GENDER", student: 2)))
        #expect(!compared.agrees(Self.alert(3, "sis:SIS.students.3 StudentID=3", raisedBy: "initial_sync", student: 3)))
        #expect(compared.agrees(Self.alert(4, "pasi-only:123456789 ", raisedBy: "initial_sync", asn: "123456789")))
        #expect(!compared.agrees(Self.alert(5, "pasi-only:987654321 ", raisedBy: "initial_sync", asn: "987654321")))
        // Regular synchronization: a student compared but not matched does not agree.
        #expect(!compared.agrees(Self.alert(6, "sis.students:1", raisedBy: "regular_sync", student: 1)))
        #expect(!compared.agrees(Self.alert(7, "sis.sections:1", raisedBy: "regular_sync")))
    }

    @Test("reconciliation verdicts: one reason per alert, the first; a subject names its table and row")
    func verdicts() {
        var verdicts = ReconciliationVerdicts()
        verdicts.add([3, 1], .resubmittedAndAccepted)
        verdicts.add([1, 2], .dataAgrees)
        #expect(verdicts.resolved == [1, 2, 3])
        #expect(verdicts.summary == "1 data now agrees, 2 resubmitted and accepted, 0 a later job completed")
        #expect(ReconciliationSubject("sis.students:123")?.studentID == 123)
        #expect(ReconciliationSubject("sis.enrolments:45")?.enrolmentID == 45)
        #expect(ReconciliationSubject("sis:SIS.students.1 StudentID=1") == nil)
        #expect(ReconciliationSubject(nil) == nil)
    }

    @Test("Automatic Reconciliation looks at the current year and the next one's pre-registrations, not the historical years")
    func automaticScope() {
        let years = SynchronizationYears(current: Self.year(2026), accepted: [(Self.year(2027), .future)], historical: 2)
        #expect(ReconciliationScope.currentYears(years) == [Self.year(2026), Self.year(2027)])
    }

    @Test("Logs: Runtime Log levels; the Events Log's lines per level carry no values at Normal")
    func logs() {
        #expect(LogSettings.runtimeLevel(forSetting: "Minimum") == .info)
        #expect(LogSettings.runtimeLevel(forSetting: "Normal") == .debug)
        #expect(LogSettings.runtimeLevel(forSetting: "Maximum") == .trace)
        let event = DataEvent(id: 7, tableName: "sis.students", rowKey: "12", operation: .update, changedColumns: ["dob", "last_name"], occurredAt: Date())
        #expect(EventsLog(level: .minimum).line(for: event, status: "Sent") == nil)
        #expect(EventsLog(level: .normal).line(for: event, status: "Rejected", detail: "Smith refused") == "data event 7 sis.students:12 U → Rejected")
        #expect(EventsLog(level: .maximum).line(for: event, status: "Rejected", detail: "refused")
                == "data event 7 sis.students:12 U [dob,last_name] → Rejected: refused")
    }

    @Test("the Events Log of a record's folded events, as regular synchronization hands its outcomes")
    func eventsLogOfOutcomes() {
        let change = RecordChange(table: "sis.students", key: "12", eventIDs: [7, 8], changedColumns: ["dob", "phone"])
        let outcome = OutboundOutcome.skipped(change, reason: "Student Synchronization is off")
        #expect(EventsLog(level: .minimum).line(for: outcome) == nil)
        #expect(EventsLog(level: .normal).line(for: outcome) == "data event(s) 7,8 sis.students:12 U → Skipped")
        #expect(EventsLog(level: .maximum).line(for: outcome) == "data event(s) 7,8 sis.students:12 U [dob,phone] → Skipped: Student Synchronization is off")
    }

    @Test("archiving's progress message")
    func archiveMessage() {
        #expect(ArchiveEvents.message(12_000, 1_200_000, 365) == "12,000 of 1,200,000 data event(s) older than 365 days archived")
    }
}
