package org.pinlab.scenarios;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.pinlab.api.families.Families;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.mm.MemoryLayout;
import org.pinlab.scenarios.Comparison.Matrix;
import org.pinlab.scenarios.Comparison.Row;

/**
 * Writes a {@link Comparison.Matrix} for people and for other programs: an aligned terminal
 * table, JSON, RFC 4180 CSV and one self-contained HTML page with inline SVG charts.
 *
 * <p>The figures are those of {@link Comparison#row}: writeback and fsync p50 are medians of
 * the per-run medians, p99 the worst per-run 99th percentile; peaks are the maximum over the
 * runs; unreclaimable and copy bytes are summed over the runs; DMA throughput is the mean per
 * simulated second. Every time is simulated time.
 */
public final class Reports {

    private static final double MIB = 1 << 20;
    private static final long PAGE = MemoryLayout.PAGE_SIZE;

    private Reports() {
    }

    // ---- text -------------------------------------------------------------------------

    /** An aligned table for a terminal, one row (of one or more lines) per scenario and combination. */
    public static String text(Matrix m) {
        String[] header = {"scenario", "combination", "choices", "runs", "findings (runs with it)", "DMA MiB/s",
            "writeback p50/p99", "fsync p50/p99", "unreclaimable", "pinned MiB", "bounce MiB", "copy MiB",
            "expectations"};
        boolean[] right = {false, false, false, true, false, true, true, true, true, true, true, true, false};
        List<List<List<String>>> rows = new ArrayList<>();
        List<Boolean> firstOfScenario = new ArrayList<>();
        String previous = null;
        for (Row r : m.rows()) {
            List<List<String>> cells = new ArrayList<>();
            boolean first = !r.scenario().equals(previous);
            previous = r.scenario();
            cells.add(List.of(first ? r.scenario() : ""));
            cells.add(List.of(r.combination()));
            List<String> choices = nonDefaultChoices(r);
            cells.add(choices.isEmpty() ? List.of("defaults") : choices);
            cells.add(List.of(Integer.toString(r.runs())));
            List<String> findings = new ArrayList<>();
            for (FindingKind k : kinds(r)) {
                findings.add(findingText(r, k));
            }
            cells.add(findings.isEmpty() ? List.of("none") : findings);
            cells.add(List.of(fixed(r.dmaMibPerSecond(), 1)));
            cells.add(List.of(duration(r.writebackP50Ns(), "us") + " / " + duration(r.writebackP99Ns(), "us")));
            cells.add(List.of(duration(r.fsyncP50Ns(), "us") + " / " + duration(r.fsyncP99Ns(), "us")));
            cells.add(List.of(Long.toString(r.unreclaimable())));
            cells.add(List.of(mib(r.peakDmaPages() * (double) PAGE)));
            cells.add(List.of(mib(r.peakBouncePages() * (double) PAGE)));
            cells.add(List.of(mib(r.copyBytes())));
            cells.add(r.violations().isEmpty() ? List.of("ok") : r.violations());
            rows.add(cells);
            firstOfScenario.add(first);
        }
        int[] width = new int[header.length];
        for (int c = 0; c < header.length; c++) {
            width[c] = header[c].length();
        }
        for (List<List<String>> row : rows) {
            for (int c = 0; c < header.length; c++) {
                for (String line : row.get(c)) {
                    width[c] = Math.max(width[c], line.length());
                }
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("pinlab comparison: ").append(summary(m)).append('\n').append('\n');
        appendLine(out, header, width, right);
        String rule = rule(width);
        out.append(rule).append('\n');
        for (int i = 0; i < rows.size(); i++) {
            List<List<String>> row = rows.get(i);
            if (i > 0 && firstOfScenario.get(i)) {
                out.append(rule).append('\n');
            }
            int height = 1;
            for (List<String> cell : row) {
                height = Math.max(height, cell.size());
            }
            for (int line = 0; line < height; line++) {
                String[] cells = new String[header.length];
                for (int c = 0; c < header.length; c++) {
                    List<String> cell = row.get(c);
                    cells[c] = line < cell.size() ? cell.get(line) : "";
                }
                appendLine(out, cells, width, right);
            }
        }
        long ok = m.rows().stream().filter(Row::meetsExpectations).count();
        out.append(rule).append('\n');
        out.append(ok).append(" of ").append(m.rows().size()).append(" combinations meet their scenario's expectations")
                .append('\n');
        return out.toString();
    }

    private static void appendLine(StringBuilder out, String[] cells, int[] width, boolean[] right) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) {
                line.append("  ");
            }
            String s = cells[c];
            int pad = width[c] - s.length();
            if (right[c]) {
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

    private static String summary(Matrix m) {
        Set<String> scenarios = new LinkedHashSet<>();
        for (Row r : m.rows()) {
            scenarios.add(r.scenario());
        }
        return scenarios.size() + (scenarios.size() == 1 ? " scenario, " : " scenarios, ")
                + m.rows().size() + (m.rows().size() == 1 ? " combination, " : " combinations, ") + m.seeds()
                + (m.seeds() == 1 ? " seed" : " seeds") + " each, " + m.threads()
                + (m.threads() == 1 ? " thread, " : " threads, ") + wall(m.wallMillis()) + " wall time";
    }

    private static String findingText(Row r, FindingKind k) {
        StringBuilder s = new StringBuilder();
        s.append(k).append(' ').append(r.runsWithFinding().get(k)).append('/').append(r.runs());
        Long seed = r.firstSeed().get(k);
        if (seed != null) {
            s.append(" (first seed ").append(seed).append(')');
        }
        return s.toString();
    }

    // ---- JSON -------------------------------------------------------------------------

    /**
     * Writes the matrix as JSON; every figure carries its unit in its name. Leaves
     * {@code out} open (flushed).
     */
    public static void json(Matrix m, Writer out) throws IOException {
        JsonFactory factory = new JsonFactory();
        try (JsonGenerator g = factory.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("format", "pinlab-comparison");
            g.writeNumberField("formatVersion", 1);
            g.writeNumberField("seeds", m.seeds());
            g.writeNumberField("threads", m.threads());
            g.writeNumberField("wallMillis", m.wallMillis());
            g.writeNumberField("pageSizeBytes", PAGE);
            g.writeArrayFieldStart("rows");
            for (Row r : m.rows()) {
                g.writeStartObject();
                g.writeStringField("scenario", r.scenario());
                g.writeStringField("combination", r.combination());
                g.writeObjectFieldStart("choices");
                for (Map.Entry<String, String> e : r.choices().entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
                g.writeNumberField("runs", r.runs());
                g.writeObjectFieldStart("runsWithFinding");
                for (FindingKind k : kinds(r)) {
                    g.writeNumberField(k.name(), r.runsWithFinding().get(k));
                }
                g.writeEndObject();
                g.writeObjectFieldStart("firstSeed");
                for (FindingKind k : kinds(r)) {
                    Long seed = r.firstSeed().get(k);
                    if (seed != null) {
                        g.writeNumberField(k.name(), seed);
                    }
                }
                g.writeEndObject();
                g.writeFieldName("dmaMibPerSecond");
                number(g, r.dmaMibPerSecond());
                g.writeNumberField("writebackP50Ns", r.writebackP50Ns());
                g.writeNumberField("writebackP99Ns", r.writebackP99Ns());
                g.writeNumberField("fsyncP50Ns", r.fsyncP50Ns());
                g.writeNumberField("fsyncP99Ns", r.fsyncP99Ns());
                g.writeNumberField("unreclaimableEvents", r.unreclaimable());
                g.writeNumberField("peakDmaPages", r.peakDmaPages());
                g.writeNumberField("peakDmaBytes", r.peakDmaPages() * PAGE);
                g.writeNumberField("peakBouncePages", r.peakBouncePages());
                g.writeNumberField("peakBounceBytes", r.peakBouncePages() * PAGE);
                g.writeNumberField("copyBytes", r.copyBytes());
                g.writeBooleanField("meetsExpectations", r.meetsExpectations());
                g.writeArrayFieldStart("violations");
                for (String v : r.violations()) {
                    g.writeString(v);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        out.flush();
    }

    private static void number(JsonGenerator g, double v) throws IOException {
        if (Double.isFinite(v)) {
            g.writeNumber(v);
        } else {
            g.writeNull();
        }
    }

    // ---- CSV --------------------------------------------------------------------------

    /**
     * Writes RFC 4180 CSV (CRLF line ends, fields quoted when they hold a comma, quote, CR or
     * LF): a header row, then one row per scenario and combination. Columns: scenario,
     * combination, one per strategy family (the choice), runs, one per finding kind (runs
     * that saw it), the figures with their units in their names, and the expectations.
     */
    public static void csv(Matrix m, Writer out) throws IOException {
        List<String> families = families(m);
        List<String> header = new ArrayList<>();
        header.add("scenario");
        header.add("combination");
        header.addAll(families);
        header.add("runs");
        for (FindingKind k : FindingKind.values()) {
            header.add(k.name());
        }
        header.addAll(List.of("dmaMibPerSecond", "writebackP50Ns", "writebackP99Ns", "fsyncP50Ns", "fsyncP99Ns",
                "unreclaimableEvents", "peakDmaPages", "peakDmaBytes", "peakBouncePages", "peakBounceBytes",
                "copyBytes", "meetsExpectations", "violations"));
        csvLine(out, header);
        for (Row r : m.rows()) {
            List<String> f = new ArrayList<>();
            f.add(r.scenario());
            f.add(r.combination());
            for (String family : families) {
                f.add(r.choices().getOrDefault(family, ""));
            }
            f.add(Integer.toString(r.runs()));
            for (FindingKind k : FindingKind.values()) {
                f.add(Integer.toString(r.runsWithFinding().getOrDefault(k, 0)));
            }
            f.add(plain(r.dmaMibPerSecond()));
            f.add(Long.toString(r.writebackP50Ns()));
            f.add(Long.toString(r.writebackP99Ns()));
            f.add(Long.toString(r.fsyncP50Ns()));
            f.add(Long.toString(r.fsyncP99Ns()));
            f.add(Long.toString(r.unreclaimable()));
            f.add(Long.toString(r.peakDmaPages()));
            f.add(Long.toString(r.peakDmaPages() * PAGE));
            f.add(Long.toString(r.peakBouncePages()));
            f.add(Long.toString(r.peakBouncePages() * PAGE));
            f.add(Long.toString(r.copyBytes()));
            f.add(Boolean.toString(r.meetsExpectations()));
            f.add(String.join("; ", r.violations()));
            csvLine(out, f);
        }
        out.flush();
    }

    private static void csvLine(Writer out, List<String> fields) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(csvField(fields.get(i)));
        }
        out.write("\r\n");
    }

    /** A field as RFC 4180 wants it: quoted, with quotes doubled, if it holds a comma, quote, CR or LF. */
    static String csvField(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\r') < 0 && s.indexOf('\n') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    private static String plain(double v) {
        if (!Double.isFinite(v)) {
            return "";
        }
        return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }

    // ---- HTML -------------------------------------------------------------------------

    /** Tableau 10: distinguishable, and still apart for the common colour-vision deficiencies. */
    private static final String[] PALETTE = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
        "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};

    /**
     * Writes one self-contained HTML page: inline CSS and inline SVG, no script and no
     * reference to anything outside the file. A summary, the table, then per scenario bar
     * charts comparing its combinations; a combination has the same colour everywhere.
     * Leaves {@code out} open (flushed).
     */
    public static void html(Matrix m, Writer out) throws IOException {
        Map<String, String> colours = colours(m);
        StringBuilder o = new StringBuilder(16_384);
        o.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>pinlab comparison</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        o.append("<header><h1>pinlab comparison</h1>\n<p class=\"meta\">").append(esc(summary(m))).append("</p>\n");
        long ok = m.rows().stream().filter(Row::meetsExpectations).count();
        o.append("<p class=\"verdict ").append(ok == m.rows().size() ? "ok" : "bad").append("\">").append(ok)
                .append(" of ").append(m.rows().size())
                .append(" combinations meet their scenario&#8217;s expectations.</p>\n</header>\n");
        table(o, m, colours);
        for (Map.Entry<String, List<Row>> e : byScenario(m).entrySet()) {
            scenarioCharts(o, e.getKey(), e.getValue(), colours);
        }
        o.append("<footer><p>All times are simulated. Writeback and fsync p50 are the median of the per-run medians, "
                + "p99 the worst per-run 99th percentile. DMA throughput is the mean over runs of the pages devices "
                + "wrote per simulated second. Peak pinned and bounce memory are the maximum over runs "
                + "(pages of ").append(PAGE).append(" bytes); unreclaimable (times reclaim met a pinned page it "
                + "could not free) and bytes copied are summed over runs.</p></footer>\n");
        o.append("</body>\n</html>\n");
        out.write(o.toString());
        out.flush();
    }

    private static final String CSS = """
            :root { color-scheme: light; }
            body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", \
            "Liberation Sans", Arial, sans-serif; font-size: 14px; color: #1d2330; background: #f6f7f9; \
            margin: 0 auto; padding: 24px 32px 40px; max-width: 1340px; line-height: 1.4; }
            h1 { font-size: 26px; margin: 0 0 4px; }
            h2 { font-size: 19px; margin: 36px 0 8px; padding-bottom: 4px; border-bottom: 2px solid #d5d9e0; \
            overflow-wrap: anywhere; }
            h3 { font-size: 14px; margin: 0 0 6px; font-weight: 600; }
            .meta { color: #5b6475; margin: 0 0 6px; }
            .verdict { font-weight: 600; margin: 0 0 18px; }
            .ok { color: #1f7a3a; }
            .bad { color: #b3261e; }
            .tablewrap { overflow-x: auto; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
            table { border-collapse: collapse; width: 100%; background: #fff; font-size: 13px; }
            th, td { padding: 5px 9px; border-bottom: 1px solid #e3e6eb; vertical-align: top; text-align: left; }
            thead th { background: #eef0f4; font-weight: 600; vertical-align: bottom; }
            td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
            td.num { white-space: nowrap; }
            tr.scenario th { background: #f3f5f8; font-size: 14px; padding-top: 9px; border-top: 2px solid #c9ced8; \
            overflow-wrap: anywhere; }
            .lbl { color: #8a93a3; font-size: 11px; }
            .finding { white-space: nowrap; }
            .seed { color: #5b6475; font-size: 11px; white-space: nowrap; }
            .choices { color: #5b6475; font-size: 12px; }
            .swatch { display: inline-block; width: 11px; height: 11px; border-radius: 2px; margin-right: 6px; \
            vertical-align: -1px; }
            .badge { display: inline-block; padding: 0 6px; margin: 1px 0; border-radius: 3px; font-size: 12px; \
            background: #fdf0d5; color: #6b4a00; white-space: nowrap; }
            .badge.stop { background: #fbe0de; color: #8c1d18; }
            .none { color: #8a93a3; }
            ul.violations { margin: 0; padding-left: 16px; color: #b3261e; }
            .legend { display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 4px 0 12px; }
            .legend span.item { white-space: nowrap; }
            .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(460px, 1fr)); gap: 14px; }
            .card { background: #fff; border-radius: 6px; padding: 12px 14px 8px; \
            box-shadow: 0 1px 2px rgba(0,0,0,.08); }
            .card p.note { margin: 0 0 6px; color: #5b6475; font-size: 12px; }
            svg { display: block; width: 100%; max-width: 760px; height: auto; }
            svg text { font-size: 12px; fill: #1d2330; }
            svg text.tick { fill: #5b6475; font-size: 11px; }
            svg text.axis { fill: #5b6475; font-size: 11px; }
            svg text.val { font-size: 11px; font-variant-numeric: tabular-nums; }
            svg line.grid { stroke: #e6e8ec; }
            svg line.base { stroke: #9aa2b1; }
            footer { margin-top: 32px; color: #5b6475; font-size: 12px; }
            """;

    private static final int TABLE_COLUMNS = 10;

    private static void table(StringBuilder o, Matrix m, Map<String, String> colours) {
        o.append("<div class=\"tablewrap\"><table>\n<thead><tr><th>combination</th><th class=\"num\">runs</th>")
                .append("<th>findings: runs with it</th><th class=\"num\">DMA MiB/s</th>")
                .append("<th class=\"num\">writeback latency</th><th class=\"num\">fsync latency</th>")
                .append("<th class=\"num\" title=\"times reclaim met a pinned page it could not free\">")
                .append("unreclaim&shy;able</th><th class=\"num\">peak memory held</th>")
                .append("<th class=\"num\">bytes copied</th><th>expectations</th>")
                .append("</tr></thead>\n");
        for (Map.Entry<String, List<Row>> e : byScenario(m).entrySet()) {
            o.append("<tbody>\n<tr class=\"scenario\"><th colspan=\"").append(TABLE_COLUMNS).append("\">")
                    .append(esc(e.getKey())).append("</th></tr>\n");
            for (Row r : e.getValue()) {
                o.append("<tr><td>").append(swatch(colours.get(r.combination()))).append(esc(r.combination()));
                List<String> choices = nonDefaultChoices(r);
                o.append("<div class=\"choices\">").append(esc(choices.isEmpty() ? "defaults" : String.join(", ",
                        choices))).append("</div></td>");
                o.append("<td class=\"num\">").append(r.runs()).append("</td><td>");
                Set<FindingKind> kinds = kinds(r);
                if (kinds.isEmpty()) {
                    o.append("<span class=\"none\">none</span>");
                }
                for (FindingKind k : kinds) {
                    o.append("<div class=\"finding\"><span class=\"badge").append(k.stopsMachine() ? " stop" : "").append("\">")
                            .append(esc(k.name())).append(' ').append(r.runsWithFinding().get(k)).append('/')
                            .append(r.runs()).append("</span>");
                    Long seed = r.firstSeed().get(k);
                    if (seed != null) {
                        o.append(" <span class=\"seed\">first seed ").append(seed).append("</span>");
                    }
                    o.append("</div>");
                }
                o.append("</td>");
                num(o, fixed(r.dmaMibPerSecond(), 1));
                pair(o, "p50", duration(r.writebackP50Ns(), "\u00b5s"), "p99", duration(r.writebackP99Ns(), "\u00b5s"));
                pair(o, "p50", duration(r.fsyncP50Ns(), "\u00b5s"), "p99", duration(r.fsyncP99Ns(), "\u00b5s"));
                num(o, Long.toString(r.unreclaimable()));
                pair(o, "pinned", bytes(r.peakDmaPages() * PAGE), "bounce", bytes(r.peakBouncePages() * PAGE));
                num(o, bytes(r.copyBytes()));
                if (r.violations().isEmpty()) {
                    o.append("<td class=\"ok\">ok</td>");
                } else {
                    o.append("<td><ul class=\"violations\">");
                    for (String v : r.violations()) {
                        o.append("<li>").append(esc(v)).append("</li>");
                    }
                    o.append("</ul></td>");
                }
                o.append("</tr>\n");
            }
            o.append("</tbody>\n");
        }
        o.append("</table></div>\n");
    }

    private static void num(StringBuilder o, String text) {
        o.append("<td class=\"num\">").append(esc(text)).append("</td>");
    }

    /** Two labelled figures in one cell, one a line. */
    private static void pair(StringBuilder o, String label1, String value1, String label2, String value2) {
        o.append("<td class=\"num\"><span class=\"lbl\">").append(esc(label1)).append("</span> ")
                .append(esc(value1)).append("<br><span class=\"lbl\">").append(esc(label2)).append("</span> ")
                .append(esc(value2)).append("</td>");
    }

    private static String swatch(String colour) {
        return "<span class=\"swatch\" style=\"background:" + colour + "\"></span>";
    }

    private static void scenarioCharts(StringBuilder o, String scenario, List<Row> rows, Map<String, String> colours) {
        o.append("<section>\n<h2>").append(esc(scenario)).append("</h2>\n<div class=\"legend\">");
        for (Row r : rows) {
            o.append("<span class=\"item\">").append(swatch(colours.get(r.combination()))).append(esc(r.combination()))
                    .append("</span>");
        }
        o.append("</div>\n<div class=\"grid\">\n");

        // runs with each finding kind, grouped by kind, one bar per combination
        Set<FindingKind> kinds = EnumSet.noneOf(FindingKind.class);
        int maxRuns = 1;
        for (Row r : rows) {
            kinds.addAll(kinds(r));
            maxRuns = Math.max(maxRuns, r.runs());
        }
        List<Group> findings = new ArrayList<>();
        for (FindingKind k : kinds) {
            List<Bar> bars = new ArrayList<>();
            for (Row r : rows) {
                int n = r.runsWithFinding().getOrDefault(k, 0);
                bars.add(new Bar(r.combination(), colours.get(r.combination()), n, n + "/" + r.runs(), false));
            }
            findings.add(new Group(k.name(), bars));
        }
        card(o, "Runs with each finding", kinds.isEmpty() ? "No combination saw a finding in any run."
                : "Bars are combinations (colours as in the legend), grouped by finding kind.", findings, maxRuns,
                "runs with the finding", true);

        List<Group> dma = new ArrayList<>();
        double maxDma = 0;
        for (Row r : rows) {
            double v = Double.isFinite(r.dmaMibPerSecond()) ? r.dmaMibPerSecond() : 0;
            maxDma = Math.max(maxDma, v);
            dma.add(single(r, colours, v, fixed(v, 1) + " MiB/s"));
        }
        card(o, "DMA write throughput", "Mean over runs; higher is better.", dma, maxDma,
                "MiB per simulated second", false);

        long maxWb = 0;
        for (Row r : rows) {
            maxWb = Math.max(maxWb, Math.max(r.writebackP99Ns(), r.writebackP50Ns()));
        }
        TimeUnitChoice tu = TimeUnitChoice.of(maxWb);
        List<Group> wb = new ArrayList<>();
        for (Row r : rows) {
            String c = colours.get(r.combination());
            wb.add(new Group(r.combination(), List.of(
                    new Bar(r.combination() + " p99", c, r.writebackP99Ns() / tu.ns,
                            "p99 " + duration(r.writebackP99Ns(), "\u00b5s"), false),
                    new Bar(r.combination() + " p50", c, r.writebackP50Ns() / tu.ns,
                            "p50 " + duration(r.writebackP50Ns(), "\u00b5s"), true))));
        }
        card(o, "Writeback latency, dirtying to clean", "Solid: worst p99 of any run; light: median p50. "
                + "Lower is better.", wb, maxWb / tu.ns, "simulated " + tu.label, false);

        long maxMem = 0;
        for (Row r : rows) {
            maxMem = Math.max(maxMem, Math.max(r.peakDmaPages(), r.peakBouncePages()) * PAGE);
        }
        ByteUnitChoice mu = ByteUnitChoice.of(maxMem);
        List<Group> mem = new ArrayList<>();
        for (Row r : rows) {
            String c = colours.get(r.combination());
            mem.add(new Group(r.combination(), List.of(
                    new Bar(r.combination() + " pinned", c, r.peakDmaPages() * PAGE / mu.bytes,
                            "pinned " + bytes(r.peakDmaPages() * PAGE), false),
                    new Bar(r.combination() + " bounce", c, r.peakBouncePages() * PAGE / mu.bytes,
                            "bounce " + bytes(r.peakBouncePages() * PAGE), true))));
        }
        card(o, "Memory held by pins and bounce pages", "Peak over runs. Solid: pages held by device mappings; "
                + "light: bounce pages.", mem, maxMem / mu.bytes, mu.label, false);

        long maxCopy = 0;
        for (Row r : rows) {
            maxCopy = Math.max(maxCopy, r.copyBytes());
        }
        ByteUnitChoice cu = ByteUnitChoice.of(maxCopy);
        List<Group> copy = new ArrayList<>();
        for (Row r : rows) {
            copy.add(single(r, colours, r.copyBytes() / cu.bytes, bytes(r.copyBytes())));
        }
        card(o, "Bytes copied", "Bounce buffers and writeback snapshots, summed over runs.", copy,
                maxCopy / cu.bytes, cu.label, false);
        o.append("</div>\n</section>\n");
    }

    private static Group single(Row r, Map<String, String> colours, double value, String text) {
        return new Group(r.combination(), List.of(new Bar(r.combination(), colours.get(r.combination()), value, text,
                false)));
    }

    private static void card(StringBuilder o, String title, String note, List<Group> groups, double max,
                             String axisLabel, boolean integerTicks) {
        if (!groups.isEmpty() && !(max > 0)) {
            note += " Every value is 0.";
        }
        o.append("<div class=\"card\">\n<h3>").append(esc(title)).append("</h3>\n<p class=\"note\">")
                .append(esc(note)).append("</p>\n");
        hbars(o, title, groups, max, axisLabel, integerTicks);
        o.append("</div>\n");
    }

    /** One bar of a chart: who it is (for its tooltip), its colour, its length in axis units, its label. */
    private record Bar(String who, String colour, double value, String text, boolean light) {
    }

    /** Bars drawn together under one label on the left. */
    private record Group(String label, List<Bar> bars) {
    }

    private static final int CHART_W = 600;
    private static final double MAX_LABEL_W = 240;
    private static final int BAR_H = 15;

    /** A horizontal bar chart: labels left, bars on a shared linear axis from 0, values at the bar ends. */
    private static void hbars(StringBuilder o, String title, List<Group> groups, double max, String axisLabel,
                              boolean integerTicks) {
        if (groups.isEmpty()) {
            o.append("<svg viewBox=\"0 0 ").append(CHART_W).append(" 36\" role=\"img\" aria-label=\"")
                    .append(esc(title)).append(": nothing to show\"><text x=\"").append(CHART_W / 2)
                    .append("\" y=\"22\" text-anchor=\"middle\" class=\"axis\">nothing to show</text></svg>\n");
            return;
        }
        double labelW = 30;
        double valueW = 30;
        for (Group g : groups) {
            labelW = Math.max(labelW, textWidth(g.label(), 12));
            for (Bar b : g.bars()) {
                valueW = Math.max(valueW, textWidth(b.text(), 11));
            }
        }
        labelW = Math.min(MAX_LABEL_W, labelW);
        valueW = Math.min(160, valueW + 8);
        double x0 = labelW + 10;
        double plotW = CHART_W - x0 - valueW;
        double[] ticks = ticks(max, integerTicks);
        double axisMax = ticks[ticks.length - 1];

        boolean allSingle = groups.stream().allMatch(g -> g.bars().size() == 1);
        int groupGap = allSingle ? 5 : 10;
        double top = 6;
        double y = top;
        StringBuilder body = new StringBuilder();
        for (Group g : groups) {
            double gy = y;
            for (Bar b : g.bars()) {
                double w = axisMax <= 0 ? 0 : Math.max(0, b.value()) / axisMax * plotW;
                if (b.value() > 0 && w < 1.5) {
                    w = 1.5; // a small non-zero value stays visible
                }
                body.append("<rect x=\"").append(f(x0)).append("\" y=\"").append(f(y)).append("\" width=\"")
                        .append(f(w)).append("\" height=\"").append(BAR_H).append("\" fill=\"").append(b.colour())
                        .append('"');
                if (b.light()) {
                    body.append(" fill-opacity=\"0.38\" stroke=\"").append(b.colour()).append("\" stroke-width=\"1\"");
                }
                body.append("><title>").append(esc(b.who() + ": " + b.text())).append("</title></rect>");
                body.append("<text class=\"val\" x=\"").append(f(x0 + w + 5)).append("\" y=\"").append(f(y + BAR_H / 2.0))
                        .append("\" dominant-baseline=\"central\">").append(esc(b.text())).append("</text>\n");
                y += BAR_H + 3;
            }
            double gh = y - 3 - gy;
            String label = g.label();
            String shown = fit(label, labelW, 12);
            body.append("<text x=\"").append(f(x0 - 8)).append("\" y=\"").append(f(gy + gh / 2))
                    .append("\" text-anchor=\"end\" dominant-baseline=\"central\">");
            if (!shown.equals(label)) {
                body.append("<title>").append(esc(label)).append("</title>");
            }
            body.append(esc(shown)).append("</text>\n");
            y += groupGap;
        }
        double bottom = y - groupGap + 3;
        double height = bottom + 38;
        o.append("<svg viewBox=\"0 0 ").append(CHART_W).append(' ').append(f(height))
                .append("\" role=\"img\" aria-label=\"").append(esc(title)).append("\">\n");
        for (double t : ticks) {
            double x = x0 + (axisMax <= 0 ? 0 : t / axisMax * plotW);
            o.append("<line class=\"grid\" x1=\"").append(f(x)).append("\" x2=\"").append(f(x)).append("\" y1=\"")
                    .append(f(top - 3)).append("\" y2=\"").append(f(bottom)).append("\"/>");
            o.append("<text class=\"tick\" x=\"").append(f(x)).append("\" y=\"").append(f(bottom + 14))
                    .append("\" text-anchor=\"middle\">").append(esc(tickLabel(t, ticks))).append("</text>\n");
        }
        o.append("<line class=\"base\" x1=\"").append(f(x0)).append("\" x2=\"").append(f(x0)).append("\" y1=\"")
                .append(f(top - 3)).append("\" y2=\"").append(f(bottom)).append("\"/>\n");
        o.append(body);
        o.append("<text class=\"axis\" x=\"").append(f(x0 + plotW / 2)).append("\" y=\"").append(f(bottom + 31))
                .append("\" text-anchor=\"middle\">").append(esc(axisLabel)).append("</text>\n");
        o.append("</svg>\n");
    }

    /**
     * About how wide {@code s} is in a sans-serif font of {@code px} pixels, erring wide:
     * the page names no font, so the browser picks one (DejaVu Sans is among the widest).
     */
    static double textWidth(String s, double px) {
        double em = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ("iljtf.,:;!|'()[] ".indexOf(c) >= 0) {
                em += 0.36;
            } else if (c == 'm' || c == 'w' || c == 'M' || c == 'W') {
                em += 0.95;
            } else if (Character.isUpperCase(c) || c == '_' || c == '%' || c == '&') {
                em += 0.74;
            } else if (Character.isDigit(c)) {
                em += 0.64;
            } else {
                em += 0.62;
            }
        }
        return em * px;
    }

    /** {@code s}, cut short with an ellipsis if wider than {@code width}. */
    private static String fit(String s, double width, double px) {
        if (textWidth(s, px) <= width) {
            return s;
        }
        int n = s.length();
        while (n > 1 && textWidth(s.substring(0, n) + "\u2026", px) > width) {
            n--;
        }
        return s.substring(0, n) + "\u2026";
    }

    /** Round ticks from 0 to at least {@code max}: steps of 1, 2 or 5 times a power of ten, about five of them. */
    static double[] ticks(double max, boolean integers) {
        if (!(max > 0) || !Double.isFinite(max)) {
            return new double[] {0, 1};
        }
        double raw = max / 5;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step;
        if (raw <= mag) {
            step = mag;
        } else if (raw <= 2 * mag) {
            step = 2 * mag;
        } else if (raw <= 5 * mag) {
            step = 5 * mag;
        } else {
            step = 10 * mag;
        }
        if (integers) {
            step = Math.max(1, Math.ceil(step));
        }
        int n = (int) Math.ceil(max / step - 1e-9);
        double[] t = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            t[i] = i * step;
        }
        return t;
    }

    private static String tickLabel(double t, double[] ticks) {
        double step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
        int decimals = step >= 1 ? 0 : (int) Math.ceil(-Math.log10(step) - 1e-9);
        if (Math.abs(step * Math.pow(10, decimals) - Math.round(step * Math.pow(10, decimals))) > 1e-6) {
            decimals++;
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", t);
    }

    private record TimeUnitChoice(double ns, String label) {
        static TimeUnitChoice of(long maxNs) {
            if (maxNs >= 1_000_000_000L) {
                return new TimeUnitChoice(1e9, "s");
            }
            if (maxNs >= 1_000_000L) {
                return new TimeUnitChoice(1e6, "ms");
            }
            if (maxNs >= 1_000L) {
                return new TimeUnitChoice(1e3, "\u00b5s");
            }
            return new TimeUnitChoice(1, "ns");
        }
    }

    private record ByteUnitChoice(double bytes, String label) {
        static ByteUnitChoice of(long max) {
            if (max >= 1L << 30) {
                return new ByteUnitChoice(1L << 30, "GiB");
            }
            if (max >= 1L << 20) {
                return new ByteUnitChoice(1L << 20, "MiB");
            }
            if (max >= 1L << 10) {
                return new ByteUnitChoice(1L << 10, "KiB");
            }
            return new ByteUnitChoice(1, "bytes");
        }
    }

    /** A colour per combination name, the same in every scenario, in order of first appearance. */
    private static Map<String, String> colours(Matrix m) {
        Map<String, String> c = new LinkedHashMap<>();
        for (Row r : m.rows()) {
            if (!c.containsKey(r.combination())) {
                int i = c.size();
                c.put(r.combination(), i < PALETTE.length ? PALETTE[i]
                        : String.format(Locale.ROOT, "hsl(%d, 55%%, 48%%)", Math.round((i * 137.508) % 360)));
            }
        }
        return c;
    }

    /** Escapes text for HTML content and attribute values (and so for inline SVG too). */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (ch < 0x20 && ch != '\n' && ch != '\t') {
                        b.append(' '); // control characters are not allowed in HTML text
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        return b.toString();
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    // ---- shared ------------------------------------------------------------------------

    private static Map<String, List<Row>> byScenario(Matrix m) {
        Map<String, List<Row>> by = new LinkedHashMap<>();
        for (Row r : m.rows()) {
            by.computeIfAbsent(r.scenario(), k -> new ArrayList<>()).add(r);
        }
        return by;
    }

    /** The kinds seen in at least one run of the row, in the kinds' declared order. */
    private static Set<FindingKind> kinds(Row r) {
        Set<FindingKind> k = EnumSet.noneOf(FindingKind.class);
        for (Map.Entry<FindingKind, Integer> e : r.runsWithFinding().entrySet()) {
            if (e.getValue() != null && e.getValue() > 0) {
                k.add(e.getKey());
            }
        }
        return k;
    }

    /** Strategy families over all rows, the known ones in report order first. */
    private static List<String> families(Matrix m) {
        Set<String> f = new LinkedHashSet<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Row r : m.rows()) {
            seen.addAll(r.choices().keySet());
        }
        for (String family : Families.defaults().keySet()) {
            if (seen.contains(family)) {
                f.add(family);
            }
        }
        f.addAll(seen);
        return new ArrayList<>(f);
    }

    /** {@code family=name} for every choice that is not the kernel's default. */
    private static List<String> nonDefaultChoices(Row r) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : r.choices().entrySet()) {
            if (!e.getValue().equals(Families.defaults().get(e.getKey()))) {
                out.add(e.getKey() + "=" + e.getValue());
            }
        }
        return out;
    }

    private static String fixed(double v, int decimals) {
        if (!Double.isFinite(v)) {
            return "-";
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** A simulated duration with a unit that keeps it short: 850 ns, 12.3 us, 4.56 ms, 1.20 s. */
    static String duration(long ns, String micro) {
        if (ns == 0) {
            return "0 ns";
        }
        long a = Math.abs(ns);
        if (a < 1_000) {
            return ns + " ns";
        }
        if (a < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f %s", ns / 1e3, micro);
        }
        if (a < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.2f ms", ns / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f s", ns / 1e9);
    }

    /** Bytes as MiB, with enough decimals that small amounts do not read as zero. */
    static String mib(double bytes) {
        double v = bytes / MIB;
        if (v == 0) {
            return "0";
        }
        if (v < 0.1) {
            return String.format(Locale.ROOT, "%.3f", v);
        }
        if (v < 10) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** Bytes with a binary unit: 512 B, 16.0 KiB, 3.25 MiB, 1.50 GiB. */
    static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        if (b < 1L << 20) {
            return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
        }
        if (b < 1L << 30) {
            return String.format(Locale.ROOT, "%.2f MiB", b / MIB);
        }
        return String.format(Locale.ROOT, "%.2f GiB", b / (double) (1L << 30));
    }

    private static String wall(long millis) {
        return millis < 10_000 ? millis + " ms" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    /** Writes {@link #text} to a writer, for symmetry with the other formats. Leaves it open (flushed). */
    public static void text(Matrix m, Writer out) throws IOException {
        out.write(text(m));
        out.flush();
    }
}
