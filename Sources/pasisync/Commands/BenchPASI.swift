import ArgumentParser
import DistrictSynthesis
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
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
        abstract: "Measure the PASI Core client and simulator: Gets of 100 records, a change feed of every student.",
        discussion: """
            Starts the simulator in this process on a free loopback port with a synthetic province of \
            --students, and times sequential round trips over HTTPS with the development client \
            certificate: the baseline (GetCodeValues with nothing new: TLS, envelope and CallerInfo only), \
            GetStudent and GetStudentSchoolEnrolment of 100 random records with the Get messages \
            coded by DirectEnvelope and by XMLCoder (a second simulator and client over the same \
            province), and IsDataAvailable for Student from version 0 (every student in one answer). \
            Then the codecs alone: encode and decode of the answers, and the direct reader's scanner \
            against Foundation's XMLParser reading one answer with a delegate that does nothing. The \
            message log is not written (DiscardingMessageLog).
            """)

    @Option(name: .long, help: "Students in the province, 1 to 150000.")
    var students = 100_000

    @Option(name: .long, help: "Round trips for the baseline and for each Get of 100 records.")
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
        let callerInfo = try CallerInfo(user: .init(ipAddress: "127.0.0.1", localID: "pasisync-bench", name: "Benchmark", organizationCode: generator.authorityCode))
        // One simulator and client per coding of the Get messages, over the same province.
        var pairs: [(server: RunningSimulator, client: PASICoreClient)] = []
        do {
            for coding in [GetMessageCoding.direct, .xmlCoder] {
                var serverConfiguration = SimulatorServer.Configuration(certificates: directory, port: 0)
                serverConfiguration.getMessageCoding = coding
                let running = try await SimulatorServer(province: province, configuration: serverConfiguration, logger: logger).start()
                var clientConfiguration = PASICoreClient.Configuration(
                    endpoint: "https://127.0.0.1:\(running.port)/pasi", certificatePath: files.clientCertificate,
                    privateKeyPath: files.clientKey, trustRootsPath: files.caCertificate, callerInfo: callerInfo)
                clientConfiguration.getMessageCoding = coding
                do {
                    pairs.append((running, try PASICoreClient(configuration: clientConfiguration, messageLog: DiscardingMessageLog(), logger: logger)))
                } catch {
                    await running.stop()
                    throw error
                }
            }
            try await measure(direct: pairs[0].client, xmlCoder: pairs[1].client, province)
        } catch {
            for pair in pairs { try? await pair.client.shutdown(); await pair.server.stop() }
            throw error
        }
        for pair in pairs { try await pair.client.shutdown(); await pair.server.stop() }
    }

    private func measure(direct client: PASICoreClient, xmlCoder: PASICoreClient, _ province: Province) async throws {
        let latest = try await client.getCodeValues(since: 0).version
        let asns = await province.all(Student.self).map(\.recordID)
        let refIds = await province.all(SchoolEnrolment.self).map(\.refId.value)
        var random = SystemRandomNumberGenerator()
        func batch(_ ids: [String]) -> [String] { (0..<100).map { _ in ids.randomElement(using: &random)! } }
        func get<R: PASIRecord>(_ type: R.Type, _ ids: [String], _ client: PASICoreClient) async throws {
            let got = try await client.get(R.self, ids: batch(ids))
            guard got.count == 100, got.allSatisfy({ $0.record != nil }) else { throw CommandFailure("\(R.recordType.getOperation) returned \(got.count) records") }
        }
        // Warm the connections and both sides' code paths.
        for client in [client, xmlCoder] {
            for _ in 0..<20 {
                try await get(Student.self, asns, client)
                try await get(SchoolEnrolment.self, refIds, client)
            }
        }

        let baseline = try await timed(rounds) { _ = try await client.getCodeValues(since: latest) }
        let students = try await timed(rounds) { try await get(Student.self, asns, client) }
        let studentsXMLCoder = try await timed(rounds) { try await get(Student.self, asns, xmlCoder) }
        let enrolments = try await timed(rounds) { try await get(SchoolEnrolment.self, refIds, client) }
        let enrolmentsXMLCoder = try await timed(rounds) { try await get(SchoolEnrolment.self, refIds, xmlCoder) }
        let type = try NotificationType(.student)
        var items = 0
        var lastAnswer: [IsDataAvailableResponse.Answer] = []
        let feed = try await timed(feedRounds) {
            lastAnswer = try await client.isDataAvailable([.init(type)], wait: .zero)
            items = lastAnswer.first?.item.count ?? 0
        }
        guard items == asns.count else { throw CommandFailure("the feed answered \(items) items, expected \(asns.count)") }

        print("operation                                   rt/s      p50 ms     p99 ms   p50 vs baseline   p99 vs baseline")
        report("baseline (GetCodeValues, empty)", baseline, baseline)
        report("GetStudent × 100, XMLCoder", studentsXMLCoder, baseline)
        report("GetStudent × 100, direct", students, baseline)
        report("GetStudentSchoolEnrolment × 100, XMLCoder", enrolmentsXMLCoder, baseline)
        report("GetStudentSchoolEnrolment × 100, direct", enrolments, baseline)
        report("IsDataAvailable, \(items) items", feed, baseline)
        try codec(IsDataAvailableResponse(notification: lastAnswer))
        try recordCodec(GetRecordsResponse(item: try await client.get(Student.self, ids: Array(asns.prefix(100)))))
        try recordCodec(GetRecordsResponse(item: try await client.get(SchoolEnrolment.self, ids: Array(refIds.prefix(100)))))
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

    /// A Get answer's encoding (the simulator's side) and decoding (the client's) alone,
    /// through XMLCoder and through ``DirectEnvelope``; and the direct reader's scanner alone
    /// against Foundation's streaming `XMLParser` reading the document with a delegate that
    /// does nothing (the least any reader built on it costs).
    private func recordCodec<R: PASIRecord>(_ response: GetRecordsResponse<R>) throws {
        let operation = R.recordType.getOperation
        var generic = Data(), direct = Data()
        let genericEncode = try timedSync(rounds / 10) { generic = try SOAPEnvelope.response(operation, response) }
        let genericDecode = try timedSync(rounds / 10) { _ = try SOAPEnvelope.decodeResponse(operation, as: GetRecordsResponse<R>.self, from: generic).get() }
        let directEncode = try timedSync(rounds) { direct = try DirectEnvelope.response(operation, response) }
        let directDecode = try timedSync(rounds) { _ = try DirectEnvelope.decodeResponse(operation, as: GetRecordsResponse<R>.self, from: direct).get() }
        let scan = try timedSync(rounds) { try DirectEnvelope.checkWellFormed(direct) }
        let silent = SilentDelegate()
        let parser = try timedSync(rounds) {
            let parser = XMLParser(data: direct)
            parser.shouldProcessNamespaces = true
            parser.delegate = silent
            guard parser.parse() else { throw CommandFailure("XMLParser could not read the \(operation) answer") }
        }
        print(String(
            format: "%@ × 100 codec (p50 ms), %d bytes: XMLCoder encode %.2f, decode %.2f; direct encode %.3f (%.0fx faster), decode %.3f (%.0fx faster); the direct reader's scan alone %.3f, XMLParser alone %.3f",
            operation, direct.count, percentile(genericEncode, 0.5), percentile(genericDecode, 0.5),
            percentile(directEncode, 0.5), percentile(genericEncode, 0.5) / percentile(directEncode, 0.5),
            percentile(directDecode, 0.5), percentile(genericDecode, 0.5) / percentile(directDecode, 0.5),
            percentile(scan, 0.5), percentile(parser, 0.5)))
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
            name.padding(toLength: 42, withPad: " ", startingAt: 0),
            String(
                format: "%8.1f  %9.2f  %9.2f   %14.2fx  %14.2fx", Double(samples.count) / total, p50, p99,
                p50 / percentile(baseline, 0.50), p99 / percentile(baseline, 0.99)))
    }

    private func percentile(_ sorted: [Double], _ p: Double) -> Double {
        sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// Takes every element and all text from `XMLParser` and does nothing with them.
private final class SilentDelegate: NSObject, XMLParserDelegate {
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {}
    func parser(_ parser: XMLParser, foundCharacters string: String) {}
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {}
}
