/// A school year, held as PASI holds it: the calendar year in which it **ends**
/// (2018/2019 → 2019), shown `YYYY/YYYY`.
///
/// PowerSchool-style SIS tables store the year a school year **starts** (2018 for
/// 2018/2019). The conversion between the two lives only in
/// ``init(sisStartYear:)`` and ``sisStartYear``, so it cannot drift apart elsewhere.
public struct SchoolYear: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The end years PASI Core accepts at all.
    public static let pasiRange: ClosedRange<Int> = 1905...2100

    /// PASI's integer: the calendar year in which the school year ends.
    public let endYear: Int

    /// Creates a school year from PASI's integer.
    /// - Parameter endYear: The year the school year ends, 1905–2100.
    /// - Throws: ``PASIModelError`` with code `outOfRange`.
    public init(endYear: Int) throws(PASIModelError) {
        guard Self.pasiRange.contains(endYear) else {
            throw PASIModelError(
                .outOfRange, field: "SchoolYear",
                expectation: "must end in a year from \(Self.pasiRange.lowerBound) to \(Self.pasiRange.upperBound)",
                value: String(endYear))
        }
        self.endYear = endYear
    }

    /// Parses `2018/2019` or `2018-2019` (the SIS shows years with a hyphen). The two
    /// years must be consecutive.
    /// - Parameter text: The school year as shown.
    /// - Throws: ``PASIModelError`` with code `invalidFormat` or `outOfRange`.
    public init(_ text: String) throws(PASIModelError) {
        let parts = text.split(separator: text.contains("/") ? "/" : "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 4 && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let start = Int(parts[0]), let end = Int(parts[1]), end == start + 1
        else {
            throw PASIModelError(.invalidFormat, field: "SchoolYear", expectation: "must be two consecutive years written YYYY/YYYY", value: text)
        }
        try self.init(endYear: end)
    }

    /// The school year following this one; `nil` past PASI's last year.
    public var next: SchoolYear? { try? SchoolYear(endYear: endYear + 1) }
    /// The school year before this one; `nil` before PASI's first year.
    public var previous: SchoolYear? { try? SchoolYear(endYear: endYear - 1) }

    /// `YYYY/YYYY`, e.g. `2018/2019`.
    public var description: String { "\(endYear - 1)/\(endYear)" }

    /// Earlier years first.
    public static func < (lhs: SchoolYear, rhs: SchoolYear) -> Bool { lhs.endYear < rhs.endYear }
}

// MARK: - The one place that converts between PASI's end year and the SIS's start year

extension SchoolYear {
    /// Creates a school year from the SIS's start year (2018 for 2018/2019).
    /// - Parameter sisStartYear: The year the school year starts.
    /// - Throws: ``PASIModelError`` with code `outOfRange`.
    public init(sisStartYear: Int) throws(PASIModelError) {
        try self.init(endYear: sisStartYear + 1)
    }

    /// The SIS's start year (2018 for 2018/2019).
    public var sisStartYear: Int { endYear - 1 }

    /// `YYYY-YYYY`, e.g. `2017-2018`: how the seed shows a school year on its settings page
    /// (Current School Year for Synchronization; `0000-0000` before one is known).
    public var hyphenated: String { "\(sisStartYear)-\(endYear)" }

    /// The school year under way on `date`: one starts on September 1 and ends the next August.
    /// - Throws: ``PASIModelError`` with code `outOfRange` past PASI's years.
    public init(containing date: PASIDate) throws(PASIModelError) {
        try self.init(endYear: date.month >= 9 ? date.year + 1 : date.year)
    }
}

// MARK: - The accepted window

extension SchoolYear {
    /// The end years PASI synchronizes (and accepts enrolments for) in a given calendar year:
    /// the current **calendar** year −2 … +1, whatever the school year (in 2024, January or
    /// December alike: 2021/2022 up to 2024/2025; older years are historical, later ones too far
    /// in the future), https://extranet.education.alberta.ca/pasidevnet/Docs/Business/synchronizing_data_with_pasi.html.
    /// A year must also lie in ``pasiRange``, which every `SchoolYear` already does.
    /// - Parameter currentYear: Today's calendar year.
    public static func acceptedWindow(currentYear: Int) -> ClosedRange<Int> {
        (currentYear - 2)...(currentYear + 1)
    }

    /// The accepted window for the calendar year of `today`.
    /// - Parameter today: Today's date.
    public static func acceptedWindow(today: PASIDate) -> ClosedRange<Int> {
        acceptedWindow(currentYear: today.year)
    }

    /// Whether PASI accepts this school year in the given calendar year.
    /// - Parameter currentYear: Today's calendar year.
    public func isInAcceptedWindow(currentYear: Int) -> Bool {
        Self.acceptedWindow(currentYear: currentYear).contains(endYear)
    }
}

/// Encodes as PASI's integer end year.
extension SchoolYear: Codable {
    /// Decodes PASI's integer end year.
    public init(from decoder: any Decoder) throws {
        try self.init(endYear: decoder.singleValueContainer().decode(Int.self))
    }

    /// Encodes PASI's integer end year.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(endYear)
    }
}
