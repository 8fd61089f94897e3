import Foundation

/// Makes every web address of a note what its author meant, and valid, right after parsing.
///
/// Published guides escape punctuation everywhere, bare URLs included
/// (`http://download\.eclipse\.org/releases`). CommonMark does not read backslash escapes in
/// autolinks, so cmark-gfm keeps the backslashes and they reach the output as `%5C`, which
/// makes an invalid host (31 EPUBCheck RSC-020 errors in one guide). A backslash is never
/// valid in a URL (RFC 3986 has no place for it), so a backslash before ASCII punctuation is
/// taken as the Markdown escape it was written as. A URL with a scheme whose authority still
/// cannot be a host (spaces, brackets that close no IPv6 address…) is shown as its text, with
/// a warning.
enum LinkURLs {
    /// Whether `url` starts with a scheme (`https:`, `mailto:`…, RFC 3986 section 3.1).
    static func hasScheme(_ url: String) -> Bool {
        // Most links are relative paths with no colon at all: a byte scan says so without
        // walking Characters (the Character search below showed in a full build's profile).
        guard url.utf8.contains(UInt8(ascii: ":")), let colon = url.firstIndex(of: ":") else { return false }
        let scheme = url[..<colon]
        return !scheme.isEmpty && scheme.allSatisfy { $0.isLetter || $0.isNumber || "+-.".contains($0) } && scheme.first!.isLetter
    }

    /// `url` split at its first `#` into path and fragment (nil without one). Byte-wise
    /// (every build resolves every link of every page): `#` and `/` are ASCII.
    static func split(_ url: String) -> (path: String, fragment: String?) {
        guard let hash = url.utf8.firstIndex(of: UInt8(ascii: "#")) else { return (url, nil) }
        return (String(url[..<hash]), String(url[url.utf8.index(after: hash)...]))
    }

    static func repair(_ tree: MarkdownTree, source: SourceFile, diagnostics: DiagnosticLog) {
        var links: [Node] = []
        tree.document.walk { node in
            switch node.kind {
            case .link, .image:
                links.append(node)
                return .visitChildren
            case .codeBlock, .htmlBlock:
                return .skipChildren
            default:
                return .visitChildren
            }
        }
        for node in links {
            guard var url = node.url, !url.isEmpty else { continue }
            if url.utf8.contains(UInt8(ascii: "\\")) {
                let fixed = unescape(url)
                // An autolink shows its URL: the text is fixed the same way.
                if let text = node.firstChild, text.next == nil, text.kind == .text, let literal = text.literal,
                   url == literal || url == "http://" + literal || url == "mailto:" + literal {
                    text.literal = unescape(literal)
                }
                url = fixed
                node.url = fixed
            }
            let encoded = encodeStrayDelimiters(url)
            if encoded != url {
                url = encoded
                node.url = encoded
            }
            if isPlainlyValid(url) { continue }
            if !isValid(url) {
                diagnostics.warning("'\(url)' is not a valid URL; it is shown as text", at: position(of: node, in: source))
                node.unwrap(showingURL: true)
            } else if let typo = mistypedScheme(url) {
                diagnostics.warning("'\(url)' has the scheme '\(typo.scheme)', which no browser opens; did you mean '\(typo.meant)'?",
                                    at: position(of: node, in: source))
            }
        }
    }

    /// Whether `url` is, by a byte check, one `isValid` accepts and `mistypedScheme` finds no
    /// typo in: ASCII, and either without `://` or `http://`/`https://` and a host of letters,
    /// digits and `-._~%` (no user, port or IP literal). Most links of a note are such, and the
    /// full checks (Foundation's `range(of:)`, Unicode properties) showed in the profile of a
    /// full build; anything else is left to them.
    static func isPlainlyValid(_ url: String) -> Bool {
        let utf8 = url.utf8
        guard utf8.allSatisfy({ $0 < 0x80 }) else { return false }
        var authorityStart: String.UTF8View.Index
        if utf8.starts(with: "https://".utf8) {
            authorityStart = utf8.index(utf8.startIndex, offsetBy: 8)
        } else if utf8.starts(with: "http://".utf8) {
            authorityStart = utf8.index(utf8.startIndex, offsetBy: 7)
        } else {
            // Without "://" neither check applies.
            var previous: (UInt8, UInt8) = (0, 0)
            for byte in utf8 {
                if previous == (UInt8(ascii: ":"), UInt8(ascii: "/")), byte == UInt8(ascii: "/") { return false }
                previous = (previous.1, byte)
            }
            return true
        }
        var hostLength = 0
        while authorityStart < utf8.endIndex {
            let byte = utf8[authorityStart]
            if byte == UInt8(ascii: "/") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "#") { break }
            let isHostByte = (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "~")
                || byte == UInt8(ascii: "%")
            guard isHostByte, hostLength > 0 || byte != UInt8(ascii: ".") else { return false }
            hostLength += 1
            authorityStart = utf8.index(after: authorityStart)
        }
        return hostLength > 0
    }

    /// Schemes a note may well mean that are one or two edits from `http` or `https`, and
    /// deliberately defanged web addresses (`hxxps`, common in security notes).
    static let schemesNearHTTP: Set<String> = ["http", "https", "ftp", "ftps", "sftp", "tftp", "smtp", "ntp", "nntp", "rtp", "rtsp",
                                               "tcp", "hdfs", "hxxp", "hxxps", "shttp", "httpu"]

    /// The scheme of `url` (`htps://…`, `htttp://…`) and the web scheme it is likely a typo
    /// of: one or two edits (`Suggestion.distance`) from `http` or `https` and none of
    /// `schemesNearHTTP`; nil for every other URL. The link is kept as written: only its
    /// author knows what it should be.
    static func mistypedScheme(_ url: String) -> (scheme: String, meant: String)? {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        let scheme = url[..<schemeEnd.lowerBound]
        guard !scheme.isEmpty, scheme.allSatisfy({ $0.isASCII && $0.isLetter }), !schemesNearHTTP.contains(scheme.lowercased()),
              let meant = Suggestion.closest(to: String(scheme), among: ["https", "http"]) else { return nil }
        return (String(scheme), meant)
    }

    /// `scheme://host[:port]` of an absolute URL, the part a root-absolute path (`/kms/…`) is
    /// resolved against; nil when it has none.
    static func origin(of url: String) -> String? {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        let authority = url[schemeEnd.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.isEmpty, isPlainlyValid(url) || isValid(url) else { return nil }
        return String(url[..<schemeEnd.upperBound]) + authority
    }

    /// A URL may hold one `#` (RFC 3986: a fragment holds no `#`) and `%` only before two hex
    /// digits; guides write others (`…#section/path#section`), which every reader rejects.
    /// They are percent-encoded, which keeps what the author wrote and makes it valid.
    static func encodeStrayDelimiters(_ url: String) -> String {
        guard url.utf8.contains(where: { $0 == UInt8(ascii: "#") || $0 == UInt8(ascii: "%") }) else { return url }
        let bytes = Array(url.utf8)
        var result: [UInt8] = []
        var seenHash = false
        for (index, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: "#") {
                if seenHash { result += Array("%23".utf8); continue }
                seenHash = true
            } else if byte == UInt8(ascii: "%") {
                let hex = index + 2 < bytes.count && [bytes[index + 1], bytes[index + 2]].allSatisfy { Character(Unicode.Scalar($0)).isHexDigit }
                if !hex { result += Array("%25".utf8); continue }
            }
            result.append(byte)
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// What CommonMark lets a backslash escape.
    static let asciiPunctuation = Set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".unicodeScalars)

    /// Where a link starts; cmark-gfm gives the links its autolink extension makes no position,
    /// so those are reported at the start of the nearest block that has one.
    static func position(of node: Node, in source: SourceFile) -> SourceLocation {
        var current: Node? = node
        while let candidate = current {
            if candidate.column > 0 { return source.location(line: candidate.line, column: candidate.column) }
            current = candidate.parent
        }
        return source.location()
    }

    /// Drops each backslash that escapes ASCII punctuation, as Markdown reads `\.` elsewhere.
    static func unescape(_ text: String) -> String {
        var result = ""
        var escaping = false
        for scalar in text.unicodeScalars {
            if escaping {
                escaping = false
                if !asciiPunctuation.contains(scalar) { result += "\\" }
                result.unicodeScalars.append(scalar)
            } else if scalar == "\\" {
                escaping = true
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        if escaping { result += "\\" }
        return result
    }

    /// False for a URL with an authority (`scheme://host…`) whose host cannot be one: a
    /// registered name holds letters, digits, `-`, `.`, `_`, `~`, `%`-escapes of those or
    /// non-ASCII letters (an international name); an IP literal is in brackets; a port is digits.
    /// Relative URLs and those without an authority (`mailto:`) are left to the link stage.
    static func isValid(_ url: String) -> Bool {
        guard let schemeEnd = url.range(of: "://") else { return true }
        let scheme = url[..<schemeEnd.lowerBound]
        guard let first = scheme.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic,
              scheme.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "+-.".unicodeScalars.contains($0)) })
        else { return true }  // Not a scheme: a relative path that holds "://".
        let rest = url[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostPort = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? ""
        if hostPort.isEmpty { return scheme.lowercased() == "file" }
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { return false }
            let inside = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
            guard !inside.isEmpty, inside.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return false }
            let after = hostPort[hostPort.index(after: close)...]
            return after.isEmpty || (after.first == ":" && after.dropFirst().allSatisfy(\.isASCII) && after.dropFirst().allSatisfy(\.isNumber))
        }
        var host = Substring(hostPort)
        if let colon = hostPort.lastIndex(of: ":") {
            let port = hostPort[hostPort.index(after: colon)...]
            guard port.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
            host = hostPort[..<colon]
        }
        guard !host.isEmpty else { return false }
        return host.unicodeScalars.allSatisfy { scalar in
            !scalar.isASCII ? scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar.properties.isDiacritic
                : scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-._~%".unicodeScalars.contains(scalar)
        } && !host.hasPrefix(".")
    }
}
