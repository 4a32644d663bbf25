import BoxOS

/// Named volumes: directories under ROOT/volumes/NAME/_data (docker's layout),
/// created on first use and kept when containers are removed.
public struct VolumeStore: Sendable {
    public let root: String

    public init(root: String) { self.root = root + "/volumes" }

    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.properties.isAlphabetic || ("0"..."9").contains(first),
              first.isASCII else { return false }
        return name.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_.-".unicodeScalars.contains($0))
        }
    }

    /// The host directory holding the volume's data, created if needed.
    public func dataPath(_ name: String) throws -> String {
        let path = root + "/" + name + "/_data"
        try FS.makeDirectories(path, stage: "volume")
        return path
    }

    public func list() -> [String] {
        (try? FS.list(root)) ?? []
    }

    public func remove(_ name: String) throws {
        try FS.removeTree(root + "/" + name, stage: "volume")
    }
}
