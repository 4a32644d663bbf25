/// One number a model is built from, with where it comes from. Every
/// simulated duration, size and count in BoxSim is read from a `Parameter`
/// in `PublishedFigures`, never written inline, so `sim sources` can show
/// the whole basis of the simulation and a test can check that each
/// number has a source.
public struct Parameter: Sendable, Equatable {
    /// How much a parameter rests on a publication.
    public enum Basis: String, Sendable, Equatable {
        /// The value is the figure as published (or its stated bound).
        case published
        /// Computed from published figures (the doc comment says how).
        case derived
        /// A figure measured by boxlab's own tests or benchmarks on this kind of machine.
        case measured
        /// No published figure exists for exactly this; the value is a
        /// stated assumption and `figure` says what it is anchored to.
        case assumption
    }

    /// A stable name, e.g. "firecracker.vmm.start".
    public let id: String
    /// The value the model uses, in `unit`.
    public let value: Double
    public let unit: Unit
    /// The published range, when the source gives one; seeded jitter draws
    /// inside it. Without a range, jitter stays within ±10 % of `value`.
    public let range: ClosedRange<Double>?
    public let basis: Basis
    /// The figure as the source states it (quoted or closely paraphrased).
    public let figure: String
    /// Where it is stated: document, section, URL or DOI.
    public let source: String

    public init(_ id: String, _ value: Double, _ unit: Unit, range: ClosedRange<Double>? = nil,
                basis: Basis = .published, figure: String, source: String) {
        self.id = id
        self.value = value
        self.unit = unit
        self.range = range
        self.basis = basis
        self.figure = figure
        self.source = source
    }

    public enum Unit: String, Sendable, Equatable {
        case milliseconds = "ms"
        case mebibytes = "MiB"
        case megabytes = "MB"
        case count
        case perCorePerSecond = "/core/s"
    }

    /// The value in bytes (MiB = 2^20, MB = 10^6, as each source states it).
    public var bytes: Int64 {
        switch unit {
        case .mebibytes: return Int64((value * 1_048_576).rounded())
        case .megabytes: return Int64((value * 1_000_000).rounded())
        default: return Int64(value.rounded())
        }
    }
}

/// A qualitative statement a model relies on (what a VMM emulates, which
/// guests it documents), with its source. Like `Parameter`, kept in
/// `PublishedFigures` so every claim the simulation makes is traceable.
public struct Fact: Sendable, Equatable {
    public let id: String
    public let statement: String
    public let source: String

    public init(_ id: String, _ statement: String, source: String) {
        self.id = id
        self.statement = statement
        self.source = source
    }
}
