/* Parses and renders each Markdown file given, with the options and extensions Syllabus
 * gives cmark-gfm (source positions, footnotes, table, strikethrough, autolink, tagfilter,
 * tasklist), and writes nothing: the fuzz runner's measure of what cmark-gfm itself costs on
 * an input. Debian's cmark-gfm CLI has no --footnotes flag, and cmark-gfm's footnote pass can
 * cost seconds on inputs that parse in milliseconds without it.
 *
 *   cc -O2 Benchmarks/cmark_time.c -o cmark_time -lcmark-gfm -lcmark-gfm-extensions
 *   ./cmark_time a.md b.md
 */
#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    static const char *extensions[] = {"table", "strikethrough", "autolink", "tagfilter", "tasklist"};
    cmark_gfm_core_extensions_ensure_registered();
    for (int index = 1; index < argc; index++) {
        FILE *file = fopen(argv[index], "rb");
        if (!file) { perror(argv[index]); return 1; }
        cmark_parser *parser = cmark_parser_new(CMARK_OPT_SOURCEPOS | CMARK_OPT_FOOTNOTES);
        for (size_t which = 0; which < sizeof extensions / sizeof *extensions; which++) {
            cmark_parser_attach_syntax_extension(parser, cmark_find_syntax_extension(extensions[which]));
        }
        char buffer[65536];
        size_t count;
        while ((count = fread(buffer, 1, sizeof buffer, file)) > 0) cmark_parser_feed(parser, buffer, count);
        fclose(file);
        cmark_node *document = cmark_parser_finish(parser);
        char *html = cmark_render_html(document, CMARK_OPT_UNSAFE, cmark_parser_get_syntax_extensions(parser));
        free(html);
        cmark_node_free(document);
        cmark_parser_free(parser);
    }
    return 0;
}
