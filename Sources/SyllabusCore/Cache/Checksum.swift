import CLibDeflate
import Foundation

/// The checksum that tells a damaged build-cache file (a flipped bit, a block of a disk gone
/// bad, bytes written over by hand) from the bytes that were written: libdeflate's CRC-32 (ISO 3309,
/// the ZIP and gzip checksum), which notices every burst of damage up to 32 bits long and other
/// damage but for a chance of about 2^-32. Not a key: `CacheKeyHasher` makes the keys that
/// decide what is made again; this only has to notice accidents, fast, since every rebuild
/// checks the records it reads (about 20 MB for the 2,000-note benchmark corpus, about 3 ms).
enum Checksum {
    /// The CRC-32 of `bytes`, in the low 32 bits.
    static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        UInt64(libdeflate_crc32(0, bytes.baseAddress, bytes.count))
    }

    /// The CRC-32 of `bytes`, in the low 32 bits.
    static func of(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.withUnsafeBytes { of($0) }
    }
}
