/// The SIS writes gender as one letter (PowerSchool's `Gender`); PASI spells it out.
extension Gender {
    /// The gender of a SIS code: `M` male, `F` female, `X` unspecified, `U` unknown.
    /// - Parameter sisCode: The SIS's one-letter code.
    /// - Returns: `nil` for any other code.
    public init?(sisCode: String) {
        switch sisCode {
        case "M": self = .male
        case "F": self = .female
        case "X": self = .unspecified
        case "U": self = .unknown
        default: return nil
        }
    }

    /// The SIS's one-letter code (see ``init(sisCode:)``).
    public var sisCode: String {
        switch self {
        case .male: "M"
        case .female: "F"
        case .unspecified: "X"
        case .unknown: "U"
        }
    }
}
