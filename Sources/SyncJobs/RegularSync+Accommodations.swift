import Foundation
import PASIContract
import PASICore
import PASIModel
import SyncStore

/// Classroom accommodations in Regular Synchronization (`sis.classroom_accommodations`), while
/// Classroom Accommodation Synchronization and Classroom Accommodation DCF Events are both on: each
/// row's latest state is submitted as PASI's `ClassroomAccommodation` under a RefId made from the
/// authority and the row's id (``OutboundStore/classroomAccommodations(ids:organization:)``), on
/// the version of the local store's copy (0 for one PASI does not have yet), and PASI's answer goes
/// into `pasi.classroom_accommodations`. A row deleted from the SIS is deleted in PASI when PASI got
/// it. Years: those of the school enrolments (Historical Years for School Enrolment Integration,
/// the current year and any later). What PASI answers is sorted as for every record (``Submission``).
extension RegularSyncRoundPlan {
    func planClassroomAccommodation(_ change: RecordChange, _ input: RoundInput) -> Plan {
        let switches = input.courseMarks.settings
        if !switches.classroomAccommodationEvents {
            return .done(.skipped(change, reason: "Classroom Accommodation DCF Events is off: classroom accommodation changes are not sent to PASI, "
                + "and those made while it is off are not sent later (pasisync settings set classroom_accommodation_dcf_events on)"))
        }
        if !switches.classroomAccommodations {
            return .done(.skipped(change, reason: "Classroom Accommodation Synchronization is off: classroom accommodation changes are not sent to PASI"))
        }
        guard let id = Int(change.key), let refId = input.accommodationRefIds[id] else {
            return .done(.skipped(change, reason: "\(change.key) is not a classroom accommodation id"))
        }
        let base = input.pasiAccommodations[refId.value]
        let what = "classroom accommodation \(id)"
        guard !change.isDeleted, let row = input.accommodations[id] else {
            guard let base else {
                return .done(.skipped(change, reason: "the \(what) was deleted from the SIS before it reached PASI"))
            }
            let context = AlertContext(statusType: .classroomAccommodation, what: what, asn: base.asn, refId: refId.value,
                                       schoolYear: base.schoolYear)
            return submitting(Submission<ClassroomAccommodation>(
                change: change, action: .delete, id: refId.value, version: base.pasiCoreVersion, record: nil, context: context,
                same: AccommodationSubmission.same, rebuild: { $0 }), input)
        }
        let year = try? SchoolYear(sisStartYear: row.sisStartYear)
        if let year, !settings.synchronizes(year) {
            return .done(.skipped(change, reason: "school year \(year) is before the synchronization years (Historical Years for School Enrolment Integration)"))
        }
        guard let text = row.asn, let asn = try? ASN(text, checkDigit: .ignored) else {
            return .done(.skipped(change, reason: "the student has no ASN: match the student in PASI (Initial Synchronization) before the accommodation is sent"))
        }
        let context = AlertContext(statusType: .classroomAccommodation, what: what, asn: asn, studentID: row.studentID,
                                   refId: refId.value, schoolYear: year)
        let build = { @Sendable (base: ClassroomAccommodation?) throws(PASIModelError) -> ClassroomAccommodation in
            try AccommodationSubmission.record(sisStartYear: row.sisStartYear, code: row.code, comment: row.comment, asn: asn,
                                               refId: refId, base: base)
        }
        let record: ClassroomAccommodation
        do {
            record = try build(base)
        } catch {
            return .done(.rejected(change, alert: context.alert(.rejection, code: RegularSyncAlerts.rejected, message: "not sent: \(error)")))
        }
        if let base, AccommodationSubmission.same(record, base) {
            return .done(.sent(change, Accepted(version: base.pasiCoreVersion, detail: "nothing PASI holds changed")))
        }
        return submitting(Submission(
            change: change, action: .save, id: refId.value, version: base?.pasiCoreVersion ?? 0, record: record, context: context,
            same: AccommodationSubmission.same, rebuild: { current throws in try build(current) }), input)
    }
}

extension RoundInput {
    /// The SIS rows of the round's accommodation changes, their RefIds and PASI's copies.
    mutating func loadAccommodations(_ changes: [RecordChange], settings: RegularSyncSettings, environment: SyncEnvironment) async throws {
        let ids = changes.filter { $0.table == "sis.classroom_accommodations" }.compactMap { Int($0.key) }
        guard !ids.isEmpty else { return }
        (accommodations, accommodationRefIds) = try await environment.outbound.classroomAccommodations(
            ids: ids, organization: settings.organizationCode)
        for accommodation in try await environment.pasiStore.classroomAccommodations(refIds: Array(accommodationRefIds.values)) {
            pasiAccommodations[accommodation.refId.value] = accommodation
        }
    }
}
