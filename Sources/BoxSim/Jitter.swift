/// Seeded variety for classroom use. Without a seed the simulation is
/// exactly the parameter table (same inputs, same outputs, every run);
/// with `--seed N` each duration is drawn, reproducibly for that N, from
/// the parameter's published range (or ±10 % when none is published).
///
/// Each draw is keyed by (seed, parameter id, salt), not by call order,
/// so adding a stage to one model never changes another model's numbers.
public struct Jitter: Sendable, Equatable {
    public let seed: UInt64?

    public init(seed: UInt64?) { self.seed = seed }

    public static let none = Jitter(seed: nil)

    /// The duration to use for `parameter`: its value, or a seeded draw
    /// from a triangular distribution over its range with the value as mode.
    public func duration(_ parameter: Parameter, salt: String = "") -> Double {
        guard let seed else { return parameter.value }
        let low = parameter.range?.lowerBound ?? parameter.value * 0.9
        let high = parameter.range?.upperBound ?? parameter.value * 1.1
        guard high > low else { return parameter.value }
        var generator = SplitMix64(seed: seed ^ Self.fnv1a(parameter.id + "|" + salt))
        let u = generator.nextUnit()
        let mode = min(max(parameter.value, low), high)
        let cut = (mode - low) / (high - low)
        let drawn = u < cut
            ? low + ((u * (high - low) * (mode - low))).squareRoot()
            : high - (((1 - u) * (high - low) * (high - mode))).squareRoot()
        return (drawn * 1000).rounded() / 1000
    }

    /// FNV-1a over UTF-8: a hash that is the same in every process
    /// (Swift's Hasher is randomly seeded per process).
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny, well-mixed PRNG whose whole
/// state is one 64-bit word, enough for reproducible classroom variety.
public struct SplitMix64: Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state = state &+ 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// A uniform double in [0, 1) from the top 53 bits.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) / Double(UInt64(1) << 53)
    }
}
