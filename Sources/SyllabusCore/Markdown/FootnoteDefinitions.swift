import Foundation

extension Node {
    /// The footnote definitions `nodes` reference, in the order of their first reference,
    /// taken from this document's. cmark-gfm sets each resolved reference's literal to the
    /// number of its definition and appends the referenced definitions to the end of the
    /// document in that order, whatever part of the file wrote them.
    func footnoteDefinitions(referencedBy nodes: [Node]) -> [Node] {
        var numbers: [Int] = []
        for node in nodes {
            node.walk { child in
                if child.kind == .footnoteReference, let number = Int(child.literal ?? ""), !numbers.contains(number) { numbers.append(number) }
                return .visitChildren
            }
        }
        guard !numbers.isEmpty else { return [] }
        let definitions = children.filter { $0.kind == .footnoteDefinition }
        return numbers.compactMap { definitions.indices.contains($0 - 1) ? definitions[$0 - 1] : nil }
    }
}
