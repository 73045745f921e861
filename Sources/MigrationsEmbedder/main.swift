// Writes the Swift source that carries `migrations/` in the binary, so that `pasisync migrate`
// works without the source tree. Run by the EmbedMigrations build-tool plugin on every build
// whose migrations changed; its output lives in the build folder, never in git.
//
//   MigrationsEmbedder MIGRATIONS_DIR OUTPUT.swift
import Foundation

/// The folders of re-applied files, in the order `migrate` applies them.
let repeatableFolders = ["functions", "views", "upkeep"]

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    exit(1)
}

func sqlFiles(in directory: URL) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    return names.filter { $0.hasSuffix(".sql") }.sorted()
}

/// A Swift raw string literal holding `text` exactly (without its trailing newlines, as the
/// checksums recorded by earlier builds were taken).
func literal(_ text: String) -> String {
    var hashes = "#"
    while text.contains("\"" + hashes) || text.contains("\\" + hashes) { hashes += "#" }
    let body = text.replacingOccurrences(of: "\r\n", with: "\n")
        .trimmingCharacters(in: CharacterSet(charactersIn: "\n"))
    return hashes + "\"\"\"\n" + body + "\n\"\"\"" + hashes
}

let arguments = CommandLine.arguments
guard arguments.count == 3 else { fail("usage: MigrationsEmbedder MIGRATIONS_DIR OUTPUT.swift") }
let root = URL(fileURLWithPath: arguments[1], isDirectory: true)
let output = URL(fileURLWithPath: arguments[2])

func read(_ url: URL) -> String {
    guard let text = try? String(contentsOf: url, encoding: .utf8) else { fail("\(url.path): not readable as UTF-8") }
    return text
}

var numbered: [String] = []
for name in sqlFiles(in: root) {
    guard let match = name.wholeMatch(of: /(\d{4})_[a-z0-9_]+\.sql/) else {
        fail("migrations/\(name): a numbered migration is named NNNN_name.sql (four digits, lower-case name)")
    }
    numbered.append("        Migration(version: \(Int(match.1)!), name: \(String(reflecting: name)), sql: \(literal(read(root.appending(path: name))))),")
}

var repeatable: [String] = []
for folder in repeatableFolders {
    for name in sqlFiles(in: root.appending(path: folder)) {
        guard name.wholeMatch(of: /[a-z_]+\.[a-z0-9_]+\.sql/) != nil else {
            fail("migrations/\(folder)/\(name): a re-applied file is named SCHEMA.OBJECT.sql after the one object it defines")
        }
        let path = "\(folder)/\(name)"
        repeatable.append("        RepeatableMigration(name: \(String(reflecting: path)), sql: \(literal(read(root.appending(path: path))))),")
    }
}

var earlier: [String] = []
let earlierFile = root.appending(path: "earlier-checksums.txt")
if FileManager.default.fileExists(atPath: earlierFile.path) {
    for (index, line) in read(earlierFile).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let fields = content.split(whereSeparator: \.isWhitespace)
        if fields.isEmpty { continue }
        guard fields.count == 2, let version = Int(fields[0]), fields[1].wholeMatch(of: /[0-9a-f]{64}/) != nil else {
            fail("migrations/earlier-checksums.txt:\(index + 1): expected VERSION SHA256")
        }
        earlier.append("        (\(version), \(String(reflecting: String(fields[1])))),")
    }
}

let source = """
    // Generated from migrations/ by the EmbedMigrations build-tool plugin. Not in git.

    extension Migration {
        /// Every numbered migration of `migrations/`, in order.
        public static let embedded: [Migration] = [
    \(numbered.joined(separator: "\n"))
        ]

        /// Checksums of earlier texts of numbered migrations (`migrations/earlier-checksums.txt`).
        public static let embeddedEarlierChecksums: [(version: Int, checksum: String)] = [
    \(earlier.joined(separator: "\n"))
        ]
    }

    extension RepeatableMigration {
        /// Every re-applied file of `migrations/` (functions, then views), in the order applied.
        public static let embedded: [RepeatableMigration] = [
    \(repeatable.joined(separator: "\n"))
        ]
    }

    """
do {
    // Unchanged output keeps its timestamp, so the Migrations module is not rebuilt for nothing.
    if (try? String(contentsOf: output, encoding: .utf8)) != source {
        try source.write(to: output, atomically: true, encoding: .utf8)
    }
} catch {
    fail("\(output.path): \(error)")
}
