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
        let form = QueueFilterForm(query, schools: session.user.schools)
        let filter = form.filter
        let jobs = try await queue.list(limit: Self.queueLimit, filter: filter)
        let counts = try await queue.countsByState()
        let canAct = session.user.role >= .operator
        // No bulk button under a refused filter: the list falls back to a wider one, which a bulk
        // action must never be offered for.
        let actionable = canAct && form.problem == nil ? try await queue.actionable(filter, cap: Self.bulkCountCap) : (0, 0)
        let kinds = Set(counts.map(\.kind) + RunNow.all.map(\.kind) + (filter.kind.map { [$0] } ?? [])).sorted()
        var context: [String: Any] = [
            "canAct": canAct, "limit": Self.queueLimit,
            "kinds": kinds.map { ["value": $0, "label": $0, "selected": $0 == filter.kind] as [String: Any] },
            "states": JobState.allCases.map { ["value": $0.rawValue, "selected": $0 == filter.state] as [String: Any] },
            "windows": QueueFilterForm.windows.map { ["value": $0.value, "label": $0.label, "selected": $0.value == form.since] as [String: Any] },
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
            // The bulk actions carry the filter itself, not the ids shown: they act on every job it
            // selects, beyond the page's limit too, as the counts on their buttons say.
            "filterFields": form.fields.map { ["name": $0.name, "value": $0.value] },
            "selection": form.description,
            // Not "cancellable"/"retryable": those are each job row's flags, which Mustache would
            // find here for a row that lacked them.
            "cancelCount": Self.bulkCount(actionable.0), "hasCancellable": actionable.0 > 0,
            "retryCount": Self.bulkCount(actionable.1), "hasRetryable": actionable.1 > 0,
        ]
        let filters = form.fields.map { "\($0.name)=\(queryEncoded($0.value))" }.joined(separator: "&")
        context["back"] = filters
        let live = "/queue" + (filters.isEmpty ? "" : "?" + filters)
        var response = Page.html(Templates.render("queue", context, layout: Self.frame(
            session, title: "Synchronization Queue", current: .queue, live: live, outcome: outcome ?? form.problem)))
        if outcome == nil, form.problem != nil { response.status = .badRequest }
        return response
    }

    /// Counts of the bulk buttons are counted up to this many ("at least 10000").
    static let bulkCountCap = 10_000

    static func bulkCount(_ count: Int) -> String {
        count >= bulkCountCap ? "at least \(bulkCountCap)" : "\(count)"
    }

    /// `/queue/ID`: one job, with every attempt that ended in an error and its error (the history
    /// `queue.jobs.errors` keeps across retries), oldest first.
    func jobPage(_ session: ConsoleSession, id: Int64?) async throws -> Response {
        // Another school's job is, for a user limited to some schools, no job at all.
        guard let id, try await jobVisible(id, to: session), let job = try await queue.summary(of: id), let errors = try await queue.attemptErrors(of: id) else {
            return Page.html(Templates.render("job-missing", [:], layout: Self.frame(
                session, title: "No such job", current: .queue, live: "")), status: .notFound)
        }
        var summary = Self.row(job)
        // Mustache takes an empty string as a value to show: the flags say whether there is one.
        summary["hasRuntime"] = job.runtime != nil
        summary["hasWorker"] = job.worker != nil
        let context: [String: Any] = [
            "job": summary,
            "errors": errors.map { error in
                [
                    "attempt": "\(error.attempt)", "at": error.at, "worker": error.worker ?? "", "error": error.error,
                    // As the worker recorded it: whether the handler called the error permanent (a
                    // transient error may still have been the last, when attempts ran out).
                    "kind": error.permanent ? "permanent" : "transient",
                ]
            },
        ]
        return Page.html(Templates.render("job", context, layout: Self.frame(
            session, title: "Job \(id): \(job.title)", current: .queue, live: "/queue/\(id)")))
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
        if let schools = session.user.schools {
            // A user limited to some schools runs a process for one of them, never one for the whole
            // district or for another school (as PASI scopes a school's users).
            guard let school = options.school else {
                return .refused("your user is limited to schools \(schools.joined(separator: ", ")): it may run a process for one of them "
                                + "(Initial Synchronization or Initial Upload with its school), not one for the whole district",
                                .forbidden, on: .queue, target: target)
            }
            guard schools.contains(school) else {
                return .refused("school \(school) is not one of your schools (\(schools.joined(separator: ", ")))", .forbidden, on: .queue,
                                target: target)
            }
        }
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
        guard try await jobVisible(id, to: session) else { return .refused("no job \(id)", .notFound, on: .queue) }
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
        guard try await jobVisible(id, to: session) else { return .refused("no job \(id)", .notFound, on: .queue) }
        guard let before = try await queue.state(of: id) else { return .refused("no job \(id)", .notFound, on: .queue) }
        guard before == .failed || before == .cancelled else {
            return .refused("job \(id) is \(before.rawValue); only failed or cancelled jobs can be retried", on: .queue)
        }
        _ = try await queue.retry(id: id)
        return .done("job \(id) queued again", on: .queue)
    }

    /// Cancels every unfinished job the filter of the form selects (running ones are asked to stop).
    func cancelMatching(_ session: ConsoleSession, _ form: FormFields) async throws -> Outcome {
        let filter = QueueFilterForm(form, schools: session.user.schools)
        if let problem = filter.problem { return problem }
        let done = try await queue.cancel(matching: filter.filter)
        guard done.cancelled + done.asked > 0 else {
            return .refused("no unfinished job matches \(filter.description); nothing to cancel", on: .queue, target: filter.description)
        }
        var message = "\(Self.jobCount(done.cancelled)) cancelled"
        if done.asked > 0 { message += "; \(Self.jobCount(done.asked, "running job")) asked to stop" }
        return .done(message, on: .queue, target: filter.description)
    }

    /// Queues again every failed or cancelled job the filter of the form selects.
    func retryMatching(_ session: ConsoleSession, _ form: FormFields) async throws -> Outcome {
        let filter = QueueFilterForm(form, schools: session.user.schools)
        if let problem = filter.problem { return problem }
        let count = try await queue.retry(matching: filter.filter)
        guard count > 0 else {
            return .refused("no failed or cancelled job matches \(filter.description); nothing to retry", on: .queue,
                            target: filter.description)
        }
        return .done("\(Self.jobCount(count)) queued again", on: .queue, target: filter.description)
    }

    /// Whether `session`'s user may see job `id`: every job for a user of every school; for a user
    /// limited to some schools, a job that names no school or one of theirs (`args.school`).
    /// `true` for no such job, which the caller finds missing itself.
    func jobVisible(_ id: Int64, to session: ConsoleSession) async throws -> Bool {
        guard let schools = session.user.schools, let found = try await users.jobSchool(id: id), let school = found else { return true }
        return schools.contains(school)
    }

    static func jobCount(_ count: Int, _ noun: String = "job") -> String { count == 1 ? "1 \(noun)" : "\(count) \(noun)s" }
}

/// The queue's filters as a form or query gives them: kind, state and how recently a job was made.
/// A state or a window that is not one of the choices is refused (400), not read as "any": a bulk
/// action must never widen to every job because a value was mistyped.
struct QueueFilterForm {
    /// The windows of "Made within", by the value the form sends.
    static let windows: [(value: String, label: String, duration: Duration)] = [
        ("1h", "the last hour", .seconds(3600)), ("24h", "the last 24 hours", .seconds(86_400)),
        ("7d", "the last 7 days", .seconds(7 * 86_400)), ("30d", "the last 30 days", .seconds(30 * 86_400)),
    ]

    let filter: JobFilter
    /// The window's value as sent ("24h"), if any.
    let since: String?
    /// Why the form's filter was refused, if it was.
    let problem: Outcome?

    init(_ form: FormFields, schools: [String]? = nil) {
        var problem: Outcome?
        let state = form["state"].flatMap { text in
            JobState(rawValue: text) ?? {
                problem = .refused("State must be one of \(JobState.allCases.map(\.rawValue).joined(separator: ", ")); got \(text.debugDescription)",
                                   .badRequest, on: .queue)
                return nil
            }()
        }
        let since = form["since"]
        let window = since.flatMap { value in Self.windows.first { $0.value == value } }
        if let since, window == nil {
            problem = .refused("Made within must be one of \(Self.windows.map(\.value).joined(separator: ", ")); got \(since.debugDescription)",
                               .badRequest, on: .queue)
        }
        self.problem = problem
        // A refused filter selects nothing a bulk action could act on: it is never run (see `problem`).
        self.filter = JobFilter(kind: form["kind"], state: state, createdWithin: window?.duration, schools: schools)
        self.since = window?.value
    }

    /// The filter's fields, to carry in a link or a bulk action's form.
    var fields: [(name: String, value: String)] {
        [("kind", filter.kind), ("state", filter.state?.rawValue), ("since", since)].compactMap { name, value in value.map { (name, $0) } }
    }

    /// The selection in words, for a message and the audit log: "kind code_values, state failed".
    var description: String {
        var parts: [String] = []
        if let kind = filter.kind { parts.append("kind \(kind)") }
        if let state = filter.state { parts.append("state \(state.rawValue)") }
        if let window = Self.windows.first(where: { $0.value == since }) { parts.append("made within \(window.label)") }
        return parts.isEmpty ? "the filter (every job)" : "the filter (" + parts.joined(separator: ", ") + ")"
    }
}
