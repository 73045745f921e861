import PASIModel
import Testing

/// Runs `body`, expects it to throw a `PASIModelError`, and returns that error so a
/// test can check its code and message.
func expectModelError(
    _ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation
) -> PASIModelError? {
    do {
        try body()
        Issue.record("expected a PASIModelError, nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as PASIModelError {
        return error
    } catch {
        Issue.record("expected a PASIModelError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// Fixed sample values for entity tests.
enum Sample {
    static let asn = try! ASN.withCheckDigit(prefix: "12345678")
    static let refId = try! RefId("0f8fad5b-d9cb-469f-a165-70867728950e")
    static let otherRefId = try! RefId("7c9e6679-7425-40de-944b-e07fc1f90ae7")
    static let year = try! SchoolYear(endYear: 2019)
    static let school = try! OrganizationNumber("0042")
    static func date(_ text: String) -> PASIDate { try! PASIDate(text) }
}
