import ArgumentParser
import DistrictSynthesis
import Foundation
import Logging
import PASIContract
import PASICore
import PASIModel
import PASISimulator

/// `pasisync bench-pasi`: round trips per second and latency of the client against the
/// simulator over HTTPS, each against a baseline measured in the same run.
struct BenchPASI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-pasi",
        abstract: "Measure the PASI Core client and simulator: Get of 100 students, a change feed of every student.",
        discussion: """
            Starts the simulator in this process on a free loopback port with a synthetic province of \
            --students, and times sequential round trips over HTTPS with the development client \
            certificate: the baseline (GetCodeValues with nothing new: TLS, envelope and CallerInfo only), \
            GetStudents of 100 random students, and IsDataAvailable for Student from version 0 (every \
            student in one answer). The message log is not written (DiscardingMessageLog).
            """)

    @Option(name: .long, help: "Students in the province, 1 to 150000.")
    var students = 100_000

    @Option(name: .long, help: "Round trips for the baseline and for the Get of 100 students.")
    var rounds = 300

    @Option(name: .long, help: "Round trips for the change feed.")
    var feedRounds = 5

    func validate() throws {
        guard (1...150_000).contains(students) else { throw ValidationError("--students must be from 1 to 150000, got \(students)") }
        guard rounds >= 10, feedRounds >= 1 else { throw ValidationError("--rounds must be at least 10 and --feed-rounds at least 1") }
    }

    func run() async throws {
        let directory = NSTemporaryDirectory() + "pasisync-bench-certs-\(getpid())"
        let files = try DevelopmentCertificates.create(in: directory)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let generator = DistrictGenerator(students: students, seed: 1)
        let loadStart = ContinuousClock.now
        let province = try await Province.synthetic(generator)
        print(String(format: "province of %d students loaded in %.2f s", students, seconds(ContinuousClock.now - loadStart)))
        var logger = Logger(label: "pasisync.bench")
        logger.logLevel = .warning
        let server = SimulatorServer(province: province, configuration: .init(certificates: directory, port: 0), logger: logger)
        let running = try await server.start()
        let port = running.port

        let client = try PASICoreClient(
            configuration: PASICoreClient.Configuration(
                endpoint: "https://127.0.0.1:\(port)/pasi", certificatePath: files.clientCertificate,
                privateKeyPath: files.clientKey, trustRootsPath: files.caCertificate,
                callerInfo: try CallerInfo(user: .init(ipAddress: "127.0.0.1", localID: "pasisync-bench", name: "Benchmark", organizationCode: generator.authorityCode))),
            messageLog: DiscardingMessageLog(), logger: logger)
        do {
            try await measure(client, province)
            try await client.shutdown()
            await running.stop()
        } catch {
            try? await client.shutdown()
            await running.stop()
            throw error
        }
    }

    private func measure(_ client: PASICoreClient, _ province: Province) async throws {
        let latest = try await client.getCodeValues(since: 0).version
        let asns = await province.all(Student.self).map(\.asn)
        var random = SystemRandomNumberGenerator()
        // Warm the connection and both sides' code paths.
        for _ in 0..<20 { _ = try await client.getStudents((0..<100).map { _ in asns.randomElement(using: &random)! }) }

        let baseline = try await timed(rounds) { _ = try await client.getCodeValues(since: latest) }
        let get100 = try await timed(rounds) {
            let batch = (0..<100).map { _ in asns.randomElement(using: &random)! }
            let got = try await client.getStudents(batch)
            guard got.count == 100, got.allSatisfy({ $0.record != nil }) else { throw CommandFailure("GetStudents returned \(got.count) records") }
        }
        let type = try NotificationType(.student)
        var items = 0
        var lastAnswer: [IsDataAvailableResponse.Answer] = []
        let feed = try await timed(feedRounds) {
            lastAnswer = try await client.isDataAvailable([.init(type)], wait: .zero)
            items = lastAnswer.first?.item.count ?? 0
        }
        guard items == asns.count else { throw CommandFailure("the feed answered \(items) items, expected \(asns.count)") }

        print("operation                          rt/s      p50 ms     p99 ms   p50 vs baseline")
        report("baseline (GetCodeValues, empty)", baseline, baseline)
        report("GetStudents × 100", get100, baseline)
        report("IsDataAvailable, \(items) items", feed, baseline)
        try codec(IsDataAvailableResponse(notification: lastAnswer))
        let hundred = try await client.getStudents(Array(asns.prefix(100)))
        try recordCodec(GetRecordsResponse(item: hundred))
        let peak = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("VmHWM") }.map { String($0.dropFirst(6)).trimmingCharacters(in: .whitespaces) } ?? "?"
        print("peak memory of this process (client + simulator + province): \(peak)")
    }

    /// The feed answer's encoding and decoding alone, through XMLCoder (the generic path)
    /// and through ``FeedCoding`` (the streaming path the transport uses for it).
    private func codec(_ response: IsDataAvailableResponse) throws {
        var generic = Data(), fast = Data()
        let genericEncode = try timedSync(feedRounds) { generic = try SOAPEnvelope.response("IsDataAvailable", response) }
        let genericDecode = try timedSync(feedRounds) { _ = try SOAPEnvelope.decodeResponse("IsDataAvailable", as: IsDataAvailableResponse.self, from: generic).get() }
        let fastEncode = try timedSync(feedRounds) { fast = FeedCoding.encode(response) }
        let fastDecode = try timedSync(feedRounds) { _ = try FeedCoding.decode(fast).get() }
        let count = response.notification.first?.item.count ?? 0
        print(String(
            format: "feed codec, %d items (p50 ms): XMLCoder encode %.1f, decode %.1f; streaming encode %.1f (%.1fx faster), decode %.1f (%.1fx faster)",
            count, percentile(genericEncode, 0.5), percentile(genericDecode, 0.5), percentile(fastEncode, 0.5),
            percentile(genericEncode, 0.5) / percentile(fastEncode, 0.5), percentile(fastDecode, 0.5),
            percentile(genericDecode, 0.5) / percentile(fastDecode, 0.5)))
    }

    /// A Get answer's encoding (the simulator's side) and decoding (the client's) alone.
    private func recordCodec(_ response: GetRecordsResponse<Student>) throws {
        var data = Data()
        let encode = try timedSync(rounds / 10) { data = try SOAPEnvelope.response("GetStudents", response) }
        let decode = try timedSync(rounds / 10) { _ = try SOAPEnvelope.decodeResponse("GetStudents", as: GetRecordsResponse<Student>.self, from: data).get() }
        print(String(format: "GetStudents × 100 codec (p50 ms, XMLCoder): encode %.1f, decode %.1f, %d bytes", percentile(encode, 0.5), percentile(decode, 0.5), data.count))
    }

    private func timedSync(_ count: Int, _ body: () throws -> Void) throws -> [Double] {
        var samples: [Double] = []
        for _ in 0..<count {
            let start = ContinuousClock.now
            try body()
            samples.append(seconds(ContinuousClock.now - start) * 1000)
        }
        return samples.sorted()
    }

    private func timed(_ count: Int, _ body: () async throws -> Void) async throws -> [Double] {
        var samples: [Double] = []
        for _ in 0..<count {
            let start = ContinuousClock.now
            try await body()
            samples.append(seconds(ContinuousClock.now - start) * 1000)
        }
        return samples.sorted()
    }

    private func report(_ name: String, _ samples: [Double], _ baseline: [Double]) {
        let total = samples.reduce(0, +) / 1000
        let p50 = percentile(samples, 0.50), p99 = percentile(samples, 0.99)
        print(
            name.padding(toLength: 32, withPad: " ", startingAt: 0),
            String(format: "%8.1f  %9.2f  %9.2f   %8.2fx", Double(samples.count) / total, p50, p99, p50 / percentile(baseline, 0.50)))
    }

    private func percentile(_ sorted: [Double], _ p: Double) -> Double {
        sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
