#if canImport(Glibc)
import Glibc
#endif
import BoxJSON
import BoxOS
import Crypto

/// What push and pull report, per blob, for a progress display.
public enum RegistryProgress: Sendable {
    /// The registry already has this blob: nothing to send.
    case exists(digest: String)
    /// `done` of `total` bytes of the blob moved so far.
    case transferring(digest: String, done: Int64, total: Int64)
    /// The blob is complete (and, on pull, verified).
    case finished(digest: String)
    /// The manifest is in place; `digest` is what the registry calls it.
    case manifest(digest: String)
}

/// What went wrong talking to a registry, worded for the student.
public enum RegistryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// boxlab speaks plain HTTP without credentials, so only to this machine.
    case notLocal(String)
    case unreachable(String)
    /// The registry answered `status` to `request`; `message` is its own error text.
    case refused(request: String, status: Int, message: String)
    case badResponse(String)
    case digestMismatch(what: String, expected: String, actual: String)

    public var description: String {
        switch self {
        case let .notLocal(host):
            return "registry \(host) is not on this machine: boxlab pushes and pulls only over plain HTTP to localhost"
                + " (e.g. localhost:5000/NAME:TAG), without credentials"
        case let .unreachable(reason):
            return "cannot reach the registry: \(reason)"
        case let .refused(request, status, message):
            return "the registry answered \(status) to \(request)" + (message.isEmpty ? "" : ": \(message)")
        case let .badResponse(reason):
            return "unexpected answer from the registry: \(reason)"
        case let .digestMismatch(what, expected, actual):
            return "\(what) does not match its digest (expected \(expected), got \(actual))"
        }
    }
}

/// The OCI distribution API (v2), token-less, over plain HTTP to a registry
/// at localhost: `push` (HEAD to skip blobs the registry has, monolithic
/// upload POST + PUT, manifest PUT) and `pull` (manifest GET, blob GETs
/// verified by digest, then stored as `load` stores an archive).
extension ImageStore {
    static let manifestAccept = [
        MediaType.manifest, "application/vnd.docker.distribution.manifest.v2+json",
        MediaType.index, "application/vnd.docker.distribution.manifest.list.v2+json",
    ].joined(separator: ", ")

    /// The client for `reference`'s registry, refusing hosts not on this machine.
    static func registryClient(_ reference: ImageReference) throws -> HTTPClient {
        var host = reference.domain
        var port = 80
        if host.hasPrefix("[") , let close = host.firstIndex(of: "]") {  // [::1]:5000
            let after = host[host.index(after: close)...]
            if after.hasPrefix(":"), let value = Int(after.dropFirst()) { port = value }
            host = String(host[host.index(after: host.startIndex)..<close])
        } else if let colon = host.lastIndex(of: ":"), let value = Int(host[host.index(after: colon)...]) {
            port = value
            host = String(host[..<colon])
        }
        guard ["localhost", "127.0.0.1", "::1"].contains(host) || host.hasPrefix("127.") else {
            throw RegistryError.notLocal(reference.domain)
        }
        return HTTPClient(host: host, port: port)
    }

    @discardableResult
    private static func call(
        _ client: HTTPClient, _ method: String, _ path: String, headers: [(String, String)] = [],
        body: HTTPClient.Body = .none, expect: Set<Int>, sent: ((Int64) -> Void)? = nil,
        receive: ((ArraySlice<UInt8>) throws -> Void)? = nil
    ) throws -> HTTPClient.Response {
        let response: HTTPClient.Response
        do {
            response = try client.request(method, path, headers: headers, body: body, sent: sent, receive: receive)
        } catch let failure as HTTPClient.Failure {
            throw RegistryError.unreachable(failure.what)
        }
        if !expect.contains(response.status) {
            var message = ""
            if let json = try? JSON.parse(response.body), let first = json["errors"]?.arrayValue?.first {
                message = [first["code"]?.stringValue, first["message"]?.stringValue].compactMap { $0 }.joined(separator: ": ")
            }
            throw RegistryError.refused(request: "\(method) \(path.split(separator: "?").first ?? "")", status: response.status, message: message)
        }
        return response
    }

    // MARK: - Push

    /// Pushes the image `text` names to the registry in `reference`
    /// (its tag, or `latest`). Returns the manifest digest.
    @discardableResult
    public func push(_ text: String, to reference: ImageReference, progress: @escaping (RegistryProgress) -> Void = { _ in }) throws -> String {
        let client = try Self.registryClient(reference)
        _ = try resolve(text)
        let image = try storedImage(text)
        let name = reference.path
        try Self.call(client, "GET", "/v2/", expect: [200])
        for blob in [image.manifest.config] + image.manifest.layers {
            let path = layout.blobPath(blob.digest)
            let size = try FS.status(path).size
            let head = try Self.call(client, "HEAD", "/v2/\(name)/blobs/\(blob.digest)", expect: [200, 404])
            if head.status == 200 {
                progress(.exists(digest: blob.digest))
                continue
            }
            let start = try Self.call(client, "POST", "/v2/\(name)/blobs/uploads/", expect: [202])
            guard let location = start.header("Location") else { throw RegistryError.badResponse("no Location for the upload") }
            var target = Self.pathOf(location)
            target += (target.contains("?") ? "&" : "?") + "digest=" + blob.digest
            progress(.transferring(digest: blob.digest, done: 0, total: size))
            try Self.call(client, "PUT", target, headers: [("Content-Type", "application/octet-stream")],
                          body: .file(path, size: size), expect: [201],
                          sent: { progress(.transferring(digest: blob.digest, done: $0, total: size)) })
            progress(.finished(digest: blob.digest))
        }
        let manifest = try layout.readBlob(image.manifestDigest)
        let tag = reference.digest ?? reference.tag ?? ImageReference.defaultTag
        let put = try Self.call(client, "PUT", "/v2/\(name)/manifests/\(tag)", headers: [("Content-Type", MediaType.manifest)],
                                body: .bytes(manifest), expect: [201])
        if let answered = put.header("Docker-Content-Digest"), answered != image.manifestDigest {
            throw RegistryError.digestMismatch(what: "the pushed manifest", expected: image.manifestDigest, actual: answered)
        }
        progress(.manifest(digest: image.manifestDigest))
        return image.manifestDigest
    }

    /// "http://host:port/v2/…?x" → "/v2/…?x".
    static func pathOf(_ location: String) -> String {
        guard let scheme = location.firstRange(of: "://") else { return location }
        let rest = location[scheme.upperBound...]
        return rest.firstIndex(of: "/").map { String(rest[$0...]) } ?? "/"
    }

    // MARK: - Pull

    /// Pulls `reference` from its registry into the store, checking every
    /// digest. Returns the image as stored.
    public func pull(_ reference: ImageReference, progress: @escaping (RegistryProgress) -> Void = { _ in }) throws -> LoadedImage {
        let client = try Self.registryClient(reference)
        let name = reference.path
        try FS.makeDirectories(layout.blobsDirectory, stage: "image")
        let staging = try ArchiveStaging(directory: layout.temporaryBlobPath("pull"))
        defer { try? FS.removeTree(staging.directory, stage: "image") }
        var wanted = reference.digest ?? reference.tag ?? ImageReference.defaultTag
        var manifestBytes: [UInt8] = []
        var manifestType = ""
        for _ in 0..<3 {  // an index leads to the manifest for this platform
            let response = try Self.call(client, "GET", "/v2/\(name)/manifests/\(wanted)", headers: [("Accept", Self.manifestAccept)], expect: [200])
            let digest = ContentDigest.sha256(response.body)
            if let expected = ContentDigest.isValid(wanted) ? wanted : response.header("Docker-Content-Digest"), expected != digest {
                throw RegistryError.digestMismatch(what: "the manifest of \(reference.familiar)", expected: expected, actual: digest)
            }
            _ = try staging.add("blobs/sha256/" + ContentDigest.hex(digest), bytes: response.body)
            let json = try? JSON.parse(response.body)
            manifestType = json?["mediaType"]?.stringValue ?? response.header("Content-Type") ?? MediaType.manifest
            manifestBytes = response.body
            guard Self.indexTypes.contains(manifestType) else { break }
            let host = Platform.architecture()
            guard let chosen = json?["manifests"]?.arrayValue?.first(where: {
                ($0["platform"]?["architecture"]?.stringValue ?? host) == host
            })?["digest"]?.stringValue else {
                throw RegistryError.badResponse("the index of \(reference.familiar) has no image for \(host)")
            }
            wanted = chosen
        }
        guard let manifest = try? JSON.parse(manifestBytes), let config = manifest["config"]?["digest"]?.stringValue,
              let layers = manifest["layers"]?.arrayValue else {
            throw RegistryError.badResponse("the manifest of \(reference.familiar) is not an image manifest")
        }
        for digest in [config] + layers.compactMap({ $0["digest"]?.stringValue }) {
            guard ContentDigest.isValid(digest) else { throw RegistryError.badResponse("a blob digest \"\(digest)\" is not sha256") }
            let entry = "blobs/sha256/" + ContentDigest.hex(digest)
            if staging.has(entry) { continue }
            let total = layers.first { $0["digest"]?.stringValue == digest }?["size"]?.int64Value ?? 0
            var done: Int64 = 0
            let file = try staging.receive(entry) { write in
                try Self.call(client, "GET", "/v2/\(name)/blobs/\(digest)", expect: [200], receive: { chunk in
                    try write(chunk)
                    done += Int64(chunk.count)
                    progress(.transferring(digest: digest, done: done, total: total))
                })
            }
            if file.digest != digest { throw RegistryError.digestMismatch(what: "blob \(digest)", expected: digest, actual: file.digest) }
            progress(.finished(digest: digest))
        }
        // Stored as `load` stores an OCI archive: one index entry naming the manifest.
        var annotations: [(String, JSON)] = []
        if reference.digest == nil { annotations.append((MediaType.refNameAnnotation, .string(reference.normalized))) }
        var descriptor: [(String, JSON)] = [
            ("mediaType", .string(manifestType)), ("digest", .string(ContentDigest.sha256(manifestBytes))),
            ("size", .int(Int64(manifestBytes.count))),
        ]
        if !annotations.isEmpty { descriptor.append(("annotations", .object(annotations))) }
        let index = JSON.object([("schemaVersion", .int(2)), ("manifests", .array([.object(descriptor)]))])
        _ = try staging.add("index.json", bytes: Array(index.serialized().utf8))
        let loaded = try loadStaged(staging)
        guard let image = loaded.first else { throw RegistryError.badResponse("no image in the manifest") }
        progress(.manifest(digest: image.manifestDigest))
        return image
    }
}
