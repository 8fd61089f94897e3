#include "CMarkTreeMemory.h"

#if __has_include(<cmark-gfm/node.h>)
#include <cmark-gfm/node.h>
#include <stdlib.h>
#include <string.h>

/// One block's text buffer, as the addresses it spans.
typedef struct {
    const unsigned char *start;
    const unsigned char *end;
} text_range;

static int compare_ranges(const void *a, const void *b) {
    const unsigned char *x = ((const text_range *)a)->start;
    const unsigned char *y = ((const text_range *)b)->start;
    return x < y ? -1 : x > y;
}

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

/// Gives `chunk` a copy of its own, as `cmark_chunk_to_cstr` would, when it is a view into one
/// of the sorted `ranges`.
static void own(cmark_node *node, cmark_chunk *chunk, const text_range *ranges, size_t count) {
    if (chunk->alloc || chunk->data == NULL) return;
    size_t low = 0, high = count;
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        if (ranges[middle].start <= chunk->data) low = middle + 1; else high = middle;
    }
    if (low == 0 || chunk->data >= ranges[low - 1].end) return;
    unsigned char *copy = cmark_node_mem(node)->calloc((size_t)chunk->len + 1, 1);
    if (chunk->len > 0) memcpy(copy, chunk->data, (size_t)chunk->len);
    chunk->data = copy;
    chunk->alloc = 1;
}

size_t syllabus_cmark_release_block_text(struct cmark_node *root) {
    // The structure read here is the one of the headers compiled against.
    if (root == NULL || cmark_version() != CMARK_GFM_VERSION) return 0;
    size_t count = 0, capacity = 0, released = 0;
    cmark_node **blocks = NULL;
    for (cmark_node *node = root; node; node = following(node, root)) {
        if (node->content.asize == 0) continue;
        if (count == capacity) {
            size_t grown = capacity ? capacity * 2 : 64;
            cmark_node **larger = realloc(blocks, grown * sizeof *larger);
            if (larger == NULL) { free(blocks); return 0; }
            blocks = larger;
            capacity = grown;
        }
        blocks[count++] = node;
    }
    if (count == 0) return 0;
    text_range *ranges = malloc(count * sizeof *ranges);
    if (ranges == NULL) { free(blocks); return 0; }
    for (size_t index = 0; index < count; index++) {
        ranges[index].start = blocks[index]->content.ptr;
        ranges[index].end = blocks[index]->content.ptr + blocks[index]->content.asize;
    }
    qsort(ranges, count, sizeof *ranges, compare_ranges);
    // Every text field cmark-gfm's `cmark_node_free` frees, by node type.
    for (cmark_node *node = root; node; node = following(node, root)) {
        switch (node->type) {
        case CMARK_NODE_CODE_BLOCK:
            own(node, &node->as.code.info, ranges, count);
            own(node, &node->as.code.literal, ranges, count);
            break;
        case CMARK_NODE_TEXT:
        case CMARK_NODE_HTML_INLINE:
        case CMARK_NODE_CODE:
        case CMARK_NODE_HTML_BLOCK:
        case CMARK_NODE_FOOTNOTE_REFERENCE:
        case CMARK_NODE_FOOTNOTE_DEFINITION:
            own(node, &node->as.literal, ranges, count);
            break;
        case CMARK_NODE_LINK:
        case CMARK_NODE_IMAGE:
            own(node, &node->as.link.url, ranges, count);
            own(node, &node->as.link.title, ranges, count);
            break;
        case CMARK_NODE_CUSTOM_BLOCK:
        case CMARK_NODE_CUSTOM_INLINE:
            own(node, &node->as.custom.on_enter, ranges, count);
            own(node, &node->as.custom.on_exit, ranges, count);
            break;
        default:
            break;
        }
    }
    for (size_t index = 0; index < count; index++) {
        released += (size_t)blocks[index]->content.asize;
        cmark_strbuf_free(&blocks[index]->content);
    }
    free(ranges);
    free(blocks);
    return released;
}

#else

size_t syllabus_cmark_release_block_text(struct cmark_node *root) {
    (void)root;
    return 0;
}

#endif
