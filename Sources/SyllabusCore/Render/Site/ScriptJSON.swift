import Foundation

/// JSON for a page's `<script>` element, written value by value: the bytes
/// `SiteRenderer.scriptSafe(json:)` makes of what Foundation's `JSONSerialization` writes with
/// `.sortedKeys` (no spaces; `/` as `\/`; backspace and form feed as `\b` and `\f`, other
/// control characters as `\u00XX`; everything else as it is, then `<`, `>`, `&`, U+2028 and
/// U+2029 escaped). Foundation's serializer bridged every value to an `NSDictionary` or
/// `NSArray` first: for the exam's data it was most of the exam page's time.
///
/// The caller writes each object's keys in the order `.sortedKeys` puts them (Foundation
/// compares them ignoring case, digits as numbers: `scored` before `scoreMax`);
/// `ScriptJSONTests` holds each use to `JSONSerialization`'s bytes.
struct ScriptJSON {
    /// The UTF-8 written so far.
    private(set) var bytes: [UInt8] = []
    /// For each open object or array, whether nothing is in it yet.
    private var empty: [Bool] = []
    /// Whether a key was just written, so the value follows without a comma.
    private var afterKey = false

    /// The JSON written, as a string.
    var text: String { String(decoding: bytes, as: UTF8.self) }

    mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        empty.append(true)
    }

    mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        empty.removeLast()
    }

    mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        empty.append(true)
    }

    mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        empty.removeLast()
    }

    /// A key of the open object; its value is written next.
    mutating func key(_ name: String) {
        separate()
        appendString(name)
        bytes.append(UInt8(ascii: ":"))
        afterKey = true
    }

    mutating func string(_ value: String) {
        separate()
        appendString(value)
    }

    mutating func int(_ value: Int) {
        separate()
        bytes += String(value).utf8
    }

    mutating func bool(_ value: Bool) {
        separate()
        bytes += (value ? "true" : "false").utf8
    }

    /// `key(name)` then `string(value)`.
    mutating func pair(_ name: String, _ value: String) {
        key(name)
        string(value)
    }

    /// The comma before a value that is not the first of its object or array.
    private mutating func separate() {
        if afterKey {
            afterKey = false
            return
        }
        guard let last = empty.indices.last else { return }
        if !empty[last] { bytes.append(UInt8(ascii: ",")) }
        empty[last] = false
    }

    /// `SiteRenderer.appendJSONString` writes backspace and form feed as `\u0008` and `\u000c`,
    /// Foundation as `\b` and `\f`: a string holding either is written by Foundation.
    private mutating func appendString(_ value: String) {
        func isFoundationEscaped(_ byte: UInt8) -> Bool { byte == 0x08 || byte == 0x0C }
        if value.utf8.withContiguousStorageIfAvailable({ $0.contains(where: isFoundationEscaped) }) ?? value.utf8.contains(where: isFoundationEscaped) {
            let json = (try? JSONSerialization.data(withJSONObject: [value], options: [])) ?? Data("[\"\"]".utf8)
            bytes += SiteRenderer.scriptSafe(json: json).utf8.dropFirst().dropLast()
            return
        }
        var value = value
        value.withUTF8 { SiteRenderer.appendJSONString($0, to: &bytes) }
    }
}
