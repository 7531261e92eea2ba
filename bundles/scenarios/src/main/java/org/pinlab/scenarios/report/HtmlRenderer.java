package org.pinlab.scenarios.report;

import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.pinlab.api.finding.FindingKind;
import org.pinlab.scenarios.Comparison.Row;

/**
 * One self-contained HTML page: inline CSS and inline SVG, no script and no reference to
 * anything outside the file. A summary, the table, then per scenario bar charts comparing its
 * combinations ({@link ScenarioCharts}); a combination has the same colour everywhere.
 */
final class HtmlRenderer implements Renderer<Report> {

    /** Tableau 10: distinguishable, and still apart for the common colour-vision deficiencies. */
    private static final String[] PALETTE = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
        "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};

    private static final String MICRO = "\u00b5s";

    @Override
    public void render(Report report, Writer out) throws IOException {
        Map<String, String> colours = colours(report);
        StringBuilder o = new StringBuilder(16_384);
        o.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>pinlab comparison</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        o.append("<header><h1>pinlab comparison</h1>\n<p class=\"meta\">").append(esc(report.summary()))
                .append("</p>\n");
        o.append("<p class=\"verdict ").append(report.allMeetExpectations() ? "ok" : "bad").append("\">")
                .append(report.meetingExpectations())
                .append(" of ").append(report.entries().size())
                .append(" combinations meet their scenario&#8217;s expectations.</p>\n</header>\n");
        table(o, report, colours);
        for (Report.Section s : report.sections()) {
            ScenarioCharts.write(o, s, colours);
        }
        o.append("<footer><p>All times are simulated. Writeback and fsync p50 are the median of the per-run medians, "
                + "p99 the worst per-run 99th percentile. DMA throughput is the mean over runs of the pages devices "
                + "wrote per simulated second. Peak pinned and bounce memory are the maximum over runs "
                + "(pages of ").append(Report.PAGE_SIZE).append(" bytes); unreclaimable (times reclaim met a pinned "
                + "page it could not free) and bytes copied are summed over runs.</p></footer>\n");
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
            .badge.errno { background: #fff3cd; color: #6b4e00; }
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

    private static void table(StringBuilder o, Report report, Map<String, String> colours) {
        o.append("<div class=\"tablewrap\"><table>\n<thead><tr><th>combination</th><th class=\"num\">runs</th>")
                .append("<th>findings: runs with it</th><th class=\"num\">DMA MiB/s</th>")
                .append("<th class=\"num\">writeback latency</th><th class=\"num\">fsync latency</th>")
                .append("<th class=\"num\" title=\"times reclaim met a pinned page it could not free\">")
                .append("unreclaim&shy;able</th><th class=\"num\">peak memory held</th>")
                .append("<th class=\"num\">bytes copied</th><th>expectations</th>")
                .append("</tr></thead>\n");
        for (Report.Section s : report.sections()) {
            o.append("<tbody>\n<tr class=\"scenario\"><th colspan=\"").append(TABLE_COLUMNS).append("\">")
                    .append(esc(s.scenario())).append("</th></tr>\n");
            for (Report.Entry e : s.entries()) {
                row(o, e, colours.get(e.row().combination()));
            }
            o.append("</tbody>\n");
        }
        o.append("</table></div>\n");
    }

    private static void row(StringBuilder o, Report.Entry e, String colour) {
        Row r = e.row();
        o.append("<tr><td>").append(swatch(colour)).append(esc(r.combination()));
        List<String> choices = e.nonDefaultChoices();
        o.append("<div class=\"choices\">").append(esc(choices.isEmpty() ? "defaults" : String.join(", ",
                choices))).append("</div></td>");
        o.append("<td class=\"num\">").append(r.runs()).append("</td>");
        findings(o, e);
        num(o, Quantities.fixed(r.dmaMibPerSecond(), 1));
        latencies(o, r.writebackP50Ns(), r.writebackP99Ns());
        if (r.fsyncCalls() == 0) {
            num(o, Quantities.NOT_APPLICABLE); // no run called fsync
        } else {
            pair(o, "p50", Quantities.duration(r.fsyncP50Ns(), MICRO), "p99", Quantities.duration(r.fsyncP99Ns(), MICRO));
        }
        num(o, Long.toString(r.unreclaimable()));
        pair(o, "pinned", Quantities.bytes(e.peakDmaBytes()), "bounce", Quantities.bytes(e.peakBounceBytes()));
        num(o, Quantities.bytes(r.copyBytes()));
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

    /** A badge per kind seen, red for the kinds that stop the machine, with the first seed that saw it. */
    private static void findings(StringBuilder o, Report.Entry e) {
        Row r = e.row();
        o.append("<td>");
        if (e.kinds().isEmpty() && e.errors().isEmpty()) {
            o.append("<span class=\"none\">none</span>");
        }
        for (FindingKind k : e.kinds()) {
            o.append("<div class=\"finding\"><span class=\"badge").append(k.stopsMachine() ? " stop" : "")
                    .append("\">").append(esc(k.name())).append(' ').append(r.runsWithFinding().get(k)).append('/')
                    .append(r.runs()).append("</span>");
            Long seed = r.firstSeed().get(k);
            if (seed != null) {
                o.append(" <span class=\"seed\">first seed ").append(seed).append("</span>");
            }
            o.append("</div>");
        }
        for (String error : e.errors()) {
            o.append("<div class=\"finding\"><span class=\"badge errno\">").append(esc(error)).append("</span></div>");
        }
        o.append("</td>");
    }

    /** Writeback p50 and p99 in one cell, or n/a where no run wrote a page back. */
    private static void latencies(StringBuilder o, long p50Ns, long p99Ns) {
        if (p99Ns == 0) {
            num(o, Quantities.NOT_APPLICABLE);
        } else {
            pair(o, "p50", Quantities.duration(p50Ns, MICRO), "p99", Quantities.duration(p99Ns, MICRO));
        }
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

    static String swatch(String colour) {
        return "<span class=\"swatch\" style=\"background:" + colour + "\"></span>";
    }

    /** A colour per combination name, the same in every scenario, in order of first appearance. */
    private static Map<String, String> colours(Report report) {
        Map<String, String> c = new LinkedHashMap<>();
        for (Report.Entry e : report.entries()) {
            Row r = e.row();
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
}
