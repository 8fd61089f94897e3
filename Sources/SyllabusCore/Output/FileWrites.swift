import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Creates or truncates the file at `path` and writes all of `bytes`; false (with `errno`
/// set) when it cannot. Plain POSIX calls: this runs for every file of every build.
func writeFile(_ path: String, _ bytes: UnsafeRawBufferPointer) -> Bool {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard descriptor >= 0 else { return false }
    defer { close(descriptor) }
    var offset = 0
    while offset < bytes.count {
        let count = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
        guard count > 0 else { return false }
        offset += count
    }
    return true
}

/// Writes `bytes` to `<name>.next` beside `url` and swaps the two files' names: readers see
/// the old file or the new one, and no inode is freed or made (on ext4 without a journal,
/// making a file just after others were deleted is slow). Not synced to disk: the cache and
/// the fingerprint check themselves, and a torn one after a crash only means a full build.
func writeReplacing(_ url: URL, _ bytes: [UInt8]) throws {
    let next = url.deletingLastPathComponent().appendingPathComponent(url.lastPathComponent + ".next").path
    guard bytes.withUnsafeBytes({ writeFile(next, $0) }) else {
        throw OutputWriter.Failure.io("cannot write \(next): \(String(cString: strerror(errno)))")
    }
    if !renameExchange(next, url.path), rename(next, url.path) != 0 {
        throw OutputWriter.Failure.io("cannot write \(url.path): \(String(cString: strerror(errno)))")
    }
}
