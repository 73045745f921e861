import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Prometheus
import SyncStore

/// `/health` for a load balancer and `/metrics` for Prometheus (docs/console.md, "Metrics"). Both
/// without a login: they carry counts and ages, never a row's content, and a scraper or a load
/// balancer has no session. Every number is read from the database at scrape time, so each host of
/// a cluster answers the same and Prometheus may scrape any one of them.
extension ConsoleServer {
    var metricsStore: ConsoleMetricsStore { ConsoleMetricsStore(client: client, logger: logger) }

    /// 200 when the database answers, 503 when it does not; no data either way.
    func health() async throws -> Response {
        let up = await metricsStore.isAnswering()
        return Response(status: up ? .ok : .serviceUnavailable,
                        headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: up ? "ok\n" : "database not answering\n")))
    }

    /// The text exposition format (version 0.0.4).
    func metrics() async throws -> Response {
        let text = Self.exposition(try await metricsStore.metrics())
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// The metrics in Prometheus' text format, from a registry made for this one scrape: a kind or
    /// a state that no longer has jobs is not left behind with a stale value.
    static func exposition(_ metrics: QueueMetrics) -> String {
        let registry = PrometheusCollectorRegistry()
        func gauge(_ name: String, _ help: String, _ labels: [(String, String)], _ value: Double) {
            registry.makeGauge(descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: help), labels: labels).set(to: value)
        }
        for kind in metrics.kinds {
            gauge("pasisync_queue_depth", "Jobs waiting, pending or retrying, per kind", [("kind", kind.kind)], Double(kind.depth))
            gauge("pasisync_queue_due_jobs", "Pending or retrying jobs whose run_at has come, per kind", [("kind", kind.kind)], Double(kind.due))
            gauge("pasisync_queue_oldest_due_job_age_seconds", "How long the oldest due job of a kind has been due (0 when none is)",
                  [("kind", kind.kind)], kind.oldestDueSeconds)
        }
        for row in metrics.jobsByState {
            gauge("pasisync_jobs", "Jobs in queue.jobs by kind and state (finished ones until Retention deletes them)",
                  [("kind", row.kind), ("state", row.state)], Double(row.jobs))
        }
        gauge("pasisync_data_events_pending", "Data events not yet handled by Regular Synchronization", [], Double(metrics.dataEventsPending))
        for row in metrics.openAlerts {
            gauge("pasisync_open_alerts", "Open (unresolved) alerts by alert type", [("type", row.type)], Double(row.alerts))
        }
        return registry.emitToString()
    }
}
