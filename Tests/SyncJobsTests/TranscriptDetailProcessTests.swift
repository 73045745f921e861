import DistrictSynthesis
import Foundation
import JobQueue
import PASIModel
import PASISimulator
import PasisyncTesting
import PostgresNIO
import SyncStore
import Testing

/// Student Transcript Detail Synchronization (issue 20, item 8), one way from PASI into the local
/// store while its switch is on, on real workers against the simulator over HTTPS: Load Local Copy,
/// Hash Synchronization and PASI Data Available read PASI's GetStudentTranscriptDetail
/// (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/get_student_transcript_detail.html).
@Suite("Student Transcript Detail Synchronization: the local copy while the switch is on", .serialized)
struct TranscriptDetailProcessTests {
    typealias Ready = GettingReadyProcessTests
    typealias Diploma = DiplomaExamProcessTests

    static func count(_ database: TestDatabase, _ query: PostgresQuery) async throws -> Int {
        try await database.scalar(query, as: Int.self)
    }

    /// An official mark as the view shows it, `value|part_version`, or "none".
    static func shown(_ database: TestDatabase, asn: String, course: String) async throws -> String {
        try await database.scalar("""
            SELECT coalesce((SELECT value || '|' || part_version FROM sync.student_transcript_details
                             WHERE asn = \(asn) AND part = 'Official Mark' AND code = \(course)), 'none')
            """, as: String.self)
    }

    static func localVersion(_ database: TestDatabase, _ asn: String) async throws -> Int64 {
        try await database.scalar(
            "SELECT coalesce((SELECT pasi_core_version FROM pasi.student_transcript_details WHERE ref_id = \(asn)), 0)::bigint", as: Int64.self)
    }

    /// The official mark of `asn`'s first course recalculated in PASI (POST /admin/change).
    static func recalculate(_ fixture: SimulatorFixture, _ transcript: StudentTranscriptDetail, to mark: Int) async throws {
        let course = transcript.officialMarks[0].courseCode
        try await PASIDataAvailableProcessTests.post(
            fixture, "/change?type=StudentTranscriptDetail&id=\(transcript.recordID)&courseCode=\(course)&officialMark=\(mark)")
    }

    @Test("off: no transcript is downloaded or polled; on: Load Local Copy brings every one PASI holds, shown per part; a recalculated official mark arrives through Hash Synchronization and through PASI Data Available")
    func synchronization() async throws {
        try await Diploma.with(students: 60) { fixture in
            let database = fixture.database
            try await Ready.firstDay(fixture)
            let transcripts = await fixture.province.all(StudentTranscriptDetail.self).sorted { $0.recordID < $1.recordID }
            try #require(transcripts.count >= 3, "\(transcripts.count) transcripts in the province")
            let school = try await database.scalar("SELECT min(school_code)::text FROM sis.schools", as: String.self)
            try await withWorkers(1, database, slots: 4, environment: PASIDataAvailableProcessTests.environment(port: fixture.port)) { _ in
                // Off, the seed's default: nothing of the type is asked for.
                var (status, output) = try await SyncJobProcessTests.command(["run", "load-local-copy", "--wait"], database, within: .seconds(120))
                #expect(status == 0, "\(output)")
                #expect(try await Self.count(database, "SELECT count(*)::int FROM pasi.student_transcript_details") == 0)
                #expect(try await Self.count(database, """
                    SELECT count(*)::int FROM sync.message_log WHERE operation = 'GetStudentTranscriptDetail'
                    """) == 0)

                // On: Load Local Copy brings every transcript PASI holds, each part in the view.
                try await database.execute("UPDATE sync.settings SET value = 'on' WHERE key = 'student_transcript_detail_synchronization'")
                (status, output) = try await SyncJobProcessTests.command(["run", "load-local-copy", "--wait"], database, within: .seconds(120))
                #expect(status == 0, "\(output)")
                #expect(try await Self.count(database, "SELECT count(*)::int FROM pasi.student_transcript_details") == transcripts.count)
                let first = transcripts[0]
                let parts = first.officialMarks.count + first.credentials.count + first.credentialRequirementExemptions.count
                    + first.externalCredentials.count
                #expect(try await Self.count(database, "SELECT count(*)::int FROM sync.student_transcript_details WHERE asn = \(first.recordID)") == parts)
                for mark in first.officialMarks {
                    #expect(try await Self.shown(database, asn: first.recordID, course: mark.courseCode) == "\(mark.markValue ?? "")|\(mark.pasiCoreVersion)")
                }
                let store = PASIStore(client: database.client, logger: TestEnvironment.logger)
                #expect(try await store.versions(of: .studentTranscriptDetail).count == transcripts.count)

                // Hash Synchronization: a mark PASI recalculated behind the client's back is fetched, that transcript alone.
                try await database.execute("UPDATE sync.settings SET value = 'on' WHERE key = 'hash_synchronization'")
                let hashMark = first.officialMarks[0].markValue == "61" ? 62 : 61
                try await Self.recalculate(fixture, first, to: hashMark)
                (status, output) = try await SyncJobProcessTests.command(["run", "hash-sync", "--wait"], database)
                #expect(status == 0, "\(output)")
                let hashJob = try await Ready.lastJob(database, kind: "hash_sync")
                #expect(try await Self.count(database, """
                    SELECT to_fetch FROM sync.hash_results WHERE job_id = \(hashJob) AND notification_type = 'StudentTranscriptDetail'
                    """) == 1)
                let recalculated = try #require(await fixture.province.record(StudentTranscriptDetail.self, id: first.recordID))
                #expect(try await Self.shown(database, asn: first.recordID, course: first.officialMarks[0].courseCode)
                        == "\(hashMark)|\(recalculated.pasiCoreVersion)")
                #expect(try await Self.localVersion(database, first.recordID) == recalculated.pasiCoreVersion)

                // PASI Data Available: while Regular Synchronization is on, a recalculated mark reaches the local store.
                try await database.execute("UPDATE sync.settings SET value = '1' WHERE key = 'data_available_wait_time_minutes'")
                try await database.execute("UPDATE sync.settings SET value = 'on' WHERE key = 'regular_synchronization'")
                try await PASIDataAvailableProcessTests.waiting(database)
                let second = transcripts[1]
                let polledMark = second.officialMarks[0].markValue == "88" ? 87 : 88
                try await Self.recalculate(fixture, second, to: polledMark)
                try await eventually(within: .seconds(30), "the recalculated mark of \(second.recordID) in sync.student_transcript_details") {
                    try await Self.shown(database, asn: second.recordID, course: second.officialMarks[0].courseCode).hasPrefix("\(polledMark)|")
                }

                // The switch off: a change PASI makes is not downloaded (the next poll leaves the type
                // out); back on, it comes.
                try await database.execute("UPDATE sync.settings SET value = 'off' WHERE key = 'student_transcript_detail_synchronization'")
                try await Diploma.pollRound(fixture, school: school, name: "TranscriptsOffA")
                let third = transcripts[2]
                let before = try await Self.localVersion(database, third.recordID)
                #expect(before == third.pasiCoreVersion)
                try await Self.recalculate(fixture, third, to: third.officialMarks[0].markValue == "55" ? 56 : 55)
                try await Diploma.pollRound(fixture, school: school, name: "TranscriptsOffB")
                try await Diploma.pollRound(fixture, school: school, name: "TranscriptsOffC")
                #expect(try await Self.localVersion(database, third.recordID) == before, "the switch is off, yet the transcript was downloaded")
                try await database.execute("UPDATE sync.settings SET value = 'on' WHERE key = 'student_transcript_detail_synchronization'")
                try await Diploma.pollRound(fixture, school: school, name: "TranscriptsOn")
                try await eventually(within: .seconds(30), "the transcript of \(third.recordID) downloaded once the switch is on again") {
                    try await Self.localVersion(database, third.recordID) > before
                }
            }
        }
    }
}
