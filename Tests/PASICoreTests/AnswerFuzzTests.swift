import Foundation
import PASIContract
import PASIModel
import Testing

/// Every reader of PASI's answers (the change feed's streaming reader, XMLCoder, the direct
/// reader) given mutated answers: none crashes or hangs, each reads the document or refuses it
/// with a PASI fault; a DOCTYPE (entities), bytes that are not UTF-8 and a nesting beyond
/// ``XMLGuard/maximumDepth`` are refused by all of them (issue 23: Foundation's XMLParser expands
/// internal entities and crashes on some bytes that are not UTF-8).
@Suite("PASI's answers, fuzzed, through every reader", .timeLimit(.minutes(3)))
struct AnswerFuzzTests {
    /// One reader of one answer: nil when it read the document, else the fault.
    typealias Reader = @Sendable (Data) -> PASIFault?

    static func outcome<T>(_ read: () throws(PASIFault) -> Result<T, PASIFault>) -> PASIFault? {
        do {
            _ = try read()
            return nil
        } catch {
            return error
        }
    }

    static let readers: [(name: String, read: Reader)] = [
        ("feed", { data in outcome { () throws(PASIFault) in try FeedCoding.decode(data) } }),
        ("XMLCoder GetCodeValues", { data in outcome { () throws(PASIFault) in
            try SOAPEnvelope.decodeResponse("GetCodeValues", as: GetCodeValuesResponse.self, from: data) } }),
        ("XMLCoder GetStudent", { data in outcome { () throws(PASIFault) in
            try SOAPEnvelope.decodeResponse("GetStudent", as: GetRecordsResponse<Student>.self, from: data) } }),
        ("direct GetStudent", { data in outcome { () throws(PASIFault) in
            try DirectEnvelope.decodeResponse("GetStudent", as: GetRecordsResponse<Student>.self, from: data) } }),
    ]

    /// A valid answer for each reader, in the order of ``readers``.
    static func answers() throws -> [Data] {
        let feed = IsDataAvailableResponse(notification: [
            .init(notificationType: try NotificationType(.student), item: (1...5).map { FeedItem(id: "12345678\($0)", version: Int64($0)) }),
        ])
        let codes = GetCodeValuesResponse(
            version: 7, codeValue: [CodeValue(table: "Grade", code: "KG", description: "Kindergarten & <more>", version: 3)],
            acceptedSchoolYear: [AcceptedSchoolYear(schoolYear: try SchoolYear(endYear: 2026), status: .current)])
        let records: [Student] = [Samples.fullStudent, Samples.bareStudent]
        let students = GetRecordsResponse(item: records.map { student in
            RetrievedRecord(id: student.recordID, availabilityStatus: .normal, pasiCoreVersion: student.pasiCoreVersion, record: student)
        })
        return [FeedCoding.encode(feed), try SOAPEnvelope.response("GetCodeValues", codes),
                try SOAPEnvelope.response("GetStudent", students), try DirectEnvelope.response("GetStudent", students)]
    }

    @Test("each reader reads its unmutated answer (the fuzz starts from documents that are read)")
    func unmutatedAnswersAreRead() throws {
        for (reader, answer) in zip(Self.readers, try Self.answers()) {
            let fault = reader.read(answer)
            #expect(fault == nil, "\(reader.name): \(fault.map { "\($0)" } ?? "")")
        }
    }

    static let pieces: [[UInt8]] = [
        Array(#"<!DOCTYPE s [<!ENTITY a "aaaaaaaaaa">]>"#.utf8), Array("&a;".utf8), Array("&#0;".utf8), Array("&amp;".utf8),
        [0xFF], [0xC3], [0xED, 0xA0, 0x80], Array("<x>".utf8), Array("</x>".utf8), Array("<![CDATA[".utf8), Array("-->".utf8),
        Array("<?xml version=\"1.0\"?>".utf8), Array("\"".utf8), Array("<".utf8), Array(">".utf8), Array("Zoë".utf8), [0x00], [0x0B],
        Array(String(repeating: "<a>", count: 80).utf8),
    ]

    /// One random change: a byte replaced, a range deleted or repeated, a piece inserted, the end cut.
    static func mutate(_ bytes: inout [UInt8], _ rng: inout SeededRandom) {
        guard !bytes.isEmpty else { return }
        let at = Int.random(in: 0..<bytes.count, using: &rng)
        switch Int.random(in: 0..<5, using: &rng) {
        case 0: bytes[at] = UInt8.random(in: 0...255, using: &rng)
        case 1: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...40, using: &rng)))
        case 2: bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + Int.random(in: 1...40, using: &rng))], at: at)
        case 3: bytes.insert(contentsOf: pieces.randomElement(using: &rng)!, at: at)
        default: bytes.removeSubrange(at...)
        }
    }

    @Test("2,000 mutated answers per reader: each read or refused with a PASI fault, none crashes or hangs")
    func mutatedAnswers() throws {
        let answers = try Self.answers()
        var read = 0, refused = 0
        for seed in UInt64(1)...2_000 {
            var rng = SeededRandom(seed: seed)
            for (reader, answer) in zip(Self.readers, answers) {
                var bytes = Array(answer)
                for _ in 0..<Int.random(in: 1...3, using: &rng) { Self.mutate(&bytes, &rng) }
                if let fault = reader.read(Data(bytes)) {
                    refused += 1
                    #expect(fault.code != nil, "seed \(seed), \(reader.name): a fault without a code: \(fault)")
                } else {
                    read += 1
                }
            }
        }
        // Both outcomes happen: the mutations are neither all harmless nor all fatal.
        #expect(read > 100 && refused > 1_000, "read \(read), refused \(refused)")
    }

    @Test("a DOCTYPE with an entity, after the XML declaration or first, is refused by every reader (3002), never expanded")
    func doctypeRefused() throws {
        let doctype = Array(#"<!DOCTYPE s:Envelope [<!ENTITY lol "lollollollollol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>"#.utf8)
        for (reader, answer) in zip(Self.readers, try Self.answers()) {
            let bytes = Array(answer)
            let declarationEnd = bytes.firstIndex(of: UInt8(ascii: ">")).map { $0 + 1 } ?? 0
            for position in [declarationEnd, 0] {
                var document = bytes
                document.insert(contentsOf: doctype, at: position)
                let fault = reader.read(Data(document))
                #expect(fault?.code == 3002, "\(reader.name) at \(position): \(fault.map { "\($0)" } ?? "read")")
            }
        }
    }

    @Test("bytes that are not UTF-8 in a value are refused by every reader (3002)")
    func notUTF8Refused() throws {
        for (reader, answer) in zip(Self.readers, try Self.answers()) {
            var bytes = Array(answer)
            // Inside the first text value: after the first ">" that is followed by a letter or digit.
            let at = try #require(bytes.indices.dropLast().first { bytes[$0] == UInt8(ascii: ">") && (bytes[$0 + 1] < 0x80 && bytes[$0 + 1] != UInt8(ascii: "<")) })
            bytes.insert(contentsOf: [0xC3, 0x28], at: at + 1)
            let fault = reader.read(Data(bytes))
            #expect(fault?.code == 3002, "\(reader.name): \(fault.map { "\($0)" } ?? "read")")
        }
    }

    @Test("elements nested deeper than the guard's limit are refused by the readers behind Foundation's parser")
    func deepNestingRefused() throws {
        let deep = String(repeating: "<a>", count: XMLGuard.maximumDepth + 1) + String(repeating: "</a>", count: XMLGuard.maximumDepth + 1)
        for (reader, answer) in zip(Self.readers, try Self.answers()) where !reader.name.hasPrefix("direct") {
            var text = String(decoding: answer, as: UTF8.self)
            let body = try #require(text.range(of: "<s:Body>"))
            text.insert(contentsOf: deep, at: body.upperBound)
            let fault = reader.read(Data(text.utf8))
            #expect(fault?.code == 3002, "\(reader.name): \(fault.map { "\($0)" } ?? "read")")
            #expect(fault?.message.contains("nest deeper") == true, "\(reader.name): \(fault.map { "\($0)" } ?? "read")")
        }
    }

    @Test("the guard's own refusals say where by byte offset and quote nothing of the document")
    func guardQuotesNothing() {
        let document = Data(#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY name "Zqcanary">]><x>&name;</x>"#.utf8)
        do {
            try XMLGuard.check(document, what: "test answer")
            Issue.record("the DOCTYPE was accepted")
        } catch {
            #expect(error.message.contains("byte 21"), "\(error)")
            #expect(!error.message.contains("Zqcanary"), "\(error)")
        }
    }
}
