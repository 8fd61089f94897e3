import Foundation

/// A generated file, with its path relative to the output folder (`site/index.html`).
public struct OutputFile: Sendable {
    public var path: String
    public var contents: Data

    public init(path: String, contents: Data) {
        self.path = path
        self.contents = contents
    }

    public init(path: String, text: String) {
        self.init(path: path, contents: Data(text.utf8))
    }
}

/// A renderer turns the linked study set into files. Renderers are peers: each reads the same
/// model, none reads another's output, and adding an output means adding one.
public protocol Renderer: Sendable {
    /// The folder of the output folder this renderer owns (`site`, `anki`…).
    var folder: String { get }
    func render(_ set: LinkedStudySet, diagnostics: DiagnosticLog) throws -> [OutputFile]
}

/// Runs `body` for each index on all cores; results keep their order.
func parallelMap<T: Sendable>(_ count: Int, _ body: (Int) -> T) -> [T] {
    let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
    results.initialize(repeating: nil)
    defer { results.deallocate() }
    DispatchQueue.concurrentPerform(iterations: count) { index in
        results[index] = body(index)
    }
    return results.map { $0! }
}
