package org.pinlab.scenarios.report;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

import org.pinlab.scenarios.Comparison.Row;

/**
 * Aligned tables for a terminal: the verdicts (choices, findings, expectations) and then the
 * figures, each fitting in 120 columns, the scenario heading its combinations, and the verdict
 * count under them.
 */
final class TableRenderer implements Renderer<Report> {

    /** The columns, shared with the Markdown table. */
    static final String[] HEADER = {"scenario", "combination", "choices", "runs", "findings (runs with it)",
        "DMA MiB/s", "writeback p50/p99", "fsync p50/p99", "unreclaimable", "pinned MiB", "bounce MiB", "copy MiB",
        "expectations"};
    /** Which columns hold figures, aligned right. */
    static final boolean[] RIGHT = {false, false, false, true, false, true, true, true, true, true, true,
        true, false};

    /** The widest line the terminal table prints: the console's 120 columns. */
    static final int MAX_WIDTH = 120;
    /** The columns of the verdict table, then of the figures table (the scenario heads each group). */
    private static final int[] VERDICT = {1, 2, 3, 4, 12};
    private static final int[] FIGURES = {1, 5, 6, 7, 8, 9, 10, 11};
    /** Columns whose text may wrap at spaces. */
    private static final boolean[] WRAPS = {false, false, true, false, true, false, true, true, false, false, false,
        false, true};

    @Override
    public void render(Report report, Writer out) throws IOException {
        out.write(table(report));
        out.flush();
    }

    /**
     * Two tables that each fit in {@value #MAX_WIDTH} columns, the verdicts and then the
     * figures, each with the scenario as a heading over its combinations; a cell too wide
     * wraps at a space, never inside a word.
     */
    private static String table(Report report) {
        List<List<List<String>>> rows = new ArrayList<>();
        for (Report.Entry e : report.entries()) {
            rows.add(cells(e));
        }
        StringBuilder out = new StringBuilder();
        out.append("pinlab comparison: ").append(report.summary()).append('\n').append('\n');
        section(out, report, rows, VERDICT);
        out.append('\n');
        section(out, report, rows, FIGURES);
        out.append(report.meetingExpectations()).append(" of ").append(report.entries().size())
                .append(" combinations meet their scenario's expectations").append('\n');
        return out.toString();
    }

    private static void section(StringBuilder out, Report report, List<List<List<String>>> rows, int[] columns) {
        int[] width = fit(rows, columns);
        List<List<String>> header = new ArrayList<>();
        int headerHeight = 1;
        for (int c = 0; c < columns.length; c++) {
            header.add(wrap(List.of(HEADER[columns[c]]), width[c])); // a narrowed column's heading wraps too
            headerHeight = Math.max(headerHeight, header.get(c).size());
        }
        for (int line = 0; line < headerHeight; line++) {
            String[] text = new String[columns.length];
            for (int c = 0; c < columns.length; c++) {
                text[c] = line < header.get(c).size() ? header.get(c).get(line) : "";
            }
            appendLine(out, text, width, columns);
        }
        String rule = rule(width);
        for (int i = 0; i < rows.size(); i++) {
            if (report.entries().get(i).firstOfScenario()) {
                out.append(rule).append('\n').append(rows.get(i).get(0).get(0)).append('\n');
            }
            List<List<String>> cells = new ArrayList<>();
            int height = 1;
            for (int c = 0; c < columns.length; c++) {
                List<String> lines = wrap(rows.get(i).get(columns[c]), width[c]);
                cells.add(lines);
                height = Math.max(height, lines.size());
            }
            for (int line = 0; line < height; line++) {
                String[] text = new String[columns.length];
                for (int c = 0; c < columns.length; c++) {
                    text[c] = line < cells.get(c).size() ? cells.get(c).get(line) : "";
                }
                appendLine(out, text, width, columns);
            }
        }
        out.append(rule).append('\n');
    }

    /**
     * Each column's width: its widest line, then, while the table is wider than
     * {@value #MAX_WIDTH}, the widest column that may wrap gives up a column, down to its
     * longest word.
     */
    private static int[] fit(List<List<List<String>>> rows, int[] columns) {
        int[] width = new int[columns.length];
        int[] floor = new int[columns.length];
        for (int c = 0; c < columns.length; c++) {
            width[c] = HEADER[columns[c]].length();
            for (String word : HEADER[columns[c]].split(" ")) {
                floor[c] = Math.max(floor[c], word.length());
            }
            for (List<List<String>> row : rows) {
                for (String line : row.get(columns[c])) {
                    width[c] = Math.max(width[c], line.length());
                    for (String word : line.split(" ")) {
                        floor[c] = Math.max(floor[c], word.length());
                    }
                }
            }
            if (!WRAPS[columns[c]]) {
                int widestCell = 0;
                for (List<List<String>> row : rows) {
                    for (String line : row.get(columns[c])) {
                        widestCell = Math.max(widestCell, line.length());
                    }
                }
                floor[c] = Math.max(floor[c], widestCell); // figures and names stay on one line; headings may wrap
            }
        }
        while (total(width) > MAX_WIDTH) {
            int widest = -1;
            for (int c = 0; c < columns.length; c++) {
                if (width[c] > floor[c] && (widest < 0 || width[c] > width[widest])) {
                    widest = c;
                }
            }
            if (widest < 0) {
                break; // nothing left to wrap without cutting a word
            }
            width[widest]--;
        }
        return width;
    }

    private static int total(int[] width) {
        int n = 2 * (width.length - 1);
        for (int w : width) {
            n += w;
        }
        return n;
    }

    /** The lines of a cell at most {@code width} wide, broken at spaces only. */
    static List<String> wrap(List<String> cell, int width) {
        List<String> out = new ArrayList<>();
        for (String line : cell) {
            StringBuilder current = new StringBuilder();
            for (String word : line.split(" ")) {
                if (current.length() > 0 && current.length() + 1 + word.length() > width) {
                    out.add(current.toString());
                    current.setLength(0);
                }
                current.append(current.length() > 0 ? " " : "").append(word);
            }
            out.add(current.toString());
        }
        return out;
    }

    /** The lines of each cell of one entry, a column each. */
    static List<List<String>> cells(Report.Entry e) {
        Row r = e.row();
        List<List<String>> cells = new ArrayList<>();
        cells.add(List.of(e.firstOfScenario() ? r.scenario() : ""));
        cells.add(List.of(r.combination()));
        cells.add(e.nonDefaultChoices().isEmpty() ? List.of("defaults") : e.nonDefaultChoices());
        cells.add(List.of(Integer.toString(r.runs())));
        List<String> seen = new ArrayList<>(e.findings());
        seen.addAll(e.errors());
        cells.add(seen.isEmpty() ? List.of("none") : seen);
        cells.add(List.of(Quantities.fixed(r.dmaMibPerSecond(), 1)));
        cells.add(List.of(latencies(r.writebackP50Ns(), r.writebackP99Ns())));
        cells.add(List.of(r.fsyncCalls() == 0 ? Quantities.NOT_APPLICABLE
                : Quantities.duration(r.fsyncP50Ns(), "us") + " / " + Quantities.duration(r.fsyncP99Ns(), "us")));
        cells.add(List.of(Long.toString(r.unreclaimable())));
        cells.add(List.of(Quantities.mib(e.peakDmaBytes())));
        cells.add(List.of(Quantities.mib(e.peakBounceBytes())));
        cells.add(List.of(Quantities.mib(r.copyBytes())));
        cells.add(r.violations().isEmpty() ? List.of("ok") : r.violations());
        return cells;
    }

    /** {@code p50 / p99} as the terminal and Markdown tables print it. */
    /**
     * A writeback latency pair, n/a where no run wrote a page back (a DAX file, tmpfs): a
     * writeback latency is never 0. Fsync latencies print as measured, since a noop_fsync
     * takes 0 ns.
     */
    static String latencies(long p50Ns, long p99Ns) {
        if (p99Ns == 0) {
            return Quantities.NOT_APPLICABLE;
        }
        return Quantities.duration(p50Ns, "us") + " / " + Quantities.duration(p99Ns, "us");
    }

    private static void appendLine(StringBuilder out, String[] cells, int[] width, int[] columns) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) {
                line.append("  ");
            }
            String s = cells[c];
            int pad = Math.max(0, width[c] - s.length());
            if (RIGHT[columns[c]]) {
                line.append(" ".repeat(pad)).append(s);
            } else {
                line.append(s).append(" ".repeat(pad));
            }
        }
        int end = line.length();
        while (end > 0 && line.charAt(end - 1) == ' ') {
            end--;
        }
        out.append(line, 0, end).append('\n');
    }

    private static String rule(int[] width) {
        int n = 0;
        for (int w : width) {
            n += w;
        }
        return "-".repeat(n + 2 * (width.length - 1));
    }
}
