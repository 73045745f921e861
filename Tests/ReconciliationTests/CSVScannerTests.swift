import Testing
@testable import Reconciliation

@Suite struct CSVScannerTests {
    /// All rows of `text`, each as its values.
    static func rows(_ text: String) throws(CSVSyntaxError) -> [[String]] {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { buffer throws(CSVSyntaxError) in
            var scanner = CSVScanner(bytes: buffer)
            var rows: [[String]] = []
            while try scanner.nextRow() { rows.append(scanner.fields.indices.map { scanner.string($0) }) }
            return rows
        }
    }

    static func failure(_ text: String) -> CSVSyntaxError? {
        do {
            _ = try rows(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func quotedFieldsHoldCommasQuotesAndLineBreaks() throws {
        let rows = try Self.rows("a,\"b, c\",\"say \"\"hi\"\"\"\r\n\"two\r\nlines\",,\"\"\r\n")
        #expect(rows == [["a", "b, c", "say \"hi\""], ["two\r\nlines", "", ""]])
    }

    @Test func lineEndsOfEveryKindAndBlankTrailingLines() throws {
        let rows = try Self.rows("a,b\r\nc,d\ne,f\rg,h\r\n\r\n\n\r\n")
        #expect(rows == [["a", "b"], ["c", "d"], ["e", "f"], ["g", "h"]])
    }

    @Test func lastRowWithoutLineEndAndTrailingComma() throws {
        #expect(try Self.rows("a,b\nc,") == [["a", "b"], ["c", ""]])
    }

    @Test func quoteInsideUnquotedFieldNamesLineAndColumn() {
        let error = Self.failure("ASN,Value\n012345678,7\"8\n")
        #expect(error == CSVSyntaxError(line: 2, column: 12, message: "a quote inside a field that is not quoted"))
    }

    @Test func textAfterClosingQuoteNamesLineAndColumn() {
        let error = Self.failure("a,b\n\"x\"y,z\n")
        #expect(error?.line == 2)
        #expect(error?.column == 4)
        #expect(error?.message == "expected a comma or a line end after the closing quote")
    }

    @Test func unclosedQuoteNamesWhereItOpened() {
        // The field opens on line 3, column 3, and runs to the end over two more lines.
        let error = Self.failure("a,b\nc,d\ne,\"never\nclosed\n")
        #expect(error == CSVSyntaxError(line: 3, column: 3, message: "a quoted field is never closed"))
    }

    @Test func linesCountBreaksInsideQuotedFields() {
        let error = Self.failure("a,b\n\"1\n2\n3\",x\"\n")
        #expect(error?.line == 4)
        #expect(error?.column == 5)
    }

    @Test func columnsCountCharactersNotBytes() {
        let error = Self.failure("é,ü,x\"\n")
        #expect(error?.column == 6)
    }

    @Test func invalidUTF8AndNULAreRefusedWithPlace() {
        var bytes = Array("ok,fine\nbad,".utf8)
        bytes += [0xC3, 0x28]
        bytes += Array("\n".utf8)
        let error: CSVSyntaxError? = bytes.withUnsafeBufferPointer { buffer -> CSVSyntaxError? in
            var scanner = CSVScanner(bytes: buffer)
            do {
                while try scanner.nextRow() {}
                return nil
            } catch { return error as? CSVSyntaxError }
        }
        #expect(error == CSVSyntaxError(line: 2, column: 5, message: "bytes that are not UTF-8 text"))
        #expect(Self.failure("a,b\u{0}c\n")?.message == "a NUL byte (this is not a text file)")
    }
}
