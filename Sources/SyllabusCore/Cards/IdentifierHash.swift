import Foundation

/// The hash behind identifiers that outputs publish and learners keep: Anki note GUIDs and note
/// ids, Anki media file names, the EPUB's `dc:identifier` and date. These must come out the same
/// in every run, on every platform and in every future version (Anki matches a re-import to the
/// learner's notes by GUID), so the algorithm is fixed: 64-bit FNV-1a (Fowler–Noll–Vo, offset
/// basis `0xcbf29ce484222325`, prime `0x100000001b3`, as published at isthe.com/chongo/tech/comp/fnv
/// and in draft-eastlake-fnv). Swift's `Hasher` is seeded per process and would not do.
/// Not for security. The build cache's keys, which may change between versions, use
/// `CacheKeyHasher` instead.
enum IdentifierHash {
    /// 64-bit FNV-1a of `bytes`, starting from `seed` (the FNV offset basis unless given).
    static func fnv1a64(_ bytes: some Sequence<UInt8>, seed: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
        var hash = seed
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }

    /// 64-bit FNV-1a of `text`'s UTF-8 bytes.
    static func fnv1a64(_ text: String) -> UInt64 { fnv1a64(text.utf8) }

    /// 128 bits as 32 lowercase hex digits: FNV-1a of `bytes`, then FNV-1a again seeded with the
    /// first result (the high half first), for names and identifiers that want more than 64 bits.
    static func hex128(_ bytes: some Collection<UInt8>) -> String {
        let low = fnv1a64(bytes)
        let high = fnv1a64(bytes, seed: low ^ 0x9e37_79b9_7f4a_7c15)
        // Written digit by digit, as `%016llx%016llx` would: Foundation's formatting cost more
        // than the hashing.
        var digits = [UInt8](repeating: 0, count: 32)
        for (half, value) in [high, low].enumerated() {
            for place in 0..<16 { digits[half * 16 + place] = hexDigits[Int(value >> UInt64(60 - 4 * place) & 0xF)] }
        }
        return String(decoding: digits, as: UTF8.self)
    }

    /// Lowercase hex digits, as ASCII bytes.
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// The base-62 digits of `guid`, in value order, as ASCII bytes.
    private static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// An Anki GUID for `text`: `s` followed by FNV-1a's 64 bits in base 62 (1 to 11 digits), so
    /// it holds no character a TSV or Anki treats specially.
    static func guid(_ text: String) -> String {
        var value = fnv1a64(text)
        // Written as bytes from the last digit back: a build keys every question's GUID, and
        // an array of Characters made into a string for each took longer than the hash.
        var bytes = [UInt8](repeating: 0, count: 12)
        var start = bytes.count
        repeat {
            start -= 1
            bytes[start] = alphabet[Int(value % 62)]
            value /= 62
        } while value > 0
        start -= 1
        bytes[start] = UInt8(ascii: "s")
        return String(decoding: bytes[start...], as: UTF8.self)
    }
}
