import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Relative paths of the regular files below a folder, sorted: `readdir` and the entry
/// types it returns, because FileManager's enumerator stats and bridges every entry and
/// showed in the profile of a rebuild.
enum DirectoryWalker {
    static func files(under root: String, includeHidden: Bool = true) -> [String] {
        var paths: [String] = []
        walk(root.hasSuffix("/") ? String(root.dropLast()) : root, prefix: "", includeHidden: includeHidden, into: &paths)
        return paths.sorted()
    }

    private static func walk(_ folder: String, prefix: String, includeHidden: Bool, into paths: inout [String]) {
        guard let directory = opendir(folder) else { return }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            guard name != ".", name != "..", includeHidden || !name.hasPrefix(".") else { continue }
            let full = folder + "/" + name
            var type = Int32(entry.pointee.d_type)
            if type == Int32(DT_UNKNOWN) || type == Int32(DT_LNK) {
                // Some file systems give no type. A link counts as the file it points to; links
                // to folders are not followed (they could loop).
                var status = stat()
                guard stat(full, &status) == 0 else { continue }
                let isDirectory = (status.st_mode & S_IFMT) == S_IFDIR
                type = isDirectory && type == Int32(DT_UNKNOWN) ? Int32(DT_DIR) : (status.st_mode & S_IFMT) == S_IFREG ? Int32(DT_REG) : 0
            }
            if type == Int32(DT_DIR) {
                walk(full, prefix: prefix + name + "/", includeHidden: includeHidden, into: &paths)
            } else if type == Int32(DT_REG) {
                paths.append(prefix + name)
            }
        }
    }
}
