import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Folder listings with `readdir` and the entry types it returns, because FileManager's
/// enumerator stats and bridges every entry and showed in the profile of a rebuild.
enum DirectoryWalker {
    /// What a folder entry is. A link counts as the file it points to; a link to a folder is
    /// `other`, never followed (it could loop).
    enum Kind { case file, folder, other }

    /// The entries of one folder (without `.` and `..`), in `readdir` order.
    static func entries(of folder: String) -> [(name: String, kind: Kind)] {
        typedEntries(of: folder).map { ($0.name, kind(of: folder + "/" + $0.name, type: $0.type)) }
    }

    /// The entries of one folder with the type `readdir` gives (`DT_LNK` for a link,
    /// `DT_UNKNOWN` on file systems that give none).
    static func typedEntries(of folder: String) -> [(name: String, type: Int32)] {
        guard let directory = opendir(folder) else { return [] }
        defer { closedir(directory) }
        var entries: [(name: String, type: Int32)] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            guard name != ".", name != ".." else { continue }
            entries.append((name, Int32(entry.pointee.d_type)))
        }
        return entries
    }

    /// Relative paths of the regular files below a folder, sorted.
    static func files(under root: String, includeHidden: Bool = true) -> [String] {
        var paths: [String] = []
        walk(root.hasSuffix("/") ? String(root.dropLast()) : root, prefix: "", includeHidden: includeHidden, into: &paths)
        return paths.sorted()
    }

    private static func walk(_ folder: String, prefix: String, includeHidden: Bool, into paths: inout [String]) {
        for (name, kind) in entries(of: folder) where includeHidden || !name.hasPrefix(".") {
            switch kind {
            case .folder: walk(folder + "/" + name, prefix: prefix + name + "/", includeHidden: includeHidden, into: &paths)
            case .file: paths.append(prefix + name)
            case .other: break
            }
        }
    }

    private static func kind(of path: String, type: Int32) -> Kind {
        switch type {
        case Int32(DT_DIR): return .folder
        case Int32(DT_REG): return .file
        case Int32(DT_UNKNOWN), Int32(DT_LNK):
            // Some file systems give no type; a link is what it points to.
            var status = stat()
            guard stat(path, &status) == 0 else { return .other }
            switch status.st_mode & S_IFMT {
            case S_IFREG: return .file
            case S_IFDIR where type == Int32(DT_UNKNOWN): return .folder
            default: return .other
            }
        default: return .other
        }
    }
}
