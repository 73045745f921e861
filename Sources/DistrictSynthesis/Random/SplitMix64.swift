/// A small seedable pseudo-random generator (SplitMix64, Steele, Lea & Flood 2014).
///
/// The synthetic district must be identical byte for byte for the same seed on every
/// platform and Swift release, so it never goes through the standard library's
/// `Int.random(in:using:)` (whose reduction algorithm is not a documented contract);
/// every draw uses this type's own methods instead.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The generator's state; advanced by a fixed odd constant on every draw.
    public private(set) var state: UInt64

    /// Creates a generator; equal seeds give equal streams.
    /// - Parameter seed: Any 64-bit value, zero included.
    public init(seed: UInt64) { state = seed }

    /// Creates the generator of one independent stream: the district seed, a purpose
    /// (a small constant naming what the stream is for) and an index (e.g. a student's).
    /// Streams are derived rather than shared so that one table can be produced without
    /// replaying the draws of another.
    /// - Parameters:
    ///   - seed: The district seed.
    ///   - stream: What the stream is for.
    ///   - index: Which item of that purpose.
    public init(seed: UInt64, stream: UInt64, index: UInt64) {
        state = Self.mix(seed ^ Self.mix(stream &* 0xD1B5_4A32_D192_ED03 &+ index))
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// A number in `0..<bound` by the multiply-high reduction (its bias, below 2⁻³²
    /// for the small bounds used here, does not matter for synthetic data).
    /// - Parameter bound: Greater than zero.
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// A number in `range`.
    /// - Parameter range: A non-empty range.
    public mutating func inRange(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// True with probability `perThousand / 1000`.
    /// - Parameter perThousand: 0–1000.
    public mutating func chance(perThousand: Int) -> Bool { below(1000) < perThousand }

    /// SplitMix64's finalizer: a bijective scramble of 64 bits.
    /// - Parameter value: Any 64 bits.
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
