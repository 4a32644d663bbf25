@testable import BoxImages
import Testing

@Suite("Image references")
struct ImageReferenceTests {
    static let valid: [(String, String, String)] = [
        ("busybox", "docker.io/library/busybox:latest", "busybox:latest"),
        ("busybox:1.36", "docker.io/library/busybox:1.36", "busybox:1.36"),
        ("library/busybox", "docker.io/library/busybox:latest", "busybox:latest"),
        ("docker.io/library/busybox:latest", "docker.io/library/busybox:latest", "busybox:latest"),
        ("index.docker.io/busybox", "docker.io/library/busybox:latest", "busybox:latest"),
        ("docker.io/busybox", "docker.io/library/busybox:latest", "busybox:latest"),
        ("docker/whalesay", "docker.io/docker/whalesay:latest", "docker/whalesay:latest"),
        ("docker/whalesay:latest", "docker.io/docker/whalesay:latest", "docker/whalesay:latest"),
        ("localhost/foo", "localhost/foo:latest", "localhost/foo:latest"),
        ("localhost:5000/foo", "localhost:5000/foo:latest", "localhost:5000/foo:latest"),
        ("localhost:5000/foo/bar:v1", "localhost:5000/foo/bar:v1", "localhost:5000/foo/bar:v1"),
        ("quay.io/coreos/etcd:v3.5.0", "quay.io/coreos/etcd:v3.5.0", "quay.io/coreos/etcd:v3.5.0"),
        ("ghcr.io/a/b/c", "ghcr.io/a/b/c:latest", "ghcr.io/a/b/c:latest"),
        ("Registry/foo", "Registry/foo:latest", "Registry/foo:latest"),
        ("[::1]:5000/foo", "[::1]:5000/foo:latest", "[::1]:5000/foo:latest"),
        ("localhost", "docker.io/library/localhost:latest", "localhost:latest"),
        ("my_app-1.x__y", "docker.io/library/my_app-1.x__y:latest", "my_app-1.x__y:latest"),
        ("a--b:Tag_1.0-rc", "docker.io/library/a--b:Tag_1.0-rc", "a--b:Tag_1.0-rc"),
        ("busybox@sha256:" + String(repeating: "a", count: 64),
         "docker.io/library/busybox@sha256:" + String(repeating: "a", count: 64),
         "busybox@sha256:" + String(repeating: "a", count: 64)),
        ("busybox:1.36@sha256:" + String(repeating: "b", count: 64),
         "docker.io/library/busybox:1.36@sha256:" + String(repeating: "b", count: 64),
         "busybox:1.36@sha256:" + String(repeating: "b", count: 64)),
    ]

    @Test("normalises like docker", arguments: valid)
    func normalises(_ input: String, _ normalized: String, _ familiar: String) throws {
        let reference = try ImageReference.parse(input)
        #expect(reference.normalized == normalized)
        #expect(reference.familiar == familiar)
    }

    @Test func parts() throws {
        let reference = try ImageReference.parse("localhost:5000/team/app:v2")
        #expect(reference.domain == "localhost:5000")
        #expect(reference.path == "team/app")
        #expect(reference.tag == "v2")
        #expect(reference.digest == nil)
        #expect(reference.repository == "localhost:5000/team/app")
        let pinned = try ImageReference.parse("busybox@sha256:" + String(repeating: "c", count: 64))
        #expect(pinned.tag == nil)  // a digest alone gets no default tag
        #expect(pinned.familiarRepository == "busybox")
    }

    static let invalid: [(String, String)] = [
        ("", "empty"),
        ("Busybox", "must be lowercase"),
        ("library/BusyBox:latest", "must be lowercase"),
        ("busybox:", "tag \"\""),
        ("busybox:-bad", "tag \"-bad\""),
        ("busybox:" + String(repeating: "t", count: 129), "1 to 128"),
        ("busybox@sha256:abc", "64 lowercase hex"),
        ("busybox@md5:" + String(repeating: "a", count: 32), "digest"),
        ("bad..name", "component \"bad..name\""),
        ("-leading", "component \"-leading\""),
        ("trailing_", "component \"trailing_\""),
        ("a/b//c", "component \"\""),
        ("has space", "component \"has space\""),
        ("localhost:port/foo", "port \"port\""),
        ("bad_host.io/foo", "registry host"),
        ("-bad.io/foo", "registry host"),
        ("[zz::1]/foo", "IPv6"),
        (String(repeating: "a", count: 64), "image id"),
        ("x/" + String(repeating: "a", count: 260), "255 characters"),
        ("/busybox", "component \"\""),
    ]

    @Test("rejects invalid names with the reason", arguments: invalid)
    func rejects(_ input: String, _ reason: String) {
        do {
            let parsed = try ImageReference.parse(input)
            Issue.record("\(input) parsed as \(parsed.normalized)")
        } catch let ImageError.invalidReference(text, why) {
            #expect(text == input)
            #expect(why.contains(reason), "reason was: \(why)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    /// distribution/reference (v0.6.0 on) checks `len(remoteName) > NameTotalLengthMax`:
    /// 255 characters of repository path, the registry host not counted.
    @Test func nameLimitCountsThePathWithoutTheRegistry() throws {
        let host = "registry.example.com:5000/"
        let longest = "team/" + String(repeating: "a", count: 250)
        #expect(try ImageReference.parse(host + longest).path == longest)
        #expect(throws: ImageError.self) { try ImageReference.parse(host + longest + "b") }
        // On docker.io the implied "library/" is part of the path.
        #expect(throws: ImageError.self) { try ImageReference.parse(String(repeating: "a", count: 250)) }
        #expect(try ImageReference.parse(String(repeating: "a", count: 247)).path.utf8.count == 255)
    }

    /// distribution/reference's ipv6address is `\[(?:[a-fA-F0-9:]+)\]`: a dotted
    /// IPv4 tail inside the brackets is refused, as docker refuses it.
    @Test func bracketedIPv6HostIsHexDigitsAndColonsOnly() throws {
        #expect(try ImageReference.parse("[2001:db8::1]:5000/debian").domain == "[2001:db8::1]:5000")
        #expect(try ImageReference.parse("[2001:DB8::1]/debian").domain == "[2001:DB8::1]")
        do {
            let parsed = try ImageReference.parse("[2001:db8:3:4::192.0.2.33]:5000/debian")
            Issue.record("parsed as \(parsed.normalized)")
        } catch let ImageError.invalidReference(_, why) {
            #expect(why.contains("IPv6"), "reason was: \(why)")
        }
    }

    @Test func errorDescriptionIsDockers() {
        let error = ImageError.invalidReference("Busybox", "repository name (library/Busybox) must be lowercase")
        #expect(error.description.hasPrefix("invalid reference format: repository name (library/Busybox) must be lowercase"))
    }
}
