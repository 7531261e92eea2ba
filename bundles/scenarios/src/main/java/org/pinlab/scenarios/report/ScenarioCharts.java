package org.pinlab.scenarios.report;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.pinlab.api.finding.FindingKind;
import org.pinlab.scenarios.Comparison.Row;
import org.pinlab.scenarios.report.BarChart.Bar;
import org.pinlab.scenarios.report.BarChart.Group;

/**
 * The HTML report's section for one scenario: a legend of its combinations, then five bar
 * charts comparing them (runs with each finding, DMA throughput, writeback latency, memory
 * held, bytes copied), each in the unit that keeps its figures readable.
 */
final class ScenarioCharts {

    private static final String MICRO = "\u00b5s";

    private final List<Report.Entry> rows;
    private final Map<String, String> colours;
    private final StringBuilder o;

    private ScenarioCharts(StringBuilder o, List<Report.Entry> rows, Map<String, String> colours) {
        this.o = o;
        this.rows = rows;
        this.colours = colours;
    }

    /** The section of one scenario: its legend and its five charts. */
    static void write(StringBuilder o, Report.Section section, Map<String, String> colours) {
        o.append("<section>\n<h2>").append(HtmlRenderer.esc(section.scenario())).append("</h2>\n<div class=\"legend\">");
        for (Report.Entry e : section.entries()) {
            String combination = e.row().combination();
            o.append("<span class=\"item\">").append(HtmlRenderer.swatch(colours.get(combination)))
                    .append(HtmlRenderer.esc(combination)).append("</span>");
        }
        o.append("</div>\n<div class=\"grid\">\n");
        ScenarioCharts charts = new ScenarioCharts(o, section.entries(), colours);
        charts.findings();
        charts.dma();
        charts.writeback();
        charts.memory();
        charts.copies();
        o.append("</div>\n</section>\n");
    }

    /** Runs with each finding kind, grouped by kind, one bar per combination. */
    private void findings() {
        Set<FindingKind> kinds = EnumSet.noneOf(FindingKind.class);
        int maxRuns = 1;
        for (Report.Entry e : rows) {
            kinds.addAll(e.kinds());
            maxRuns = Math.max(maxRuns, e.row().runs());
        }
        List<Group> findings = new ArrayList<>();
        for (FindingKind k : kinds) {
            List<Bar> bars = new ArrayList<>();
            for (Report.Entry e : rows) {
                Row r = e.row();
                int n = r.runsWithFinding().getOrDefault(k, 0);
                bars.add(new Bar(r.combination(), colours.get(r.combination()), n, n + "/" + r.runs(), false));
            }
            findings.add(new Group(k.name(), bars));
        }
        card("Runs with each finding", kinds.isEmpty() ? "No combination saw a finding in any run."
                : "Bars are combinations (colours as in the legend), grouped by finding kind.", findings, maxRuns,
                "runs with the finding", true);
    }

    private void dma() {
        List<Group> dma = new ArrayList<>();
        double maxDma = 0;
        for (Report.Entry e : rows) {
            double v = Double.isFinite(e.row().dmaMibPerSecond()) ? e.row().dmaMibPerSecond() : 0;
            maxDma = Math.max(maxDma, v);
            dma.add(single(e.row(), v, Quantities.fixed(v, 1) + " MiB/s"));
        }
        card("DMA write throughput", "Mean over runs; higher is better.", dma, maxDma,
                "MiB per simulated second", false);
    }

    private void writeback() {
        long maxWb = 0;
        for (Report.Entry e : rows) {
            maxWb = Math.max(maxWb, Math.max(e.row().writebackP99Ns(), e.row().writebackP50Ns()));
        }
        TimeUnitChoice tu = TimeUnitChoice.of(maxWb);
        List<Group> wb = new ArrayList<>();
        for (Report.Entry e : rows) {
            Row r = e.row();
            wb.add(pair(r, "p99", r.writebackP99Ns() / tu.ns, Quantities.duration(r.writebackP99Ns(), MICRO),
                    "p50", r.writebackP50Ns() / tu.ns, Quantities.duration(r.writebackP50Ns(), MICRO)));
        }
        card("Writeback latency, dirtying to clean", "Solid: worst p99 of any run; light: median p50. "
                + "Lower is better.", wb, maxWb / tu.ns, "simulated " + tu.label, false);
    }

    private void memory() {
        long maxMem = 0;
        for (Report.Entry e : rows) {
            maxMem = Math.max(maxMem, Math.max(e.peakDmaBytes(), e.peakBounceBytes()));
        }
        ByteUnitChoice mu = ByteUnitChoice.of(maxMem);
        List<Group> mem = new ArrayList<>();
        for (Report.Entry e : rows) {
            mem.add(pair(e.row(), "pinned", e.peakDmaBytes() / mu.bytes, Quantities.bytes(e.peakDmaBytes()),
                    "bounce", e.peakBounceBytes() / mu.bytes, Quantities.bytes(e.peakBounceBytes())));
        }
        card("Memory held by pins and bounce pages", "Peak over runs. Solid: pages held by device mappings; "
                + "light: bounce pages.", mem, maxMem / mu.bytes, mu.label, false);
    }

    private void copies() {
        long maxCopy = 0;
        for (Report.Entry e : rows) {
            maxCopy = Math.max(maxCopy, e.row().copyBytes());
        }
        ByteUnitChoice cu = ByteUnitChoice.of(maxCopy);
        List<Group> copy = new ArrayList<>();
        for (Report.Entry e : rows) {
            Row r = e.row();
            copy.add(single(r, r.copyBytes() / cu.bytes, Quantities.bytes(r.copyBytes())));
        }
        card("Bytes copied", "Bounce buffers and writeback snapshots, summed over runs.", copy,
                maxCopy / cu.bytes, cu.label, false);
    }

    private Group single(Row r, double value, String text) {
        return new Group(r.combination(), List.of(new Bar(r.combination(), colours.get(r.combination()), value, text,
                false)));
    }

    /** Two bars of one combination: the first solid, the second light; each text leads with its label. */
    private Group pair(Row r, String solid, double solidValue, String solidText, String light, double lightValue,
                       String lightText) {
        String c = colours.get(r.combination());
        return new Group(r.combination(), List.of(
                new Bar(r.combination() + " " + solid, c, solidValue, solid + " " + solidText, false),
                new Bar(r.combination() + " " + light, c, lightValue, light + " " + lightText, true)));
    }

    private void card(String title, String note, List<Group> groups, double max, String axisLabel,
                      boolean integerTicks) {
        if (!groups.isEmpty() && !(max > 0)) {
            note += " Every value is 0.";
        }
        o.append("<div class=\"card\">\n<h3>").append(HtmlRenderer.esc(title)).append("</h3>\n<p class=\"note\">")
                .append(HtmlRenderer.esc(note)).append("</p>\n");
        BarChart.draw(o, title, groups, max, axisLabel, integerTicks);
        o.append("</div>\n");
    }

    /** The unit a latency chart's axis counts in: the largest that keeps its maximum at 1 or more. */
    private record TimeUnitChoice(double ns, String label) {
        static TimeUnitChoice of(long maxNs) {
            if (maxNs >= 1_000_000_000L) {
                return new TimeUnitChoice(1e9, "s");
            }
            if (maxNs >= 1_000_000L) {
                return new TimeUnitChoice(1e6, "ms");
            }
            if (maxNs >= 1_000L) {
                return new TimeUnitChoice(1e3, MICRO);
            }
            return new TimeUnitChoice(1, "ns");
        }
    }

    /** The unit a memory chart's axis counts in, chosen the same way. */
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
}
