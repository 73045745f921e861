import Foundation
import PASIContract
import PASICore
import PASIModel
import SyncStore

/// A person's acknowledgement of one of PASI's core alerts, sent to PASI by the status acknowledgement
/// service of its record's type (`SubmitStudentStatusAcknowledgement`, `Submit<Type>StatusAcknowledgement`).
///
/// The trigger of `sync.record_acknowledgement_event` writes a data event (`sync.core_alerts`, the alert's id) whenever
/// the acknowledgement of an alert PASI raised changes, by `pasisync alerts acknowledge` or by psql,
/// so the acknowledgement is durable before it is sent. Regular Sync sends it like any other change:
/// the alert's events fold into one send of its latest acknowledgement, a transient failure waits
/// and is retried (Maximum Attempts, then a Failure alert), a refusal is a Rejection alert. PASI
/// matches the acknowledgement on record, alert code and argument set, and it carries no version:
/// there is no stale-version case. The alerts this software raises itself never get here.
///
/// Only Alberta Education may set Overridden (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/submit_student_status_acknowledgement.html:
/// "Only Alberta Education can submit an Acknowledgement Status of Overridden"; rule 12003): a
/// school authority's Overridden, set in psql (`pasisync alerts acknowledge` refuses it), is never
/// sent: the person gets a Rejection alert saying why, as PASI would have refused it.
extension RegularSyncRoundPlan {
    func planAcknowledgement(_ change: RecordChange, _ input: RoundInput) -> Plan {
        guard let id = Int64(change.key), let alert = input.alerts[id] else {
            return .done(.skipped(change, reason: "the alert was deleted before its acknowledgement reached PASI"))
        }
        let record = alert.record
        guard record.severity != nil, let refId = record.refId, let type = record.statusType.recordType else {
            return .done(.skipped(change, reason: "alert \(id) is not one of PASI's core alerts: its acknowledgement stays in this database"))
        }
        guard alert.resolvedAt == nil else {
            return .done(.skipped(change, reason: "PASI no longer reports alert \(id) (it is resolved): there is nothing to acknowledge in PASI"))
        }
        if let off = settings.statusSwitchOff(record.statusType) {
            return .done(.skipped(change, reason: "\(off) is off: the acknowledgement of alert \(id) is not sent to PASI"))
        }
        let context = AlertContext(statusType: record.statusType, what: "the acknowledgement of alert \(id) (\(record.alertCode))",
                                   asn: record.asn, studentID: record.studentID, enrolmentID: record.enrolmentID, refId: refId,
                                   schoolCode: record.schoolCode, schoolYear: record.schoolYear)
        if alert.acknowledgement == .overridden {
            return .done(.rejected(change, alert: context.alert(.rejection, code: RegularSyncAlerts.rejected, message:
                "not sent: only Alberta Education may set a core alert to Overridden (PASI refuses it from a school authority, "
                    + "rule 12003); the acknowledgement of alert \(id) (\(record.alertCode)) stays Overridden in this database only: "
                    + "set Unacknowledged, In Progress or Acknowledged instead")))
        }
        return .submit(AcknowledgementSubmission(change: change, type: type, id: refId, alertCode: record.alertCode,
                                                 arguments: record.arguments, status: alert.acknowledgement, context: context,
                                                 attempts: input.attempts[change.subject] ?? 0))
    }
}

/// One alert's acknowledgement sent to PASI, and the sorting of PASI's answer into an outcome.
struct AcknowledgementSubmission: RoundSubmission {
    let change: RecordChange
    let type: RecordType
    /// The record's id in PASI (the status's id).
    let id: String
    let alertCode: String
    let arguments: AlertArguments
    /// The alert's acknowledgement now (the latest of the events folded in).
    let status: AcknowledgementStatus
    let context: AlertContext
    /// The acknowledgement's attempts spent so far.
    let attempts: Int

    /// An acknowledgement carries no version: nothing is noted in flight.
    var digest: String? { nil }

    func send(_ pasi: any PASICoreService, settings: RegularSyncSettings) async -> OutboundOutcome {
        let rejections: [Rejection]
        do {
            let answer = try await pasi.acknowledge(type, id: id, alertCode: alertCode, arguments: arguments, status: status)
            if answer.rejection.isEmpty {
                return .sent(change, Accepted(version: answer.pasiCoreVersion, detail: "PASI's status holds it as \(status.rawValue)"))
            }
            rejections = answer.rejection
        } catch {
            guard error.category == .rejection, !error.rejections.isEmpty else {
                return RegularSyncAlerts.failure(error, change: change, context: context, settings: settings, attempts: attempts)
            }
            rejections = error.rejections
        }
        // PASI took the alert off the status meanwhile (a documented not-found rule, 9006 as the
        // simulator answers it): PASI Data Available resolves it here.
        if rejections.allSatisfy(\.isRecordNotFound) {
            return .skipped(change, reason: "PASI's \(type.rawValue) status no longer holds alert \(alertCode) with these arguments (rule \(rejections.map { String($0.code) }.joined(separator: ", "))): there is nothing to acknowledge")
        }
        let messages = rejections.map(\.ruleText).joined(separator: "; ")
        return .rejected(change, alert: context.alert(.rejection, code: RegularSyncAlerts.rejected,
                                                      message: "PASI rejected \(context.what): \(messages)"))
    }
}
