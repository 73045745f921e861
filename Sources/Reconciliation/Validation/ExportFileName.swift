/// A file name of the seed's form, `YYYY-NNNN-XX-BeforeDelete.csv` or `…-AfterUpload.csv` (`.xml`
/// for the legacy export): the school year, the school's code, the type's two letters, the role.
public struct ExportFileName: Sendable, Hashable {
    /// The four digits of the school year.
    public var schoolYear: String
    /// The four digits of the school's code.
    public var school: String
    /// The two letters of the type, as written.
    public var typeCode: String
    /// Before Delete or After Upload.
    public var role: ExportRole
    /// `csv` or `xml`, in lower case.
    public var fileExtension: String

    /// Parses the last part of `path`; nil when it is not of the seed's form.
    public init?(path: String) {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let parts = name.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        let digits = { (s: Substring) in s.count == 4 && s.allSatisfy { $0.isASCII && $0.isNumber } }
        guard digits(parts[0]), digits(parts[1]), parts[2].count == 2, parts[2].allSatisfy({ $0.isASCII && $0.isLetter }) else { return nil }
        let last = parts[3]
        guard let dot = last.lastIndex(of: ".") else { return nil }
        let stem = String(last[..<dot])
        let ext = last[last.index(after: dot)...].lowercased()
        guard ext == "csv" || ext == "xml", let role = ExportRole(rawValue: stem) else { return nil }
        schoolYear = String(parts[0])
        school = String(parts[1])
        typeCode = String(parts[2])
        self.role = role
        fileExtension = ext
    }

    /// The type the name gives, when its letters are one of the three.
    public var type: ExportType? { ExportType(rawValue: typeCode) }
}
