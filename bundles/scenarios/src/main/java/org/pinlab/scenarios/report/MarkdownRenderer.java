package org.pinlab.scenarios.report;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * A GitHub-flavoured Markdown table with the console table's columns and cells, for an issue
 * or a pull request: a heading, the summary, one table row per scenario and combination (the
 * lines of a cell joined by {@code <br>}), and the verdict.
 */
final class MarkdownRenderer implements Renderer<Report> {

    @Override
    public void render(Report report, Writer out) throws IOException {
        StringBuilder o = new StringBuilder();
        o.append("## pinlab comparison\n\n").append(escape(report.summary())).append("\n\n");
        List<List<String>> header = new ArrayList<>();
        List<String> rule = new ArrayList<>();
        for (int c = 0; c < TableRenderer.HEADER.length; c++) {
            header.add(List.of(TableRenderer.HEADER[c]));
            rule.add(TableRenderer.RIGHT[c] ? "---:" : "---");
        }
        row(o, header);
        o.append("| ").append(String.join(" | ", rule)).append(" |\n");
        for (Report.Entry e : report.entries()) {
            row(o, TableRenderer.cells(e));
        }
        o.append('\n').append(report.meetingExpectations()).append(" of ").append(report.entries().size())
                .append(" combinations meet their scenario's expectations.\n");
        out.write(o.toString());
        out.flush();
    }

    /** One table row; the lines of a cell are joined by {@code <br>}. */
    private static void row(StringBuilder o, List<List<String>> cells) {
        List<String> shown = new ArrayList<>();
        for (List<String> lines : cells) {
            List<String> escaped = new ArrayList<>();
            for (String line : lines) {
                escaped.add(escape(line));
            }
            shown.add(String.join("<br>", escaped));
        }
        o.append("| ").append(String.join(" | ", shown)).append(" |\n");
    }

    /**
     * Text as Markdown shows it literally: HTML's special characters as entities (GitHub would
     * take {@code <b>} as markup), Markdown's punctuation and the table's {@code |} behind a
     * backslash, line breaks as spaces (a table row is one line).
     */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '\r', '\n' -> b.append(' ');
                case '\\', '`', '*', '_', '[', ']', '|', '#', '~' -> b.append('\\').append(c);
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
