#if canImport(Glibc)
import Glibc
#endif
import BoxOS
import Crypto

/// The directory a build reads COPY and ADD sources from. Sources are
/// resolved as if the context were "/": ".." and symlinks can never lead
/// out of it (docker's rule, "forbidden path outside the build context").
struct BuildContext {
    /// Absolute, normalised.
    let root: String

    /// What a COPY/ADD step puts in its layer: tar entries with destination
    /// paths and the source file each regular entry's bytes come from.
    struct CopyPlan {
        struct Item {
            var entry: TarEntry
            var source: String?
            /// ADD of a local tar archive: its entries go under `entry.path`.
            var archive: String? = nil
            var archiveOwner: (uid: Int, gid: Int)? = nil
        }

        var items: [Item] = []
        /// sha256 over every entry's path, type, mode, owner, link target and
        /// contents (not mtime, as docker's cache): the cache key's content part.
        var contentDigest = ""
    }

    /// Plans a COPY/ADD: expands the sources, decides where each lands
    /// (docker's rules: DEST ending in "/" or an existing directory in the
    /// image is a directory; a directory source copies its contents), and
    /// adds the parent directories the layer needs, with the metadata the
    /// image already gives them.
    func plan(_ spec: CopySpec, keyword: String, location: SourceLocation, workingDir: String, lower: LayerStack,
              now: Int64) throws -> CopyPlan {
        var sources: [(components: [String], status: FileStatus)] = []
        for source in spec.sources {
            if spec.isAdd, source.contains("://") || source.hasPrefix("git@") {
                throw ImageError.build("build.remoteAdd", location, ["source": source])
            }
            let matches = try expand(source, keyword: keyword, location: location)
            for match in matches {
                guard let resolved = resolveInContext(match), let status = try? FS.status(path(resolved)) else {
                    throw ImageError.build("build.sourceMissing", location, ["instruction": keyword, "source": source])
                }
                guard status.isDirectory || status.isRegular || status.isSymlink else {
                    throw ImageError.build("build.sourceUnsupported", location, ["instruction": keyword, "source": source])
                }
                sources.append((resolved, status))
            }
        }

        let destinationText = spec.destination.hasPrefix("/") ? spec.destination : workingDir + "/" + spec.destination
        let endsWithSlash = spec.destination.hasSuffix("/") || spec.destination.hasSuffix("/.") || spec.destination == "."
        if sources.count > 1 && !endsWithSlash {
            throw ImageError.build("build.destinationNotDirectory", location, ["instruction": keyword])
        }
        let destination = lower.resolve(destinationText) ?? LayerPaths.components(destinationText)
        let destinationIsDirectory = endsWithSlash || lower.lookup(destination)?.status.isDirectory == true

        let owner = spec.owner ?? (uid: 0, gid: 0)
        var plan = CopyPlan()
        var planned: Set<String> = []
        func addParents(_ components: [String]) {
            for depth in 0..<components.count {
                let prefix = Array(components[0...depth])
                let key = prefix.joined(separator: "/")
                if planned.contains(key) { continue }
                planned.insert(key)
                if let existing = lower.lookup(prefix)?.status, existing.isDirectory {
                    plan.items.append(.init(entry: TarEntry(
                        path: key, kind: .directory, mode: existing.permissions, uid: Int(existing.uid),
                        gid: Int(existing.gid), mtime: existing.mtime), source: nil))
                } else {
                    plan.items.append(.init(entry: TarEntry(
                        path: key, kind: .directory, mode: 0o755, uid: owner.uid, gid: owner.gid, mtime: now), source: nil))
                }
            }
        }

        for (components, status) in sources {
            if status.isDirectory {
                addParents(destination)
                try addTree(path(components), as: destination, owner: owner, mode: spec.mode, plan: &plan, planned: &planned)
            } else if spec.isAdd, status.isRegular, Self.isTarArchive(path(components)) {
                // ADD extracts a local tar archive into the destination directory (docker's rule).
                addParents(destination)
                plan.items.append(.init(entry: TarEntry(path: destination.joined(separator: "/"), kind: .regular, mode: 0),
                                        source: path(components), archive: path(components), archiveOwner: spec.owner))
            } else {
                let target = destinationIsDirectory ? destination + [components.last ?? "file"] : destination
                guard !target.isEmpty else {
                    throw ImageError.build("build.destinationNotDirectory", location, ["instruction": keyword])
                }
                addParents(Array(target.dropLast()))
                plan.items.append(item(path(components), status, target.joined(separator: "/"), owner: owner, mode: spec.mode))
            }
        }
        plan.contentDigest = try digest(plan)
        return plan
    }

    /// Writes the planned layer to `fd`; returns its digest and size.
    func write(_ plan: CopyPlan, to fd: Int32) throws -> (digest: String, size: Int64) {
        var writer = TarWriter(fd: fd)
        for item in plan.items {
            if let archive = item.archive {
                try extract(archive, under: item.entry.path, owner: item.archiveOwner, into: &writer)
            } else if let source = item.source, item.entry.kind == .regular {
                let file = open(source, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
                if file < 0 { throw SysError.current("build", "open", source) }
                defer { close(file) }
                try writer.add(item.entry, reading: file)
            } else {
                try writer.add(item.entry)
            }
        }
        return try writer.finish()
    }

    /// Copies the entries of the tar at `archive` into `writer` below
    /// `root`, refusing names that would climb out of it (as any layer).
    private func extract(_ archive: String, under root: String, owner: (uid: Int, gid: Int)?,
                         into writer: inout TarWriter) throws {
        let fd = open(archive, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw SysError.current("build", "open", archive) }
        defer { close(fd) }
        var reader = TarReader(fd: fd)
        let prefix = root.isEmpty ? "" : root + "/"
        while var entry = try reader.next() {
            let components = try LayerPath.components(entry.path, entry: entry.path)
            if components.isEmpty { continue }  // "./": the destination itself
            entry.path = prefix + components.joined(separator: "/")
            if entry.kind == .hardlink {
                entry.linkTarget = prefix + (try LayerPath.components(entry.linkTarget, entry: entry.path, what: "hardlink target"))
                    .joined(separator: "/")
            }
            if let owner {
                entry.uid = owner.uid
                entry.gid = owner.gid
            }
            try writer.add(entry, contents: entry.kind == .regular ? try reader.readAllContents() : [])
        }
    }

    /// True for an uncompressed tar (ustar magic and a valid header checksum).
    /// Only such an archive is unpacked by ADD; a compressed one is copied
    /// as a file, where docker's ADD also unpacks gzip, bzip2 and xz (a
    /// difference README.md names).
    static func isTarArchive(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { return false }
        defer { close(fd) }
        var block = [UInt8](repeating: 0, count: TarHeader.blockSize)
        let n = block.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n == TarHeader.blockSize, block[257..<262].elementsEqual("ustar".utf8) else { return false }
        return TarHeader.checksumMatches(block[...])
    }

    // MARK: - Sources

    private func path(_ components: [String]) -> String {
        components.isEmpty ? root : root + "/" + components.joined(separator: "/")
    }

    /// Lexically cleans `source` inside the context (refusing ".." past its
    /// root) and expands * ? [ ] patterns component by component.
    private func expand(_ source: String, keyword: String, location: SourceLocation) throws -> [[String]] {
        var components: [String] = []
        for part in source.split(separator: "/") {
            if part == "." { continue }
            if part == ".." {
                if components.isEmpty {
                    throw ImageError.build("build.sourceOutside", location, ["instruction": keyword, "source": source])
                }
                components.removeLast()
                continue
            }
            components.append(String(part))
        }
        var results: [[String]] = [[]]
        for part in components {
            let isPattern = part.contains { "*?[".contains($0) }
            var next: [[String]] = []
            for prefix in results {
                if !isPattern {
                    next.append(prefix + [part])
                    continue
                }
                for name in (try? FS.list(path(prefix))) ?? [] where fnmatch(part, name, 0) == 0 {
                    next.append(prefix + [name])
                }
            }
            results = next
        }
        if results.isEmpty {
            throw ImageError.build("build.sourceMissing", location, ["instruction": keyword, "source": source])
        }
        return results
    }

    /// Follows symlinks with the context as the root; nil after 40 links.
    private func resolveInContext(_ components: [String]) -> [String]? {
        var pending = Array(components.reversed())
        var resolved: [String] = []
        var links = 0
        while let name = pending.popLast() {
            if name == "." || name.isEmpty { continue }
            if name == ".." {
                if !resolved.isEmpty { resolved.removeLast() }
                continue
            }
            let candidate = resolved + [name]
            guard let status = try? FS.status(path(candidate)), status.isSymlink,
                  let target = try? FS.readLink(path(candidate)) else {
                resolved = candidate
                continue
            }
            links += 1
            if links > 40 { return nil }
            if target.hasPrefix("/") { resolved = [] }
            pending += target.split(separator: "/").map(String.init).reversed()
        }
        return resolved
    }

    // MARK: - Entries

    private func item(_ source: String, _ status: FileStatus, _ target: String, owner: (uid: Int, gid: Int), mode: UInt32?) -> CopyPlan.Item {
        var entry = TarEntry(path: target, kind: .regular, mode: mode ?? status.permissions, uid: owner.uid, gid: owner.gid,
                             mtime: status.mtime)
        switch status.type {
        case UInt32(S_IFDIR):
            entry.kind = .directory
            return .init(entry: entry, source: nil)
        case UInt32(S_IFLNK):
            entry.kind = .symlink
            entry.mode = 0o777
            entry.linkTarget = (try? FS.readLink(source)) ?? ""
            return .init(entry: entry, source: nil)
        default:
            entry.size = status.size
            return .init(entry: entry, source: source)
        }
    }

    /// A directory source: its contents land in `target` (which gets the
    /// source directory's mode unless the image already has it).
    private func addTree(_ directory: String, as target: [String], owner: (uid: Int, gid: Int), mode: UInt32?,
                         plan: inout CopyPlan, planned: inout Set<String>) throws {
        for name in try FS.list(directory, stage: "build") {
            let source = directory + "/" + name
            guard let status = try? FS.status(source),
                  status.isDirectory || status.isRegular || status.isSymlink else { continue }  // sockets, devices: skipped
            let destination = target + [name]
            let key = destination.joined(separator: "/")
            planned.insert(key)
            plan.items.append(item(source, status, key, owner: owner, mode: mode))
            if status.isDirectory {
                try addTree(source, as: destination, owner: owner, mode: mode, plan: &plan, planned: &planned)
            }
        }
    }

    /// The content part of the cache key (mtimes left out, as docker does).
    private func digest(_ plan: CopyPlan) throws -> String {
        var hasher = SHA256()
        for item in plan.items {
            let entry = item.entry
            let header = "\(entry.path)\u{0}\(entry.kind)\u{0}\(String(entry.mode, radix: 8))\u{0}\(entry.uid):\(entry.gid)"
                + "\u{0}\(entry.size)\u{0}\(entry.linkTarget)\u{0}"
            hasher.update(data: Array(header.utf8))
            if let source = item.source, entry.kind == .regular {
                var file = SHA256()
                let fd = open(source, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
                if fd < 0 { throw SysError.current("build", "open", source) }
                defer { close(fd) }
                var buffer = [UInt8](repeating: 0, count: 65536)
                while true {
                    let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                    if n < 0 && errno == EINTR { continue }
                    if n < 0 { throw SysError.current("build", "read", source) }
                    if n == 0 { break }
                    file.update(data: buffer[0..<n])
                }
                hasher.update(data: Array(Hex.encode(file.finalize()).utf8))
            }
            hasher.update(data: [0x0A])
        }
        return ContentDigest.string(hasher)
    }
}
