import Foundation

/// A service named in a text: where (UTF-8 offsets) and which service.
struct Mention: Equatable, Sendable {
    /// Byte offsets into the text's UTF-8, half-open.
    var range: Range<Int>
    /// The `Service.id` of the name found.
    var serviceID: String
    /// Which of the matcher's names was found (its position among them): two mentions with the
    /// same one hold the same text.
    var name: Int
}

/// Finds every service name, short name and alias in a text in one pass: an Aho–Corasick
/// automaton over UTF-8 bytes, built once from the catalog. Matches are case-sensitive,
/// whole words, leftmost and then longest ("Amazon S3 Glacier" before "Amazon S3").
final class MentionMatcher: Sendable {
    private let transitions: [Int32]          // state * 256 + byte -> state
    private let outputs: [[Int32]]            // state -> patterns ending there
    private let ends: [Bool]                  // state -> whether any pattern ends there
    private let patternLengths: [Int]
    private let patternServices: [String]
    /// Every name the matcher finds, by its position among them (`Mention.name`).
    let names: [String]

    /// Builds the automaton from every name of `services` (`Service.names`).
    init(services: [Service]) {
        var patterns: [([UInt8], String)] = []
        for service in services {
            for name in service.names { patterns.append((Array(name.utf8), service.id)) }
        }
        patternLengths = patterns.map(\.0.count)
        patternServices = patterns.map(\.1)
        names = services.flatMap(\.names)

        // Trie.
        var children: [[UInt8: Int32]] = [[:]]
        var outs: [[Int32]] = [[]]
        for (index, (bytes, _)) in patterns.enumerated() {
            var state: Int32 = 0
            for byte in bytes {
                if let next = children[Int(state)][byte] {
                    state = next
                } else {
                    children.append([:])
                    outs.append([])
                    let next = Int32(children.count - 1)
                    children[Int(state)][byte] = next
                    state = next
                }
            }
            outs[Int(state)].append(Int32(index))
        }
        // Breadth-first failure links, folded into a full transition table. A state's row is
        // its failure state's row (made before it: that state is shallower) with the state's
        // own children written over it, so each state's 256 entries are one copy rather than
        // 256 lookups in its children (which made this a tenth of a one-note rebuild's load).
        var table = [Int32](repeating: 0, count: children.count * 256)
        var fail = [Int32](repeating: 0, count: children.count)
        var queue: [Int32] = []
        for (byte, next) in children[0] {
            table[Int(byte)] = next
            queue.append(next)
        }
        var head = 0
        while head < queue.count {
            let state = Int(queue[head]); head += 1
            let failure = Int(fail[state])
            outs[state] += outs[failure]
            table.withUnsafeMutableBufferPointer { table in
                let row = table.baseAddress! + state * 256
                row.update(from: table.baseAddress! + failure * 256, count: 256)
            }
            for (byte, next) in children[state] {
                fail[Int(next)] = table[failure * 256 + Int(byte)]
                table[state * 256 + Int(byte)] = next
                queue.append(next)
            }
        }
        transitions = table
        outputs = outs
        ends = outs.map { !$0.isEmpty }
    }

    /// Every mention in `text`, in text order, none overlapping.
    func mentions(in text: String) -> [Mention] {
        var text = text
        return text.withUTF8 { mentions(in: $0) }
    }

    func mentions(in bytes: UnsafeBufferPointer<UInt8>) -> [Mention] {
        var candidates: [(start: Int, length: Int, pattern: Int32)] = []
        var state: Int32 = 0
        // Every text node of every note passes here byte by byte: the tables are read without
        // bounds checks, and a state's patterns only where one ends. From the start state, a
        // byte no name starts with (most of prose) leads back to it: the loop goes on without
        // waiting for the table's answer, where each step would otherwise wait for the last.
        transitions.withUnsafeBufferPointer { transitions in
            ends.withUnsafeBufferPointer { ends in
                for index in bytes.indices {
                    let byte = Int(bytes[index])
                    if state == 0, transitions[byte] == 0 { continue }
                    state = transitions[Int(state) &* 256 &+ byte]
                    guard ends[Int(state)] else { continue }
                    for pattern in outputs[Int(state)] {
                        let length = patternLengths[Int(pattern)]
                        let start = index + 1 - length
                        if isBoundary(bytes, before: start), isBoundary(bytes, after: index + 1) {
                            candidates.append((start, length, pattern))
                        }
                    }
                }
            }
        }
        guard !candidates.isEmpty else { return [] }
        candidates.sort { $0.start != $1.start ? $0.start < $1.start : $0.length > $1.length }
        var result: [Mention] = []
        var taken = 0
        for candidate in candidates where candidate.start >= taken {
            result.append(Mention(range: candidate.start..<(candidate.start + candidate.length),
                                  serviceID: patternServices[Int(candidate.pattern)], name: Int(candidate.pattern)))
            taken = candidate.start + candidate.length
        }
        return result
    }

    /// Letters, digits and any non-ASCII byte continue a word.
    private static func isWordByte(_ byte: UInt8) -> Bool {
        byte >= 0x80 || (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7a)
    }

    private func isBoundary(_ bytes: UnsafeBufferPointer<UInt8>, before index: Int) -> Bool {
        index == 0 || !Self.isWordByte(bytes[index - 1])
    }

    private func isBoundary(_ bytes: UnsafeBufferPointer<UInt8>, after index: Int) -> Bool {
        index >= bytes.count || !Self.isWordByte(bytes[index])
    }
}
