import Foundation

/// "Did you mean …?" for a name the user mistyped: the closest known name by edit distance.
public enum Suggestion {
    /// The name among `candidates` closest to `typed` (case-insensitively), when at most
    /// `maxDistance` edits away and not `typed` itself; the first such name on a tie.
    public static func closest(to typed: String, among candidates: [String], maxDistance: Int = 2) -> String? {
        let lower = typed.lowercased()
        let best = candidates.filter { $0 != typed }.min { distance($0.lowercased(), lower) < distance($1.lowercased(), lower) }
        return best.flatMap { distance($0.lowercased(), lower) <= maxDistance ? $0 : nil }
    }

    /// What a diagnostic says after an unknown `name`: "did you mean 'title'?" for the closest
    /// of `known` (see `closest`), else the list of them ("known: a, b, c").
    public static func hint(for name: String, among known: [String]) -> String {
        closest(to: name, among: known).map { "did you mean '\($0)'?" } ?? "known: \(known.joined(separator: ", "))"
    }

    /// Levenshtein edit distance (insertions, deletions, substitutions, one character each).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return a.isEmpty ? b.count : row[b.count]
    }
}
