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

    /// Has malloc serve blocks of up to 32 MiB from its heaps, and keep them there when freed
    /// for the next ones, instead of mapping fresh pages for each such block and unmapping
    /// them when it is freed: glibc maps every block of 128 KiB or more on its own, for good
    /// once a process sets its top pad (as `syllabus build` does), and every page of such a
    /// block costs a page fault when first written. Blocks kept in the heaps raise the peak of
    /// a build that holds much at once (a full build's by 5 to 25 MiB), so the build puts the
    /// default back (`mapLargeBlocks`) before rendering when it makes many files. glibc only;
    /// elsewhere it does nothing.
    public static func keepLargeBlocks() {
        setMmapThreshold(32 << 20)
    }

    /// Puts back glibc's default: every block of 128 KiB or more mapped on its own.
    static func mapLargeBlocks() {
        setMmapThreshold(128 << 10)
    }

    private static func setMmapThreshold(_ bytes: Int32) {
        #if os(Linux)
        let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD in <malloc.h>; at most 32 MiB on 64-bit systems
        _ = mallopt?(mmapThreshold, bytes)
        #endif
    }

    #if os(Linux)
    /// glibc's `mallopt`, looked up at run time as `malloc_trim` is.
    private static let mallopt: (@convention(c) (Int32, Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
    }()

    /// glibc's `malloc_trim`, looked up at run time: Swift's Glibc module does not include
    /// `malloc.h`.
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
    }()
    #endif
}
