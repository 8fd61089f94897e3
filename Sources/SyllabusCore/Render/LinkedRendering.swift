import CMarkGFM
import Foundation

/// One note's bound links (see `Linker.bindTargets`) pointed one renderer's way: the site's
/// relative paths, the book's files, Anki's absolute URLs. The code that writes the note's
/// nodes asks it for each link as it writes, so renderers share the tree without changing it.
///
/// The link stage wrote each bound link's token (`LinkToken`) as its URL: cmark-gfm's HTML of
/// the nodes holds the tokens, which `point` replaces; the book's own writer asks `href(of:)`.
struct PointedLinks {
    private let links: [(node: Node, target: LinkTarget)]
    private let href: (LinkTarget) -> String?
    /// Whether a picture's href is a file name in Anki's media folder (see `init`).
    private let mediaNames: Bool

    /// `content`'s links, pointed by `href`. With `mediaNames` (Anki), the href of a picture
    /// (`.file(_, embedded: true)`) is a media file name, written as it is, HTML-escaped, not
    /// percent-encoded as a URL: Anki's media check and sync read a field's names as written,
    /// and take `my%20flow.png` for a missing file and the learner's `my flow.png` for an
    /// unused one (Anki 26.09, `col.media.check()`).
    init(_ content: PageContent, href: @escaping (LinkTarget) -> String?, mediaNames: Bool = false) {
        links = content.links
        self.href = href
        self.mediaNames = mediaNames
    }

    /// For a node the link stage bound: its href in this output, or `.some(nil)` when this
    /// output has none for its target (the node then shows as its content). nil for any other
    /// node.
    func href(of node: Node) -> String?? {
        guard let url = cmark_node_get_url(node.raw), let index = LinkToken.index(of: url), links.indices.contains(index) else { return nil }
        return .some(href(links[index].target))
    }

    /// cmark-gfm's HTML of `node` (see `Node.html`), its links pointed.
    func html(_ node: Node) -> String { point(node.html()) }

    /// cmark-gfm's HTML of `node`'s children (see `Node.innerHTML`), their links pointed.
    func innerHTML(_ node: Node) -> String { point(node.innerHTML()) }

    /// `html`, written by cmark-gfm from nodes of this note, with each bound link's token
    /// replaced by its href, escaped as cmark-gfm escapes a URL. A link or picture this output
    /// has no href for shows as its content (cmark-gfm's HTML of its children, a picture's alt
    /// text as text), or, with no content, keeps an empty URL. Iterative: a picture may hold
    /// pictures as deep as cmark-gfm nests them.
    func point(_ html: String) -> String {
        // Most HTML (a card, a block) has no link: found out without copying it.
        var html = html
        guard html.utf8.count >= LinkToken.bytes.count,
              html.withUTF8({ Self.firstIndex(of: LinkToken.bytes, in: $0) }) != nil else { return html }
        var output: [UInt8] = []
        output.reserveCapacity(html.utf8.count)
        // What is left to write, innermost first: the content of a link taken out of its tag
        // comes before the rest of the text it was in.
        var pending: [ArraySlice<UInt8>] = [ArraySlice(html.utf8)]
        while var rest = pending.popLast() {
            guard let start = rest.withUnsafeBufferPointer({ Self.firstIndex(of: LinkToken.bytes, in: $0) }).map({ rest.startIndex + $0 }) else {
                output += rest
                continue
            }
            let digits = start + LinkToken.bytes.count
            var end = digits
            while end < rest.endIndex, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(rest[end]) { end += 1 }
            output += rest[rest.startIndex..<start]
            guard let index = Int(String(decoding: rest[digits..<end], as: UTF8.self)), links.indices.contains(index) else {
                output += rest[start..<end]
                pending.append(rest[end...])
                continue
            }
            rest = rest[end...]
            let (node, target) = links[index]
            if let url = href(target) {
                if mediaNames, case .file(_, true) = target {
                    output += escapeHTML(url).utf8
                } else {
                    Self.escapeURL(url, into: &output)
                }
                pending.append(rest)
                continue
            }
            // cmark-gfm wrote `<a href="TOKEN"…>content</a>` or `<img src="TOKEN" alt="…"… />`;
            // the attributes after the token are escaped, so the tag ends at the first `>`.
            let opening = Array((node.kind == .image ? "<img src=\"" : "<a href=\"").utf8)
            let children = node.children
            let shownName = Self.shownName(of: node, target)
            guard !children.isEmpty || shownName != nil, output.count >= opening.count, output.suffix(opening.count).elementsEqual(opening),
                  let close = rest.firstIndex(of: UInt8(ascii: ">")) else {
                pending.append(rest)
                continue
            }
            let content = Array((children.isEmpty ? escapeHTML(shownName ?? "") : children.map { $0.html() }.joined()).utf8)
            var after = rest[(close + 1)...]
            if node.kind != .image {
                let closing = content + Array("</a>".utf8)
                guard after.starts(with: closing) else {
                    assertionFailure("a link's HTML is not its children's HTML in its tag")
                    pending.append(rest)
                    continue
                }
                after = after.dropFirst(closing.count)
            }
            output.removeLast(opening.count)
            pending.append(after)
            pending.append(ArraySlice(content))
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// What a picture without alt text shows where an output has no place for it: the file
    /// name it was written with (a picture the content folder lacks, kept for Anki, see
    /// `AnkiMedia.href`), as a picture that did not resolve shows its URL. nil for others.
    static func shownName(of node: Node, _ target: LinkTarget) -> String? {
        guard node.kind == .image, node.firstChild == nil, case let .file(path, true) = target else { return nil }
        return path.split(separator: "/").last.map(String.init)
    }

    /// The target the link stage bound `node` to; nil for any other node.
    func target(of node: Node) -> LinkTarget? {
        guard let url = cmark_node_get_url(node.raw), let index = LinkToken.index(of: url), links.indices.contains(index) else { return nil }
        return links[index].target
    }

    /// The offset of the first `needle` in `haystack`, nil when there is none.
    private static func firstIndex(of needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var start = 0
        let last = haystack.count - needle.count
        while start <= last {
            guard haystack[start] == first else { start += 1; continue }
            var matched = 1
            while matched < needle.count, haystack[start + matched] == needle[matched] { matched += 1 }
            if matched == needle.count { return start }
            start += 1
        }
        return nil
    }

    /// `url` as cmark-gfm writes a link's URL in HTML, byte by byte (see `hrefEscapes`).
    static func escapeURL(_ url: String) -> [UInt8] {
        var escaped: [UInt8] = []
        escapeURL(url, into: &escaped)
        return escaped
    }

    private static func escapeURL(_ url: String, into output: inout [UInt8]) {
        for byte in url.utf8 {
            if hrefKept[Int(byte)] { output.append(byte) } else { output += hrefEscapes[Int(byte)] }
        }
    }

    /// The bytes cmark-gfm writes as they are in a URL.
    private static let hrefKept: [Bool] = (0..<256).map { hrefEscapes[$0] == [UInt8($0)] }

    /// What cmark-gfm writes for each byte of a link's URL (it keeps URL characters, writes
    /// `&` and `'` as character references and percent-encodes the rest), learned from
    /// cmark-gfm itself once: a link of one byte each, rendered.
    static let hrefEscapes: [[UInt8]] = {
        let prefix = Array("<a href=\"".utf8)
        return (0..<256).map { byte -> [UInt8] in
            guard byte > 0, let link = cmark_node_new(CMARK_NODE_LINK) else { return [] }
            defer { cmark_node_free(link) }
            var url = [CChar(bitPattern: UInt8(byte)), 0]
            cmark_node_set_url(link, &url)
            guard let buffer = cmark_render_html(link, CMARK_OPT_UNSAFE, nil) else { return [] }
            defer { free(buffer) }
            let html = Array(String(cString: buffer).utf8)
            let quote = html[prefix.count...].firstIndex(of: UInt8(ascii: "\"")) ?? html.endIndex
            return Array(html[prefix.count..<quote])
        }
    }()
}

/// The URL the link stage writes into every internal link it binds: `LinkToken.prefix` and
/// the link's index in `PageContent.links`. The prefix holds a number drawn once per process,
/// so no URL a note writes can pass for one; renderers replace every token (`PointedLinks`).
enum LinkToken {
    static let prefix = "syllabus-link-\(String(UInt64.random(in: .min ... .max), radix: 36))-"
    static let bytes = Array(prefix.utf8)

    static func token(_ index: Int) -> String { prefix + String(index) }

    /// The index a bound node's URL names (as cmark-gfm holds it: NUL-terminated UTF-8, read
    /// in place, as the book asks it of every link node); nil for any other URL. A token is
    /// the prefix and decimal digits, as `token` writes it.
    static func index(of url: UnsafePointer<CChar>) -> Int? {
        let bytes = UnsafeRawPointer(url).assumingMemoryBound(to: UInt8.self)
        for (offset, byte) in Self.bytes.enumerated() where bytes[offset] != byte { return nil }
        var offset = Self.bytes.count, index = 0
        while bytes[offset] != 0 {
            let digit = bytes[offset] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (times10, overflow) = index.multipliedReportingOverflow(by: 10)
            let (sum, overflowAgain) = times10.addingReportingOverflow(Int(digit))
            guard !overflow, !overflowAgain else { return nil }
            index = sum
            offset += 1
        }
        return offset > Self.bytes.count ? index : nil
    }
}

/// Rendering nodes of the linked trees: each renderer points the same tree's links its own way.
extension LinkedStudySet {
    /// The links of `page` pointed where `href` says, for the code that writes its nodes.
    func pointedLinks(of page: Page, href: @escaping (LinkTarget) -> String?) -> PointedLinks {
        PointedLinks(content(of: page), href: href)
    }

    /// Runs `body` for every question with its nodes and its file's links pointed by `href`
    /// (pictures at media names with `mediaNames`, see `PointedLinks.init`), in question order;
    /// files in parallel.
    func renderQuestions<T>(href: @escaping (LinkTarget) -> String?, mediaNames: Bool = false,
                                   _ body: @escaping (Question, QuestionNodes, PointedLinks) -> T) -> [T] {
        let pages = studySet.examPages
        return parallelMap(pages.count) { index -> [T] in
            let page = pages[index]
            let content = content(of: page)
            let links = PointedLinks(content, href: href, mediaNames: mediaNames)
            return page.questions.map { body($0, content.questions[$0.index], links) }
        }.flatMap { $0 }
    }

    /// Runs `body` for each card with its nodes and its page's links pointed by `href` (pictures
    /// at media names with `mediaNames`, see `PointedLinks.init`), and returns the results in
    /// card order; pages (card files hold hundreds) in parallel.
    func renderCards<T>(_ cards: [Card], href: @escaping (LinkTarget) -> String?, mediaNames: Bool = false,
                               _ body: @escaping (Card, CardNodes, PointedLinks) -> T) -> [T] {
        var pageOrder: [String] = []
        var byPage: [String: [Int]] = [:]
        for (index, card) in cards.enumerated() {
            if byPage[card.pageID] == nil { pageOrder.append(card.pageID) }
            byPage[card.pageID, default: []].append(index)
        }
        let rendered = parallelMap(pageOrder.count) { pageIndex -> [T] in
            let indices = byPage[pageOrder[pageIndex]]!
            let content = content(of: page(pageOrder[pageIndex])!)
            let links = PointedLinks(content, href: href, mediaNames: mediaNames)
            return indices.map { body(cards[$0], content.cards[cards[$0].index], links) }
        }
        var result = [T?](repeating: nil, count: cards.count)
        for (pageID, outputs) in zip(pageOrder, rendered) {
            for (index, output) in zip(byPage[pageID]!, outputs) { result[index] = output }
        }
        return result.map { $0! }
    }
}
