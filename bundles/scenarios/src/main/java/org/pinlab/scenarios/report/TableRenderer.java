package org.pinlab.scenarios.report;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

import org.pinlab.scenarios.Comparison.Row;

/**
 * An aligned table for a terminal, one row (of one or more lines) per scenario and
 * combination, a rule between scenarios, and the verdict under it.
 */
final class TableRenderer implements Renderer<Report> {

    /** The columns, shared with the Markdown table. */
    static final String[] HEADER = {"scenario", "combination", "choices", "runs", "findings (runs with it)",
        "DMA MiB/s", "writeback p50/p99", "fsync p50/p99", "unreclaimable", "pinned MiB", "bounce MiB", "copy MiB",
        "expectations"};
    /** Which columns hold figures, aligned right. */
    static final boolean[] RIGHT = {false, false, false, true, false, true, true, true, true, true, true,
        true, false};

    @Override
    public void render(Report report, Writer out) throws IOException {
        out.write(table(report));
        out.flush();
    }

    private static String table(Report report) {
        List<List<List<String>>> rows = new ArrayList<>();
        for (Report.Entry e : report.entries()) {
            rows.add(cells(e));
        }
        int[] width = new int[HEADER.length];
        for (int c = 0; c < HEADER.length; c++) {
            width[c] = HEADER[c].length();
        }
        for (List<List<String>> row : rows) {
            for (int c = 0; c < HEADER.length; c++) {
                for (String line : row.get(c)) {
                    width[c] = Math.max(width[c], line.length());
                }
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("pinlab comparison: ").append(report.summary()).append('\n').append('\n');
        appendLine(out, HEADER, width);
        String rule = rule(width);
        out.append(rule).append('\n');
        for (int i = 0; i < rows.size(); i++) {
            List<List<String>> row = rows.get(i);
            if (i > 0 && report.entries().get(i).firstOfScenario()) {
                out.append(rule).append('\n');
            }
            int height = 1;
            for (List<String> cell : row) {
                height = Math.max(height, cell.size());
            }
            for (int line = 0; line < height; line++) {
                String[] cells = new String[HEADER.length];
                for (int c = 0; c < HEADER.length; c++) {
                    List<String> cell = row.get(c);
                    cells[c] = line < cell.size() ? cell.get(line) : "";
                }
                appendLine(out, cells, width);
            }
        }
        out.append(rule).append('\n');
        out.append(report.meetingExpectations()).append(" of ").append(report.entries().size())
                .append(" combinations meet their scenario's expectations").append('\n');
        return out.toString();
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
        cells.add(List.of(latencies(r.fsyncP50Ns(), r.fsyncP99Ns())));
        cells.add(List.of(Long.toString(r.unreclaimable())));
        cells.add(List.of(Quantities.mib(e.peakDmaBytes())));
        cells.add(List.of(Quantities.mib(e.peakBounceBytes())));
        cells.add(List.of(Quantities.mib(r.copyBytes())));
        cells.add(r.violations().isEmpty() ? List.of("ok") : r.violations());
        return cells;
    }

    /** {@code p50 / p99} as the terminal and Markdown tables print it. */
    static String latencies(long p50Ns, long p99Ns) {
        if (p99Ns == 0) {
            return Quantities.NOT_APPLICABLE; // no run sampled it: nothing written back, no fsync
        }
        return Quantities.duration(p50Ns, "us") + " / " + Quantities.duration(p99Ns, "us");
    }

    private static void appendLine(StringBuilder out, String[] cells, int[] width) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) {
                line.append("  ");
            }
            String s = cells[c];
            int pad = width[c] - s.length();
            if (RIGHT[c]) {
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
