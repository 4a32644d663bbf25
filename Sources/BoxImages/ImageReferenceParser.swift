/// The grammar of distribution/reference (what docker accepts), checked by
/// hand instead of with regular expressions to keep start-up cheap:
///
///     reference  := name [ ":" tag ] [ "@" digest ]
///     name       := [ domain "/" ] component ( "/" component )*
///     domain     := host [ ":" port ]        host := label ( "." label )* | "[" [0-9A-Fa-f:]+ "]"
///     component  := alnum+ ( separator alnum+ )*   alnum := [a-z0-9]
///     separator  := "." | "_" | "__" | "-"+
///     tag        := [A-Za-z0-9_] [A-Za-z0-9_.-]{0,127}
///     digest     := "sha256:" 64 lowercase hex digits
///
/// and the path (the name without its domain) at most 255 characters.
extension ImageReference {
    /// Parses and normalises `text`; throws `ImageError.invalidReference`
    /// naming the rule that failed.
    public static func parse(_ text: String) throws -> ImageReference {
        func fail(_ reason: String) -> ImageError { .invalidReference(text, reason) }
        if text.isEmpty { throw fail("the reference is empty") }
        if text.utf8.count == 64 && ContentDigest.isHex(Substring(text)) {
            throw fail("a 64-character hexadecimal string is an image id, not a repository name")
        }

        var rest = Substring(text)
        var digest: String?
        if let at = rest.firstIndex(of: "@") {
            let value = String(rest[rest.index(after: at)...])
            guard ContentDigest.isValid(value) else {
                throw fail("digest \"\(value)\" must be sha256: followed by 64 lowercase hex digits")
            }
            digest = value
            rest = rest[..<at]
        }

        var tag: String?
        let lastSlash = rest.lastIndex(of: "/")
        if let colon = rest.lastIndex(of: ":"), lastSlash.map({ colon > $0 }) ?? true {
            let value = String(rest[rest.index(after: colon)...])
            guard isValidTag(value) else {
                throw fail("tag \"\(value)\" must be 1 to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'")
            }
            tag = value
            rest = rest[..<colon]
        }
        if rest.isEmpty { throw fail("the repository name is empty") }

        var (domain, path) = splitDomain(rest)
        if domain == legacyDefaultDomain { domain = defaultDomain }
        if domain == defaultDomain && !path.contains("/") { path = officialPrefix + path }

        if domain != defaultDomain, let problem = domainProblem(domain) { throw fail(problem) }
        if path.contains(where: \.isUppercase) {
            throw fail("repository name (\(path)) must be lowercase")
        }
        for component in path.split(separator: "/", omittingEmptySubsequences: false) {
            guard isValidComponent(component) else {
                throw fail("repository name component \"\(component)\" must be lowercase letters and digits, "
                    + "separated by '.', '_', '__' or '-'")
            }
        }
        // distribution/reference counts the path alone (since v0.6.0), not the registry.
        if path.utf8.count > maxNameLength {
            throw fail("repository name must not be more than \(maxNameLength) characters")
        }
        if tag == nil && digest == nil { tag = defaultTag }
        return ImageReference(domain: domain, path: path, tag: tag, digest: digest)
    }

    /// docker's splitDockerDomain: the first component is a registry host when
    /// it has '.', ':', is "localhost", or is not all lowercase.
    static func splitDomain(_ name: Substring) -> (String, String) {
        guard let slash = name.firstIndex(of: "/") else { return (defaultDomain, String(name)) }
        let first = name[..<slash]
        let isHost = first.contains(".") || first.contains(":") || first == "localhost"
            || first.contains(where: \.isUppercase)
        guard isHost else { return (defaultDomain, String(name)) }
        return (String(first), String(name[name.index(after: slash)...]))
    }

    static func isValidTag(_ tag: String) -> Bool {
        let bytes = Array(tag.utf8)
        guard !bytes.isEmpty, bytes.count <= maxTagLength else { return false }
        func word(_ b: UInt8) -> Bool { isAlnum(b) || (0x41...0x5A).contains(b) || b == 0x5F }
        guard word(bytes[0]) else { return false }
        return bytes.allSatisfy { word($0) || $0 == 0x2E || $0 == 0x2D }
    }

    /// One path component: alnum runs joined by ".", "_", "__" or "-"+.
    static func isValidComponent(_ component: Substring) -> Bool {
        let bytes = Array(component.utf8)
        guard let first = bytes.first, let last = bytes.last, isAlnum(first), isAlnum(last) else { return false }
        var index = 0
        while index < bytes.count {
            if isAlnum(bytes[index]) { index += 1; continue }
            var end = index
            while end < bytes.count, !isAlnum(bytes[end]) { end += 1 }
            let separator = bytes[index..<end]
            let ok = separator.elementsEqual([0x2E]) || separator.elementsEqual([0x5F])
                || separator.elementsEqual([0x5F, 0x5F]) || separator.allSatisfy { $0 == 0x2D }
            if !ok { return false }
            index = end
        }
        return true
    }

    /// nil when `domain` is a valid registry host[:port]; otherwise the reason.
    static func domainProblem(_ domain: String) -> String? {
        var host = Substring(domain)
        var port: Substring?
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return "registry host \"\(domain)\" has an unclosed '['" }
            let inside = host[host.index(after: host.startIndex)..<close]
            // docker's ipv6address is `\[[a-fA-F0-9:]+\]`: no dotted IPv4 tail.
            let ipv6 = !inside.isEmpty && inside.allSatisfy { ($0.isASCII && $0.isHexDigit) || $0 == ":" }
            if !ipv6 { return "registry host \"\(domain)\" is not a valid IPv6 address" }
            let after = host[host.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return "registry host \"\(domain)\" has text after ']'" }
                port = after.dropFirst()
            }
        } else {
            if let colon = host.firstIndex(of: ":") {
                port = host[host.index(after: colon)...]
                host = host[..<colon]
            }
            let labels = host.split(separator: ".", omittingEmptySubsequences: false)
            let labelsOK = !host.isEmpty && labels.allSatisfy { label in
                let bytes = Array(label.utf8)
                func alnum(_ b: UInt8) -> Bool { isAlnum(b) || (0x41...0x5A).contains(b) }
                guard let first = bytes.first, let last = bytes.last, alnum(first), alnum(last) else { return false }
                return bytes.allSatisfy { alnum($0) || $0 == 0x2D }
            }
            if !labelsOK { return "registry host \"\(host)\" must be letters, digits and '-' separated by '.'" }
        }
        if let port, port.isEmpty || !port.allSatisfy(\.isASCII) || !port.allSatisfy(\.isNumber) {
            return "registry port \"\(port)\" must be digits"
        }
        return nil
    }

    private static func isAlnum(_ b: UInt8) -> Bool {
        (0x61...0x7A).contains(b) || (0x30...0x39).contains(b)
    }
}
