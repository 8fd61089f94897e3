import CLibDeflate
import Foundation

/// Raw deflate (RFC 1951: no zlib or gzip wrapper) of a whole buffer in one call, through
/// libdeflate, for the files renderers compress: the EPUB's entries (`ZipEntry`), the search
/// index's parts (`SearchIndex`) and the Anki packages' zip entries. libdeflate's levels run
/// from 0 (stored blocks) to 12; for the same data and level it gives the same bytes.
enum Deflate {
    /// libdeflate could not make a compressor (out of memory) or fill a buffer of its bound.
    struct Failure: Error, Equatable {}

    /// `bytes` deflated at `level` (0-12), in a buffer of exactly the deflated size: a book's
    /// entries are all held until it is zipped, and libdeflate needs room for its bound (a
    /// little more than the input, 5-10x what it gives for text) to compress in one call.
    /// The compressor is taken from `compressors` and given back after the call, so calls on
    /// several threads share none.
    /// - Throws: `Failure` when libdeflate fails.
    static func compress(_ bytes: UnsafeRawBufferPointer, level: Int32) throws -> Data {
        guard let compressor = compressors.take(level: level) else { throw Failure() }
        defer { compressors.giveBack(compressor, level: level) }
        let bound = libdeflate_deflate_compress_bound(compressor, bytes.count)
        guard let buffer = malloc(bound) else { throw Failure() }
        let count = libdeflate_deflate_compress(compressor, bytes.baseAddress, bytes.count, buffer, bound)
        // Shrinking in place (glibc splits the block, or remaps a large one) instead of copying.
        guard count > 0, let fitted = realloc(buffer, count) else {
            free(buffer)
            throw Failure()
        }
        return Data(bytesNoCopy: fitted, count: count, deallocator: .free)
    }

    /// The compressors not in use, kept for the next call at their level: a compressor is 200
    /// KB (level 1) to 650 KB (levels 2-9), and made for each of a book's 2,000 entries its
    /// allocation and the first touch of its pages were about 2 % of a full build's CPU in
    /// the profile. libdeflate keeps nothing of one call for the next (each call starts its
    /// match finder afresh), so a kept compressor gives the bytes a new one gives. At most as
    /// many are kept as ever ran at once (a few per level: one per core compressing).
    private static let compressors = Compressors()

    private final class Compressors: @unchecked Sendable {
        private let lock = NSLock()
        private var idle: [Int32: [OpaquePointer]] = [:]

        /// A compressor for `level`, kept or new; nil when libdeflate cannot make one.
        func take(level: Int32) -> OpaquePointer? {
            lock.withLock { idle[level]?.popLast() } ?? libdeflate_alloc_compressor(level)
        }

        func giveBack(_ compressor: OpaquePointer, level: Int32) {
            lock.withLock { idle[level, default: []].append(compressor) }
        }
    }
}
