import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The bytes of a build-cache file (or a copy of some), read in place: the records file is
/// mapped rather than read, so a rebuild neither copies its megabytes nor has the kernel find
/// fresh pages for them, and what a record keeps undecoded (its search text: half the file)
/// stays the file's pages instead of a copy. Reading and checksumming the 20 MB of the
/// 2,000-note benchmark's records took 13 to 17 ms of CPU in 512 KiB reads, 5 ms mapped.
///
/// A mapping stays valid while the file is renamed over or appended to, the only ways syllabus
/// changes its cache files (see `writeReplacing`, `RecordStore`); a file cut short while it is
/// mapped (any tool that writes a file in place, `cp` among them) would end the process on the
/// next read of the part cut off. So only a one-shot build, which holds the mapping for the
/// second it runs, maps the records; `serve` keeps them for hours and reads them into memory.
/// The bytes are never written.
final class StoredBytes: @unchecked Sendable {
    /// The bytes; valid until this object goes.
    let bytes: UnsafeBufferPointer<UInt8>
    private let mapped: Bool

    /// A copy of `bytes`.
    init(copying bytes: ArraySlice<UInt8>) {
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
        _ = buffer.initialize(fromContentsOf: bytes)
        self.bytes = UnsafeBufferPointer(buffer)
        mapped = false
    }

    /// The first `length` bytes of the file open as `descriptor`, mapped when `mapping` (read
    /// into memory otherwise, or where the system cannot map it); nil when they cannot be read.
    init?(descriptor: Int32, length: Int, mapping: Bool = true) {
        guard length > 0 else {
            (bytes, mapped) = (UnsafeBufferPointer(start: nil, count: 0), false)
            return
        }
        #if os(Linux)
        // Mapped at once: the caller reads every page (to check the records' checksums).
        let flags = MAP_PRIVATE | MAP_POPULATE
        #else
        let flags = MAP_PRIVATE
        #endif
        if mapping, let address = mmap(nil, length, PROT_READ, flags, descriptor, 0), address != MAP_FAILED {
            bytes = UnsafeBufferPointer(start: address.bindMemory(to: UInt8.self, capacity: length), count: length)
            mapped = true
            return
        }
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: length)
        guard readAll(descriptor, into: UnsafeMutableRawBufferPointer(buffer), at: 0) == length else {
            buffer.deallocate()
            return nil
        }
        (bytes, mapped) = (UnsafeBufferPointer(buffer), false)
    }

    /// The file at `path`, mapped when `mapping` (see `init(descriptor:length:mapping:)`); nil
    /// when it cannot be read.
    convenience init?(path: String, mapping: Bool = true) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        // A mapping outlives its descriptor.
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        self.init(descriptor: descriptor, length: Int(status.st_size), mapping: mapping)
    }

    deinit {
        if mapped {
            munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count)
        } else {
            bytes.deallocate()
        }
    }
}

/// A part of `StoredBytes`, which it keeps: what a decoded value holds of its file's bytes.
struct StoredSlice: Sendable {
    let storage: StoredBytes
    let range: Range<Int>

    /// Calls `body` with the bytes, which are valid until it returns.
    func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try withExtendedLifetime(storage) { try body(UnsafeBufferPointer(rebasing: storage.bytes[range])) }
    }
}
