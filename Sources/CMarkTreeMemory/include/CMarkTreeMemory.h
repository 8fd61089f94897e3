#ifndef SYLLABUS_CMARK_TREE_MEMORY_H
#define SYLLABUS_CMARK_TREE_MEMORY_H

#include <stddef.h>

struct cmark_node;

/// Frees the text buffers cmark-gfm keeps in a parsed tree's blocks after parsing, and
/// returns how many bytes of buffer they held (0 when nothing was freed).
///
/// cmark-gfm leaves every block's `content` buffer allocated after parsing: a paragraph,
/// heading or table cell keeps its whole source text (with up to half again of spare
/// capacity), and every other block an empty buffer of a few dozen bytes. Its inline nodes'
/// text (`literal`, a link's `url` and `title`) is often a view into those buffers, which
/// `cmark_node_get_literal` copies into a buffer of the node's own the first time it is read.
/// This makes those copies first, for every text that is a view (into a block's buffer, a
/// fixed string or another node's text), then frees every block's buffer: nothing in cmark-gfm reads a block's `content` once the tree is parsed.
/// The tree then renders and reads exactly as before, and reading a literal no longer writes
/// to the node.
///
/// It reads cmark-gfm's node structure (its `node.h`), so it only works on the cmark-gfm
/// version whose headers it was compiled with: with another library version, or where the
/// private headers are not installed, it does nothing and returns 0.
size_t syllabus_cmark_release_block_text(struct cmark_node *root);

#endif
