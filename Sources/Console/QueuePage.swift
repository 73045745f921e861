import Foundation
import Hummingbird
import JobQueue
import PASIModel
import SyncJobs
import SyncStore

/// The Synchronization Queue page: jobs with their seed titles, filters, cancel, retry, Run Now.
/// Each action answers in the words `pasisync cancel`, `retry` and `run` use.
extension ConsoleServer {
    /// Jobs shown at most.
    static let queueLimit = 200

    func queuePage(_ session: ConsoleSession, query: FormFields, outcome: Outcome? = nil) async throws -> Response {
        let kind = query["kind"]
        let state = query["state"].flatMap(JobState.init(rawValue:))
        let jobs = try await queue.list(limit: Self.queueLimit, kind: kind, state: state)
        let counts = try await queue.countsByState()
        let canAct = session.user.role >= .operator
        let kinds = Set(counts.map(\.kind) + RunNow.all.map(\.kind) + (kind.map { [$0] } ?? [])).sorted()
        var context: [String: Any] = [
            "canAct": canAct, "limit": Self.queueLimit,
            "kinds": kinds.map { ["value": $0, "label": $0, "selected": $0 == kind] as [String: Any] },
            "states": JobState.allCases.map { ["value": $0.rawValue, "selected": $0 == state] as [String: Any] },
            "jobs": jobs.map(Self.row),
            "stateNames": JobState.allCases.map(\.rawValue),
            "counts": counts.map { count in
                ["kind": count.kind, "cells": JobState.allCases.map { "\(count.counts[$0] ?? 0)" }] as [String: Any]
            },
            "processes": RunNow.all.map { process in
                [
                    "name": process.name, "process": process.process,
                    "takesSchool": process.usage.contains("--school"), "needsSchool": process.usage.hasPrefix("--school"),
                    "takesType": process.usage.contains("--type"),
                    "uploadTypes": InitialUploadType.allCases.map(\.rawValue),
                ] as [String: Any]
            },
        ]
        let filters = [("kind", kind), ("state", state?.rawValue)].compactMap { name, value in value.map { "\(name)=\(queryEncoded($0))" } }
            .joined(separator: "&")
        context["back"] = filters
        let live = "/queue" + (filters.isEmpty ? "" : "?" + filters)
        return Page.html(Templates.render("queue", context, layout: Self.frame(
            session, title: "Synchronization Queue", current: .queue, live: live, outcome: outcome)))
    }

    /// One job as the table shows it.
    static func row(_ job: JobSummary) -> [String: Any] {
        let total = job.progressTotal ?? 0
        let done = job.progressDone ?? 0
        return [
            "id": "\(job.id)", "title": job.title, "kind": job.title == job.kind ? "" : job.kind, "state": job.state.rawValue,
            "hasTotal": total > 0, "done": job.progressDone.map { "\($0)" } ?? "", "total": "\(total)",
            "percent": total > 0 ? "\(Int((100 * min(1, Double(done) / Double(total))).rounded()))" : "",
            "message": job.progressMessage ?? "", "attempts": job.attempts, "age": job.age, "runtime": job.runtime ?? "",
            "worker": job.worker ?? "", "lastError": job.lastError ?? "",
            "cancellable": !job.state.isFinished, "retryable": job.state == .failed || job.state == .cancelled,
        ]
    }

    /// `pasisync run NAME [--school] [--type]`, refused as it refuses.
    func runNow(_ session: ConsoleSession, _ form: FormFields) async throws -> Outcome {
        let name = form["name"] ?? ""
        let options = RunNowOptions(school: form["school"], type: form["type"])
        let target = "run " + name + (options.school.map { " school \($0)" } ?? "") + (options.type.map { " type \($0)" } ?? "")
        do {
            switch try await RunNow.enqueue(name, options, settings: settings, queue: queue) {
            case .duplicate(let id): return .done("job \(id) of \(name) is already queued", on: .queue, target: target)
            case let result: return .done("job \(result.id) of \(name) queued", on: .queue, target: target)
            }
        } catch let refused as RunNowRefused {
            return .refused(refused.description, on: .queue, target: target)
        }
    }

    /// `pasisync cancel ID`.
    func cancel(_ session: ConsoleSession, _ id: Int64?) async throws -> Outcome {
        guard let id else { return .refused("no such job", .notFound, on: .queue) }
        switch try await queue.cancel(id: id) {
        case nil: return .refused("no job \(id)", .notFound, on: .queue)
        case .running?: return .done("job \(id) is running: its worker has been asked to stop it", on: .queue)
        case .cancelled?: return .done("job \(id) cancelled", on: .queue)
        case let state?: return .refused("job \(id) is already \(state.rawValue); nothing to cancel", on: .queue)
        }
    }

    /// `pasisync retry ID`.
    func retry(_ session: ConsoleSession, _ id: Int64?) async throws -> Outcome {
        guard let id else { return .refused("no such job", .notFound, on: .queue) }
        guard let before = try await queue.state(of: id) else { return .refused("no job \(id)", .notFound, on: .queue) }
        guard before == .failed || before == .cancelled else {
            return .refused("job \(id) is \(before.rawValue); only failed or cancelled jobs can be retried", on: .queue)
        }
        _ = try await queue.retry(id: id)
        return .done("job \(id) queued again", on: .queue)
    }
}
