/// A student's gender as PASI records it. Raw values are PASI's spellings.
public enum Gender: String, Sendable, Hashable, Codable, CaseIterable {
    /// `Male`.
    case male = "Male"
    /// `Female`.
    case female = "Female"
    /// `Unspecified`: the student chose not to specify.
    case unspecified = "Unspecified"
    /// `Unknown`: not recorded.
    case unknown = "Unknown"
}
