import BoxJSON
import BoxOS

/// A simulated machine that `vm run` or `unikernel run` started. Nothing
/// runs: the record is what lets `vm ps` in a later command list it, like
/// a container's state.json.
public struct SimMachine: Sendable, Equatable {
    public enum Status: String, Sendable, Equatable { case running, stopped }

    public var name: String
    public var kind: MachineKind
    /// The image (vm, microvm) or the app (unikernel) it was started with.
    public var image: String
    public var memory: MemoryBreakdown
    public var stages: [Stage]
    public var status: Status
    public var createdNanos: Int64
    public var stoppedNanos: Int64
    public var seed: UInt64?

    public init(name: String, kind: MachineKind, image: String, memory: MemoryBreakdown, stages: [Stage],
                status: Status, createdNanos: Int64, stoppedNanos: Int64 = 0, seed: UInt64?) {
        self.name = name
        self.kind = kind
        self.image = image
        self.memory = memory
        self.stages = stages
        self.status = status
        self.createdNanos = createdNanos
        self.stoppedNanos = stoppedNanos
        self.seed = seed
    }

    public var bootMs: Double { stages.reduce(0) { $0 + $1.ms } }

    public var json: JSON {
        .object([
            ("Name", .string(name)), ("Kind", .string(kind.rawValue)), ("Image", .string(image)),
            ("Simulated", .bool(true)),
            ("Memory", .object([
                ("Runtime", .int(memory.runtime)), ("GuestKernel", .int(memory.guestKernel)),
                ("GuestUserspace", .int(memory.guestUserspace)), ("App", .int(memory.app)),
                ("UnusedReserved", .int(memory.unusedReserved)),
            ])),
            ("Stages", .array(stages.map {
                .object([("Id", .string($0.id.rawValue)), ("Ms", .number($0.ms)), ("Parameter", .string($0.parameter))])
            })),
            ("Status", .string(status.rawValue)), ("Created", .int(createdNanos)), ("Stopped", .int(stoppedNanos)),
            ("Seed", seed.map { .string(String($0)) } ?? .null),
        ])
    }

    public init(json: JSON, path: String) throws {
        guard let name = json["Name"]?.stringValue,
              let kind = json["Kind"]?.stringValue.flatMap(MachineKind.init(rawValue:)),
              let status = json["Status"]?.stringValue.flatMap(Status.init(rawValue:)),
              let memory = json["Memory"] else { throw SimError.corruptState(path: path) }
        var stages: [Stage] = []
        for item in json["Stages"]?.arrayValue ?? [] {
            guard let id = item["Id"]?.stringValue.flatMap(Stage.ID.init(rawValue:)), let ms = item["Ms"]?.doubleValue
            else { throw SimError.corruptState(path: path) }
            stages.append(Stage(id, ms: ms, parameter: item["Parameter"]?.stringValue ?? ""))
        }
        func bytes(_ key: String) -> Int64 { memory[key]?.int64Value ?? 0 }
        self.init(name: name, kind: kind, image: json["Image"]?.stringValue ?? "",
                  memory: MemoryBreakdown(runtime: bytes("Runtime"), guestKernel: bytes("GuestKernel"),
                                          guestUserspace: bytes("GuestUserspace"), app: bytes("App"),
                                          unusedReserved: bytes("UnusedReserved")),
                  stages: stages, status: status, createdNanos: json["Created"]?.int64Value ?? 0,
                  stoppedNanos: json["Stopped"]?.int64Value ?? 0,
                  seed: json["Seed"]?.stringValue.flatMap { UInt64($0) })
    }
}

/// Simulated machines on disk: ROOT/sim/machines/NAME.json, written
/// atomically (temp file + rename) under ROOT/sim/.lock, so two commands
/// never claim one name and a reader never sees half a file.
public struct MachineStore: Sendable {
    public let root: String

    public init(root: String) { self.root = root }

    public var directory: String { root + "/sim/machines" }

    func path(_ name: String) -> String { directory + "/" + name + ".json" }

    /// Runs `body` holding the store's lock.
    public func withLock<T>(_ body: () throws -> T) throws -> T {
        try FS.makeDirectories(directory, stage: "sim")
        let lock = try FileLock(path: root + "/sim/.lock", stage: "sim")
        return try lock.withLock(stage: "sim", body)
    }

    /// Every machine, oldest first.
    public func all() -> [SimMachine] {
        let names = ((try? FS.list(directory)) ?? []).filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }
        return names.compactMap { try? load(String($0.dropLast(5))) }.sorted {
            ($0.createdNanos, $0.name) < ($1.createdNanos, $1.name)
        }
    }

    public func load(_ name: String) throws -> SimMachine {
        guard Self.isValidName(name) else { throw SimError.noSuchMachine(name) }
        let file = path(name)
        guard let text = FS.readTextIfPresent(file) else { throw SimError.noSuchMachine(name) }
        guard let json = try? JSON.parse(text) else { throw SimError.corruptState(path: file) }
        return try SimMachine(json: json, path: file)
    }

    public func exists(_ name: String) -> Bool { Self.isValidName(name) && FS.exists(path(name)) }

    public func save(_ machine: SimMachine) throws {
        try FS.makeDirectories(directory, stage: "sim")
        try FS.writeAtomically(path(machine.name), machine.json.pretty() + "\n", stage: "sim")
    }

    public func remove(_ name: String) throws {
        guard exists(name) else { throw SimError.noSuchMachine(name) }
        try FS.removeFile(path(name), stage: "sim")
    }

    /// "vm-1", "vm-2", …: the first free name for a kind.
    public func nextName(for kind: MachineKind) -> String {
        var number = 1
        while exists("\(kind.rawValue)-\(number)") { number += 1 }
        return "\(kind.rawValue)-\(number)"
    }

    /// Guest RAM reserved by the running machines (what a new one competes with).
    public func reservedByRunning() -> Int64 {
        all().filter { $0.status == .running }.reduce(0) { $0 + $1.memory.reserved }
    }

    /// Docker's container-name rule: [a-zA-Z0-9][a-zA-Z0-9_.-]*.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCII,
              first.properties.isAlphabetic || ("0"..."9").contains(first), name.count <= 64 else { return false }
        return name.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_.-".unicodeScalars.contains($0))
        }
    }
}
