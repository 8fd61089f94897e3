import Foundation

/// A 64-bit checksum that tells a damaged build-cache file (a flipped bit, a block of a disk
/// gone bad, bytes written over by hand) from the bytes that were written. Not a key:
/// `CacheKeyHasher` makes the keys that decide what is made again; this only has to notice
/// accidents, and fast, since every rebuild checks the records it reads (about 20 MB for the
/// 2,000-note benchmark corpus).
///
/// Our own construction: four lanes, each taking every fourth 8-byte word, each step
/// `lane = rotate((lane ^ word) * odd constant)`; then the lanes and the length are folded
/// and the result goes through SplitMix64's finalizer. Every step is invertible for a given
/// word, so bytes that differ from the written ones in a single 8-byte word always give
/// another checksum; other damage goes unnoticed with a chance of about 2^-64. The four
/// lanes let the processor work on four multiplications at once (the one-lane chain of
/// `CacheKeyHasher` runs at about a third of the speed).
enum Checksum {
    /// The checksum of `bytes`.
    static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var lanes: (UInt64, UInt64, UInt64, UInt64) = (0x243f_6a88_85a3_08d3, 0x1319_8a2e_0370_7344, 0xa409_3822_299f_31d0, 0x082e_fa98_ec4e_6c89)
        let count = bytes.count
        var offset = 0
        while offset + 32 <= count {
            lanes.0 = step(lanes.0, bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            lanes.1 = step(lanes.1, bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
            lanes.2 = step(lanes.2, bytes.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self))
            lanes.3 = step(lanes.3, bytes.loadUnaligned(fromByteOffset: offset + 24, as: UInt64.self))
            offset += 32
        }
        // The last 0 to 31 bytes, as words padded with zeros (the length, folded in below,
        // tells a padded end from one with zero bytes).
        var tail: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &tail) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<count])) }
        lanes = (step(lanes.0, tail.0), step(lanes.1, tail.1), step(lanes.2, tail.2), step(lanes.3, tail.3))
        var folded = UInt64(count)
        for lane in [lanes.0, lanes.1, lanes.2, lanes.3] { folded = (folded ^ finalized(lane)) &* 0x9e37_79b9_7f4a_7c15 }
        return finalized(folded)
    }

    /// The checksum of `bytes`.
    static func of(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.withUnsafeBytes { of($0) }
    }

    @inline(__always)
    private static func step(_ lane: UInt64, _ word: UInt64) -> UInt64 {
        let mixed = (lane ^ word) &* 0xbf58_476d_1ce4_e5b9
        return (mixed << 31) | (mixed >> 33)
    }

    /// SplitMix64's finalizer (Steele, Lea and Flood, "Fast splittable pseudorandom number
    /// generators", 2014): every output bit depends on every input bit.
    @inline(__always)
    private static func finalized(_ value: UInt64) -> UInt64 {
        var value = value
        value = (value ^ (value >> 30)) &* 0xbf58_476d_1ce4_e5b9
        value = (value ^ (value >> 27)) &* 0x94d0_49bb_1331_11eb
        return value ^ (value >> 31)
    }
}
