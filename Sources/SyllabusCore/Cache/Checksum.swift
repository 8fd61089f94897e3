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

    /// Ends the bytes `writer` holds with their checksum, eight bytes lowest first: a file
    /// that checks itself (the build cache's index, the search index's state), read back with
    /// `checkedLength(of:)`.
    static func seal(_ writer: inout ByteWriter) {
        let checksum = of(writer.bytes[...])
        writer.raw(stride(from: 0, to: 64, by: 8).map { UInt8(truncatingIfNeeded: checksum >> UInt64($0)) }[...])
    }

    /// The eight bytes `seal` would end `chunks`, one after another, with: for a file written
    /// in pieces (see `writeReplacing(_:chunks:)`), never put together in memory.
    static func seal(_ chunks: [ArraySlice<UInt8>]) -> [UInt8] {
        let checksum = chunks.reduce(UInt64(0)) { crc, chunk in
            chunk.withUnsafeBytes { UInt64(libdeflate_crc32(UInt32(crc), $0.baseAddress, $0.count)) }
        }
        return stride(from: 0, to: 64, by: 8).map { UInt8(truncatingIfNeeded: checksum >> UInt64($0)) }
    }

    /// How many of `bytes` come before the checksum `seal` ended them with; nil when they do
    /// not end with the checksum of those bytes (the file was cut short or damaged).
    static func checkedLength(of bytes: UnsafeRawBufferPointer) -> Int? {
        guard bytes.count >= 8 else { return nil }
        let length = bytes.count - 8
        let recorded = bytes[length...].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return of(UnsafeRawBufferPointer(rebasing: bytes[..<length])) == recorded ? length : nil
    }
}
