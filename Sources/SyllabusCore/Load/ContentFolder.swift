import Foundation

/// The content folder a command was given, checked before anything reads it: a mistyped
/// `--content` would otherwise show up as a missing `services.yml` inside a folder that is
/// not there.
public enum ContentFolder {
    /// A content folder that cannot be used.
    public struct Missing: Error, CustomStringConvertible, Equatable {
        /// The folder as the user typed it.
        let path: String
        /// A folder next to it with a name at most two edits away, if there is one.
        let suggestion: String?

        /// The one-line message the CLI prints after `error: `, with the suggestion and what to do.
        public var description: String {
            "content folder '\(path)' not found" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
                + " (name it with --content, or start a study set with syllabus init)"
        }
    }

    /// Checks that `path` (as typed, relative to the working directory or absolute) is a folder.
    /// - Throws: `Missing`, naming a sibling folder whose name is close (edit distance ≤ 2).
    public static func check(_ path: String) throws {
        let url = URL(fileURLWithPath: path)
        var isFolder: ObjCBool = false
        guard !FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) || !isFolder.boolValue else { return }
        let parent = url.deletingLastPathComponent()
        let siblings = ((try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []).filter { name in
            var folder: ObjCBool = false
            return FileManager.default.fileExists(atPath: parent.appendingPathComponent(name).path, isDirectory: &folder) && folder.boolValue
        }.sorted()
        let close = Suggestion.closest(to: url.lastPathComponent, among: siblings)
        // The suggestion keeps the folder part the user typed, so it can be pasted back.
        let typedFolder = (path as NSString).deletingLastPathComponent
        throw Missing(path: path, suggestion: close.map { typedFolder.isEmpty ? $0 : typedFolder + "/" + $0 })
    }
}
