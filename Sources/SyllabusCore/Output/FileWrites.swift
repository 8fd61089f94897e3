import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes all of `bytes` to an open file.
func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
    var offset = 0
    while offset < bytes.count {
        let count = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
        guard count > 0 else { return false }
        offset += count
    }
    return true
}

/// Reads from the open file at `offset` (`pread`: its position is left as it was) until
/// `buffer` is full or the file ends; how many bytes it read (fewer than `buffer.count` only
/// when the file ended first), nil when a read failed (`errno` says why).
func readAll(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int) -> Int? {
    var done = 0
    while done < buffer.count {
        let count = pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
        if count < 0 && errno == EINTR { continue }
        guard count >= 0 else { return nil }
        guard count > 0 else { break }
        done += count
    }
    return done
}

/// The bytes of the file at `path`, read straight into one array (`Data` and a copy into an
/// array touched twice the memory, and fresh pages are what a rebuild pays most for); nil
/// when it cannot be read whole.
func readWholeFile(_ path: String) -> [UInt8]? {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else { return nil }
    let size = Int(status.st_size)
    var complete = true
    let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
        complete = readAll(descriptor, into: UnsafeMutableRawBufferPointer(buffer), at: 0) == size
        count = complete ? size : 0
    }
    return complete ? bytes : nil
}

/// Writes the chunks in order, gathering small ones into larger writes.
private func writeAll(_ descriptor: Int32, _ chunks: [ArraySlice<UInt8>]) -> Bool {
    var pending: [UInt8] = []
    pending.reserveCapacity(1 << 18)
    for chunk in chunks {
        if pending.count + chunk.count > pending.capacity {
            guard pending.withUnsafeBytes({ writeAll(descriptor, $0) }) else { return false }
            pending.removeAll(keepingCapacity: true)
        }
        if chunk.count >= pending.capacity {
            guard chunk.withUnsafeBytes({ writeAll(descriptor, $0) }) else { return false }
        } else {
            pending.append(contentsOf: chunk)
        }
    }
    return pending.withUnsafeBytes { writeAll(descriptor, $0) }
}

/// Writes `bytes` to `<name>.next` beside `url` and renames it over `url`: readers see the
/// old file or the new one, and only a killed build leaves a `.next` file (the next build
/// removes it). Not synced to disk: the cache and the fingerprint check themselves, and a
/// torn one after a crash only means a full build.
/// - Throws: `FileWriteFailure` naming the file that could not be written or renamed.
func writeReplacing(_ url: URL, _ bytes: [UInt8]) throws {
    try writeReplacing(url, chunks: [bytes[...]])
}

/// `writeReplacing` for contents in pieces, written one after another (no copy into one
/// buffer: the build cache is megabytes, written when the build's memory is at its peak).
func writeReplacing(_ url: URL, chunks: [ArraySlice<UInt8>]) throws {
    let next = url.deletingLastPathComponent().appendingPathComponent(url.lastPathComponent + ".next").path
    let descriptor = open(next, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    let written = descriptor >= 0 && writeAll(descriptor, chunks)
    let failure = errno
    if descriptor >= 0 { close(descriptor) }
    guard written else { throw FileWriteFailure(path: next, reason: String(cString: strerror(failure))) }
    if rename(next, url.path) != 0 { throw FileWriteFailure(path: url.path, reason: String(cString: strerror(errno))) }
}

/// A file `writeReplacing` could not write.
struct FileWriteFailure: Error, CustomStringConvertible {
    /// The file (or its temporary sibling) that could not be written or renamed.
    let path: String
    /// What the system said (`strerror`).
    let reason: String

    /// `cannot write PATH: REASON`, as the CLI prints it.
    var description: String { "cannot write \(path): \(reason)" }
}
