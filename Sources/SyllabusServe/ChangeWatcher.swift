import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Watches folders and files and reports the paths that changed, in batches. On Linux it
/// uses inotify (every folder under the watched ones, new folders included); elsewhere it
/// compares the files' sizes and modification times every 200 ms.
final class ChangeWatcher: @unchecked Sendable {
    private let roots: [URL]
    private let onChange: @Sendable ([String]) -> Void

    /// `roots`: folders (watched with everything under them) and single files.
    init(roots: [URL], onChange: @escaping @Sendable ([String]) -> Void) {
        self.roots = roots.map(\.standardizedFileURL)
        self.onChange = onChange
    }

    /// Starts watching: every change from the moment it returns is reported, from a thread
    /// that watches until the process ends.
    func start() {
        #if os(Linux)
        inotifyFD = inotify_init1(Int32(IN_CLOEXEC))
        if inotifyFD >= 0 {
            watch(folders())
            Thread.detachNewThread { [self] in readInotify() }
            return
        }
        #endif
        snapshot = takeSnapshot()
        Thread.detachNewThread { [self] in poll() }
    }

    // Touched by `start`, then by the watching thread only.
    private var inotifyFD: Int32 = -1
    private var folderOfWatch: [Int32: String] = [:]
    private var snapshot: [String: [Double]] = [:]

    /// Every folder under the roots (a file root: its folder).
    private func folders() -> [String] {
        var result: [String] = []
        for root in roots {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue { result += Self.folders(under: root.path) } else { result.append(root.deletingLastPathComponent().path) }
        }
        return result
    }

    /// `folder` and every folder below it; links to folders are not followed (they could loop).
    private static func folders(under folder: String) -> [String] {
        var result = [folder]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
            let path = folder + "/" + name
            if let type = try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType, type == .typeDirectory {
                result += folders(under: path)
            }
        }
        return result
    }

    /// Whether a changed path is one of ours: under a folder root, or a file root itself.
    private func concerns(_ path: String) -> Bool {
        roots.contains { path == $0.path || path.hasPrefix($0.path + "/") }
    }

    #if os(Linux)
    /// Adds a watch for each of `folders` (re-adding one already watched keeps its watch).
    private func watch(_ folders: [String]) {
        let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_MODIFY | IN_ATTRIB)
        for folder in folders {
            let wd = inotify_add_watch(inotifyFD, folder, mask)
            if wd >= 0 { folderOfWatch[wd] = folder }
        }
    }

    /// How long a burst of events is gathered after its last event, in milliseconds, while a
    /// file is still open for writing or something was deleted or moved away: an editor that
    /// saves by renaming the old file away and writing a new one, or by writing a temporary
    /// file and renaming it over, does it all within this time, and a build in between would
    /// read a missing or half-written note.
    static let burstWaitMs: Int32 = 30
    /// The same once every file the burst wrote was closed and nothing went: a save that writes
    /// the file in place (open, write, close) is complete at its close, so the build starts
    /// almost at once instead of 30 ms later (a fifth of the save-to-page target); a change
    /// that follows within this time still joins the same build.
    static let settledWaitMs: Int32 = 2

    /// Whether a path is whole after an event with `mask`, given whether it was after the
    /// previous one (nil: no previous one in this burst). Closed after writing, moved in or
    /// only its attributes changed: whole. Created, written or a folder made: being written.
    /// Deleted or moved away: maybe the first step of a save that writes it anew.
    static func settles(_ mask: UInt32, before: Bool?) -> Bool {
        if mask & UInt32(IN_ISDIR) != 0 { return mask & UInt32(IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE) == 0 && before ?? true }
        if mask & UInt32(IN_CLOSE_WRITE | IN_MOVED_TO) != 0 { return true }
        if mask & UInt32(IN_CREATE | IN_MODIFY | IN_DELETE | IN_MOVED_FROM) != 0 { return false }
        return before ?? true
    }

    private func readInotify() {
        let size = 64 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
        defer { buffer.deallocate() }
        while true {
            var changed: [String] = []
            // Folders made or moved in: watched (with what they hold) once the burst is read.
            // Only those are walked: walking every folder after each save was a noticeable
            // part of a rebuild's time in the profile of `serve` on a large study set.
            var newFolders: [String] = []
            // Whether each path's last event left it whole (see `Self.settles`).
            var whole: [String: Bool] = [:]
            // The first read waits for an event; the ones after gather what an editor's save
            // does in a burst until no event came for a while: `settledWaitMs` once every file
            // written was closed and nothing was deleted or moved away, `burstWaitMs` otherwise.
            var pending = pollfd(fd: inotifyFD, events: Int16(POLLIN), revents: 0)
            var waitMs: Int32 = -1
            while Glibc.poll(&pending, 1, waitMs) > 0 {
                let count = read(inotifyFD, buffer, size)
                guard count > 0 else { break }
                var offset = 0
                while offset < count {
                    let event = buffer.advanced(by: offset).assumingMemoryBound(to: inotify_event.self)
                    let length = Int(event.pointee.len)
                    var name = ""
                    if length > 0 {
                        name = String(cString: buffer.advanced(by: offset + MemoryLayout<inotify_event>.size).assumingMemoryBound(to: CChar.self))
                    }
                    let mask = event.pointee.mask
                    if mask & UInt32(IN_IGNORED) != 0 {
                        // The folder went (or its watch was removed): its number may be reused.
                        folderOfWatch[event.pointee.wd] = nil
                    } else if let folder = folderOfWatch[event.pointee.wd] {
                        let path = name.isEmpty ? folder : folder + "/" + name
                        if concerns(path) {
                            changed.append(path)
                            whole[path] = Self.settles(mask, before: whole[path])
                        }
                        if mask & UInt32(IN_ISDIR) != 0, mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 { newFolders.append(path) }
                    }
                    offset += MemoryLayout<inotify_event>.size + length
                }
                waitMs = whole.values.allSatisfy { $0 } ? Self.settledWaitMs : Self.burstWaitMs
            }
            for folder in newFolders {
                // Files written into it before its watch existed are changes too.
                let found = Self.folders(under: folder)
                watch(found)
                for inner in found {
                    for name in (try? FileManager.default.contentsOfDirectory(atPath: inner)) ?? [] where concerns(inner + "/" + name) {
                        changed.append(inner + "/" + name)
                    }
                }
            }
            if !changed.isEmpty { onChange(Array(Set(changed)).sorted()) }
        }
    }
    #endif

    /// A snapshot of every file's size and time.
    private func takeSnapshot() -> [String: [Double]] {
        var files: [String: [Double]] = [:]
        for folder in folders() {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
                let path = folder + "/" + name
                guard concerns(path), let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { continue }
                files[path] = [Double((attributes[.size] as? Int) ?? 0), (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0]
            }
        }
        return files
    }

    /// The fallback: snapshots compared every 200 ms.
    private func poll() {
        while true {
            Thread.sleep(forTimeInterval: 0.2)
            let now = takeSnapshot()
            let changed = Set(snapshot.keys).union(now.keys).filter { snapshot[$0] != now[$0] }
            snapshot = now
            if !changed.isEmpty { onChange(changed.sorted()) }
        }
    }
}
