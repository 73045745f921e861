import Synchronization

/// The wire name's bytes of each Swift name, for every document of the process.
///
/// A writer or reader used to keep them for its own document only, and a submit is a document of
/// one record: working the names out again for each one (`WireNames.wire` upper-cases a String)
/// was about half of Regular Sync's cost of encoding a submit (perf, bench-regular-sync). The
/// names are the contract's, a few hundred at most, so the cache stays small.
enum WireNameCache {
    private static let names = Mutex<[String: [UInt8]]>([:])

    static func bytes(_ swiftName: String) -> [UInt8] {
        names.withLock { names in
            if let known = names[swiftName] { return known }
            let made = Array(WireNames.wire(swiftName).utf8)
            names[swiftName] = made
            return made
        }
    }
}
