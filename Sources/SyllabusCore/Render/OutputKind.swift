import Foundation

/// One output Syllabus can build: the name that `outputs:` in `syllabus.yml` uses for it and
/// how to make its renderer. Each renderer's folder under `Render/` declares its own kind (an
/// `extension OutputKind` beside the renderer); `all` lists them.
public struct OutputKind: Hashable, Sendable, CustomStringConvertible {
    /// The name in `outputs:` (`site`, `anki`…), which is not always the renderer's folder.
    let name: String
    /// Makes the renderer for one build.
    /// - Throws: what the renderer's `init` throws (`TemplateSet.Failure` for a missing template).
    let makeRenderer: @Sendable (RendererContext) throws -> any Renderer

    /// An output called `name` in `syllabus.yml`, whose renderer `makeRenderer` makes.
    init(name: String, makeRenderer: @escaping @Sendable (RendererContext) throws -> any Renderer) {
        self.name = name
        self.makeRenderer = makeRenderer
    }

    /// The registry: every output, in the order a build runs them when `outputs:` is not set.
    /// A new output is a new folder under `Render/` (its renderer and its `OutputKind`) and one
    /// entry here.
    static let all: [OutputKind] = [.site, .anki, .epub, .cheatsheets]

    /// The output `syllabus.yml` calls `name`, or nil when there is none.
    static func named(_ name: String) -> OutputKind? { all.first { $0.name == name } }

    /// The name, as `syllabus.yml` and diagnostics write it.
    public var description: String { name }

    /// Outputs are the same when their names are: a name stands for one renderer.
    public static func == (lhs: OutputKind, rhs: OutputKind) -> Bool { lhs.name == rhs.name }

    /// Hashes the name, as `==` compares it.
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}

/// What a build gives each renderer it makes: the loaded theme and the options that concern
/// rendering.
struct RendererContext: Sendable {
    /// The theme (`Templates/` or `--templates`), loaded once for every renderer.
    let templates: TemplateSet
    /// Prints the cheat sheets' PDFs (`build --pdf`); nil prints none.
    let pdfPrinter: PDFPrinter?
    /// The HTML the renderer of an output folder kept in earlier builds of this process
    /// (see `KeptHTML`); nil for every folder in a one-shot build.
    let keptHTML: @Sendable (String) -> KeptHTML?
    /// See `BuildOptions.givesBackFreedMemory`.
    let givesBackFreedMemory: Bool

    /// The context of one build: its theme, for `build --pdf` its printer, and for a process
    /// that builds again and again (`BuildSession`) what its renderers keep.
    init(templates: TemplateSet, pdfPrinter: PDFPrinter?, keptHTML: @escaping @Sendable (String) -> KeptHTML? = { _ in nil },
         givesBackFreedMemory: Bool = false) {
        self.templates = templates
        self.pdfPrinter = pdfPrinter
        self.keptHTML = keptHTML
        self.givesBackFreedMemory = givesBackFreedMemory
    }
}
