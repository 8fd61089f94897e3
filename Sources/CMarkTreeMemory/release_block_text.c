#include "CMarkTreeMemory.h"

#if __has_include(<cmark-gfm/node.h>)
#include <cmark-gfm/node.h>
#include <stdlib.h>
#include <string.h>

/// The node after `node` in a depth-first walk of `root`'s subtree, without a stack: cmark-gfm
/// accepts nesting hundreds of thousands deep.
static cmark_node *following(cmark_node *node, cmark_node *root) {
    if (node->first_child) return node->first_child;
    while (node != root) {
        if (node->next) return node->next;
        node = node->parent;
    }
    return NULL;
}

/// Gives `chunk` a copy of its own, as `cmark_chunk_to_cstr` would, when it is a view (into a
/// block's buffer, a fixed string such as "[", or another node's text).
static void own(cmark_node *node, cmark_chunk *chunk) {
    if (chunk->alloc || chunk->data == NULL) return;
    // cmark-gfm's allocator aborts rather than return NULL.
    unsigned char *copy = cmark_node_mem(node)->calloc((size_t)chunk->len + 1, 1);
    if (chunk->len > 0) memcpy(copy, chunk->data, (size_t)chunk->len);
    chunk->data = copy;
    chunk->alloc = 1;
}

size_t syllabus_cmark_release_block_text(struct cmark_node *root) {
    // The structure read here is the one of the headers compiled against.
    if (root == NULL || cmark_version() != CMARK_GFM_VERSION) return 0;
    // Every text field cmark-gfm's `cmark_node_free` frees, by node type, gets its own copy
    // first, so that no text points into a buffer freed below.
    for (cmark_node *node = root; node; node = following(node, root)) {
        switch (node->type) {
        case CMARK_NODE_CODE_BLOCK:
            own(node, &node->as.code.info);
            own(node, &node->as.code.literal);
            break;
        case CMARK_NODE_TEXT:
        case CMARK_NODE_HTML_INLINE:
        case CMARK_NODE_CODE:
        case CMARK_NODE_HTML_BLOCK:
        case CMARK_NODE_FOOTNOTE_REFERENCE:
        case CMARK_NODE_FOOTNOTE_DEFINITION:
            own(node, &node->as.literal);
            break;
        case CMARK_NODE_LINK:
        case CMARK_NODE_IMAGE:
            own(node, &node->as.link.url);
            own(node, &node->as.link.title);
            break;
        case CMARK_NODE_CUSTOM_BLOCK:
        case CMARK_NODE_CUSTOM_INLINE:
            own(node, &node->as.custom.on_enter);
            own(node, &node->as.custom.on_exit);
            break;
        default:
            break;
        }
    }
    size_t released = 0;
    for (cmark_node *node = root; node; node = following(node, root)) {
        if (node->content.asize == 0) continue;
        released += (size_t)node->content.asize;
        cmark_strbuf_free(&node->content);
    }
    return released;
}

#else

size_t syllabus_cmark_release_block_text(struct cmark_node *root) {
    (void)root;
    return 0;
}

#endif
