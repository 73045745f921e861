import Foundation
import PASIContract
import PASIModel
import PASISimulator
import PasisyncTesting
import PostgresNIO
import Testing

/// Issue 22, item 4: no name, birth date, ASN or phone where personal data does not belong. Three
/// students carry known strings (canaries) in the SIS and in PASI; a cluster takes them through a
/// first day, an accepted edit, a rejection, a constraint violation in the local store and a PASI
/// answer it cannot read. Then not one canary may be in a worker's log at the default
/// level, in what `pasisync run` printed, in `queue.jobs` (args, progress, errors) or in the
/// retry errors of `sync.outbound_retries`. Alerts, data events' outcomes and the Messages Log are
/// where people look for the student, and are left out of the search.
@Suite("Canaries: no personal data in logs, jobs or error texts", .serialized)
struct CanaryProcessTests {
    static let canaryName = "Zqcanary"
    static let birthDate = "2012-02-29"
    /// What the PASI answer that cannot be read says instead of ``birthDate`` (no such day).
    static let unreadableBirthDate = "2012-02-30"
    static let trapName = "Zqcanarytrap"
    static let phones = ["587-555-0199"]

    /// The canary students: SIS id and ASN.
    typealias Canary = (id: Int, asn: String)

    @Test("a first day, an edit, a rejection, a constraint violation and an unreadable PASI answer leave no canary in logs, jobs or error texts")
    func noCanaryOutsideItsPlace() async throws {
        try await SimulatorFixture.with(students: 60) { fixture in
            let database = fixture.database
            var environment = RegularSyncProcessTests.environment(fixture)
            environment["PASISYNC_LOG_DIR"] = nil
            try await withWorkers(2, database, slots: 4, environment: environment) { workers in
                var canaries: [Canary] = []
                var outputs = try await RegularSyncProcessTests.synchronizing(fixture) { fixture in
                    canaries = try await Self.plant(fixture)
                }
                try await RegularSyncProcessTests.explainingFailure(database) {
                    try await database.execute("UPDATE sync.settings SET value = '1' WHERE key = 'data_available_wait_time_minutes'")
                    try await Self.acceptedEdit(fixture, canaries[1])
                    try await Self.rejection(fixture, canaries[0])
                    try await Self.constraintViolation(fixture, canaries[2])
                    outputs.append(try await Self.unreadableAnswer(fixture))
                }
                let (status, queue) = try await SyncJobProcessTests.command(["queue"], database)
                #expect(status == 0, "\(queue)")
                outputs.append(queue)
                let places = workers.enumerated().map { ("worker \($0.offset)'s log", $0.element.log) }
                    + outputs.enumerated().map { ("pasisync command \($0.offset)'s output", $0.element) }
                    + [("queue.jobs", try await Self.text(database, "SELECT j::text FROM queue.jobs j")),
                       ("sync.outbound_retries", try await Self.text(database, "SELECT r::text FROM sync.outbound_retries r"))]
                let found = Self.canariesFound(in: places, asns: canaries.map(\.asn))
                #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
            }
        }
    }

    /// Gives three students present in the SIS and in PASI canary names and birth dates, the same
    /// on both sides (so the first day matches them without a conflict).
    static func plant(_ fixture: SimulatorFixture) async throws -> [Canary] {
        let database = fixture.database
        var canaries: [Canary] = []
        let rows = try await database.client.query("SELECT id, asn::text FROM sis.students WHERE asn IS NOT NULL ORDER BY id", logger: TestEnvironment.logger)
        for try await (id, asn) in rows.decode((Int, String).self) where canaries.count < 3 {
            if await fixture.province.record(Student.self, id: asn) != nil { canaries.append((id, asn)) }
        }
        try #require(canaries.count == 3)
        for (index, canary) in canaries.enumerated() {
            let last = "\(canaryName)last\(index)", first = "\(canaryName)first\(index)"
            try await database.execute("""
                UPDATE sis.students SET last_name = \(last), legal_last_name = \(last), first_name = \(first), legal_first_name = \(first),
                    dob = \(birthDate)::date
                WHERE id = \(canary.id)
                """)
            try await renameInPASI(fixture, canary.asn, last: last, first: first, birthDate: birthDate)
        }
        return canaries
    }

    /// Saves a new legal name (and birth date) of a student in the province, as PASI's staff would.
    static func renameInPASI(_ fixture: SimulatorFixture, _ asn: String, last: String, first: String? = nil, birthDate: String? = nil) async throws {
        var student = try #require(await fixture.province.record(Student.self, id: asn))
        let index = try #require(student.names.firstIndex { $0.type == .legal })
        student.names[index].lastName = last
        if let first { student.names[index].firstName = first }
        if let birthDate { student.birthDate = try PASIDate(birthDate) }
        _ = await fixture.province.change(student)
    }

    /// A name change of a canary student reaches PASI.
    static func acceptedEdit(_ fixture: SimulatorFixture, _ canary: Canary) async throws {
        let first = "\(canaryName)renamed"
        try await fixture.database.execute("UPDATE sis.students SET first_name = \(first), legal_first_name = \(first) WHERE id = \(canary.id)")
        try await eventually(within: .seconds(30), "the new first name in PASI") {
            await fixture.province.record(Student.self, id: canary.asn)?.legalName?.firstName == first
        }
    }

    /// A phone change PASI rejects (rule 9020, the fault plan's) ends Rejected.
    static func rejection(_ fixture: SimulatorFixture, _ canary: Canary) async throws {
        var plan = FaultPlan()
        plan.rejectIDs = [canary.asn]
        fixture.server.faults.plan = plan
        try await fixture.database.execute("UPDATE sis.students SET home_phone = \(phones[0]) WHERE id = \(canary.id)")
        try await eventually(within: .seconds(30), "the change Rejected") {
            try await fixture.database.scalar(
                "SELECT count(*)::int FROM sync.data_events WHERE row_key = \(String(canary.id)) AND status = 'Rejected'", as: Int.self) == 1
        }
        fixture.server.faults.plan = FaultPlan()
    }

    /// Load Local Copy run again while PASI's answers hold a birth date that is no date: the
    /// download fails on it, and says so without the value.
    /// - Returns: What `pasisync run load-local-copy --wait` printed.
    static func unreadableAnswer(_ fixture: SimulatorFixture) async throws -> String {
        var plan = FaultPlan()
        plan.answerReplacements = ["<BirthDate>\(birthDate)<": "<BirthDate>\(unreadableBirthDate)<"]
        fixture.server.faults.plan = plan
        defer { fixture.server.faults.plan = FaultPlan() }
        let (status, output) = try await SyncJobProcessTests.command(["run", "load-local-copy", "--wait"], fixture.database, within: .seconds(120))
        #expect(status != 0, "\(output)")
        // The failure names the element and the rule: the scenario happened, and says where.
        #expect(try await fixture.database.scalar(
            "SELECT count(*)::int FROM queue.jobs WHERE last_error LIKE '%Record/BirthDate: date must be a real calendar date%'", as: Int.self) >= 1)
        // The value is where a person who debugs looks for it: the answer, in the Messages Log,
        // although its setting keeps no bodies (the default), as for every defect.
        #expect(try await fixture.database.scalar("""
            SELECT count(*)::int FROM sync.message_log
            WHERE operation = 'GetStudent' AND response_body LIKE \("%<BirthDate>\(unreadableBirthDate)<%")
            """, as: Int.self) >= 1)
        return output
    }

    /// A constraint of the local store that PASI's new name breaks: the download fails, its
    /// error names the constraint and not the row.
    static func constraintViolation(_ fixture: SimulatorFixture, _ canary: Canary) async throws {
        let database = fixture.database
        try await database.execute(
            "ALTER TABLE pasi.student_names ADD CONSTRAINT canary_trap CHECK (last_name IS DISTINCT FROM \(unescaped: "'\(trapName)'"))")
        try await renameInPASI(fixture, canary.asn, last: trapName)
        try await eventually(within: .seconds(90), "a job failing on the constraint") {
            try await database.scalar("SELECT count(*)::int FROM queue.jobs j WHERE j::text LIKE '%canary_trap%'", as: Int.self) > 0
        }
        try await database.execute("ALTER TABLE pasi.student_names DROP CONSTRAINT canary_trap")
    }

    static func text(_ database: TestDatabase, _ query: PostgresQuery) async throws -> String {
        try await database.scalar("SELECT coalesce(string_agg(t, E'\\n'), '') FROM (\(unescaped: query.sql)) AS rows(t)", as: String.self)
    }

    /// Each place that holds a canary, with the line that holds it.
    static func canariesFound(in places: [(name: String, text: String)], asns: [String]) -> [String] {
        // Dates as ISO, as PASIModelError shows them (no leading zeros) and as other formats would.
        let strings = [canaryName, birthDate, unreadableBirthDate, "2012-2-29", "2012-2-30", "29/02/2012", "20120229"] + phones + phones.map { $0.replacingOccurrences(of: "-", with: "") }
        var found: [String] = []
        for (name, text) in places {
            for line in text.split(separator: "\n") {
                let hits = strings.filter { line.contains($0) } + asns.filter { containsNumber(line, $0) }
                if !hits.isEmpty { found.append("\(name): \(hits) in: \(line.prefix(400))") }
            }
        }
        return found
    }

    /// Whether `line` holds `number` not as part of a longer number.
    static func containsNumber(_ line: Substring, _ number: String) -> Bool {
        var rest = line[...]
        while let range = rest.range(of: number) {
            let before = range.lowerBound > line.startIndex ? line[line.index(before: range.lowerBound)] : " "
            let after = range.upperBound < line.endIndex ? line[range.upperBound] : " "
            if !before.isNumber, !after.isNumber { return true }
            rest = line[range.upperBound...]
        }
        return false
    }
}
