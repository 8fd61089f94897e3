import Foundation

/// FNV-1a hashing: stable across runs and platforms (Swift's `Hasher` is seeded per process),
/// for Anki GUIDs and the build cache's content keys. Not for security.
public enum StableHash {
    public static func fnv1a64(_ bytes: some Sequence<UInt8>, seed: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
        var hash = seed
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }

    public static func fnv1a64(_ text: String) -> UInt64 { fnv1a64(text.utf8) }

    /// 128 bits as 32 hex digits, for cache keys.
    public static func hex128(_ bytes: some Collection<UInt8>) -> String {
        let low = fnv1a64(bytes)
        let high = fnv1a64(bytes, seed: low ^ 0x9e37_79b9_7f4a_7c15)
        return String(format: "%016llx%016llx", high, low)
    }

    static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

    /// An Anki GUID: 64 bits in base 62, so it holds no character a TSV or Anki treats specially.
    public static func guid(_ text: String) -> String {
        var value = fnv1a64(text)
        var digits: [Character] = []
        repeat {
            digits.append(alphabet[Int(value % 62)])
            value /= 62
        } while value > 0
        return "s" + String(digits.reversed())
    }
}
