import Foundation
#if os(Linux)
import Glibc
#endif

/// Giving the memory a process freed back to the system.
public enum FreedMemory {
    /// Releases the free pages of every malloc arena: glibc keeps what threads free for their
    /// next allocations, resident, and serves a large allocation (megabytes) from new pages
    /// instead, so without this a build's resident size is what it holds plus what it freed
    /// so far. `malloc_trim(0)` (glibc 2.8 and later) walks the arenas once, a few
    /// milliseconds; a page released and used again costs a page fault. Elsewhere the
    /// allocator returns memory itself, and this does nothing.
    public static func giveBack() {
        #if os(Linux)
        _ = mallocTrim?(0)
        #endif
    }

    #if os(Linux)
    /// glibc's `malloc_trim`, looked up at run time: Swift's Glibc module does not include
    /// `malloc.h`.
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
    }()
    #endif
}
