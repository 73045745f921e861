import SyncStore
import Testing
@testable import SyncJobs

/// The message a download's job shows once its last type is handed out, whatever the order in
/// which its batches and the closing message commit.
@Suite("Download fan-out: the closing message")
struct DownloadFanOutTests {
    static func type(_ name: String, items: Int, done: Int, batches: Int, batchesDone: Int) -> DownloadProgress {
        DownloadProgress(notificationType: name, items: items, done: done, batches: batches, batchesDone: batchesDone)
    }

    /// Load Local Copy's first day in GettingReadyProcessTests: the last types (the statuses) have
    /// no ids, so no batch comes after the closing message; when every batch finished before it,
    /// it must show their tally, the last thing a person sees.
    @Test("every batch finished before the closing message: it shows the batches' tally, not that it waits")
    func allFinished() {
        let progress = [
            Self.type("School", items: 55, done: 55, batches: 1, batchesDone: 1),
            Self.type("Student", items: 900, done: 900, batches: 3, batchesDone: 3),
            Self.type("StudentSchoolEnrolment.2026", items: 900, done: 900, batches: 3, batchesDone: 3),
        ]
        let message = DownloadFanOut.closingMessage(total: 1_855, progress: progress)
        #expect(message.contains("Student 900 of 900"), "\(message)")
        #expect(message == PASIDownload.describe(progress))
    }

    @Test("a batch still to finish: the closing message says the job waits for them (that batch writes the tally after it)")
    func someUnfinished() {
        let progress = [
            Self.type("School", items: 55, done: 55, batches: 1, batchesDone: 1),
            Self.type("Student", items: 900, done: 500, batches: 3, batchesDone: 2),
        ]
        #expect(DownloadFanOut.closingMessage(total: 3_255, progress: progress)
                == "3,255 records handed out in download batches; waiting for them")
    }
}
