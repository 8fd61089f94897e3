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
    /// A compressor is made per call (some hundred kilobytes, under 5 % of the time of a
    /// chapter's compression), so calls on several threads share nothing.
    /// - Throws: `Failure` when libdeflate fails.
    static func compress(_ bytes: UnsafeRawBufferPointer, level: Int32) throws -> Data {
        guard let compressor = libdeflate_alloc_compressor(level) else { throw Failure() }
        defer { libdeflate_free_compressor(compressor) }
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
}
