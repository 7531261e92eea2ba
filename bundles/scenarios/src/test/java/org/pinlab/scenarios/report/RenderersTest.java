package org.pinlab.scenarios.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.pinlab.api.families.Families;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.scenarios.JsonTree;

class RenderersTest {

    private static final String RDMA = ReportFixtures.RDMA;
    private static final String EVIL = ReportFixtures.EVIL;

    private static String render(Format f) {
        return f.reportRenderer().render(Report.of(ReportFixtures.handWritten()));
    }

    @Test
    void textIsAlignedAndShowsFindingsWithTheirFirstSeed() {
        String t = render(Format.TABLE);
        assertTrue(t.contains("BUG 12/50 (first seed 3)"), t);
        assertTrue(t.contains("LOST_WRITE 50/50 (first seed 1)"), t);
        assertTrue(t.contains("DEADLOCK 1/10 (first seed 7)"), t);
        assertTrue(t.contains("812.5"), t);
        assertTrue(t.contains("1.25 ms / 48.00 ms"), t);
        assertTrue(t.contains("16.0 "), "4096 pages of 4 KiB are 16 MiB pinned:\n" + t);
        assertTrue(t.contains("release=fixed"), t);
        assertTrue(t.contains("expected WARN in some run, saw none"), t);
        assertTrue(t.contains("2 of 3 combinations meet"), t);
        // columns line up: the figures table's "DMA MiB/s" ends where each row's figure ends
        String[] lines = t.split("\n");
        String header = null;
        for (String l : lines) {
            if (l.startsWith("combination") && l.contains("DMA MiB/s")) {
                header = l;
            }
        }
        int end = header.indexOf("DMA MiB/s") + "DMA MiB/s".length();
        for (String l : lines) {
            if (l.contains("812.5")) {
                assertEquals(end, l.indexOf("812.5") + "812.5".length(), t);
            }
            if (l.contains("640.3")) {
                assertEquals(end, l.indexOf("640.3") + "640.3".length(), t);
            }
        }
    }

    @Test
    void jsonParsesBackWithTheFigures() throws IOException {
        Map<String, Object> root = JsonTree.object(JsonTree.parse(render(Format.JSON)));
        assertEquals(50L, root.get("seeds"));
        assertEquals(8L, root.get("threads"));
        assertEquals(1234L, root.get("wallMillis"));
        List<Object> rows = JsonTree.array(root.get("rows"));
        assertEquals(3, rows.size());
        Map<String, Object> a = JsonTree.object(rows.get(0));
        assertEquals(RDMA, a.get("scenario"));
        assertEquals("legacy", a.get("combination"));
        assertEquals(50L, a.get("runs"));
        assertEquals(Map.of("BUG", 12L, "LOST_WRITE", 50L), a.get("runsWithFinding"));
        assertEquals(Map.of("BUG", 3L, "LOST_WRITE", 1L), a.get("firstSeed"));
        assertEquals(812.5, JsonTree.number(a.get("dmaMibPerSecond")), 1e-9);
        assertEquals(1_250_000L, a.get("writebackP50Ns"));
        assertEquals(48_000_000L, a.get("writebackP99Ns"));
        assertEquals(2_000_000L, a.get("fsyncP50Ns"));
        assertEquals(95_000_000L, a.get("fsyncP99Ns"));
        assertEquals(340L, a.get("unreclaimableEvents"));
        assertEquals(4096L, a.get("peakDmaPages"));
        assertEquals(16L << 20, a.get("peakDmaBytes"));
        assertEquals(false, a.get("meetsExpectations"));
        assertEquals(List.of("expected WARN in some run, saw none"), a.get("violations"));
        Map<String, Object> b = JsonTree.object(rows.get(1));
        assertEquals("fixed", JsonTree.object(b.get("choices")).get("release"));
        assertEquals(Map.of(), b.get("runsWithFinding"));
        assertEquals(1024L, b.get("peakBouncePages"));
        assertEquals(150_000_000L, b.get("copyBytes"));
        assertEquals(true, b.get("meetsExpectations"));
        Map<String, Object> c = JsonTree.object(rows.get(2));
        assertEquals(EVIL, c.get("scenario"));
        assertEquals("a\"b", c.get("combination"));
        // every figure names its unit
        for (String field : a.keySet()) {
            if (a.get(field) instanceof Number && !field.equals("runs") && !field.equals("fsyncCalls")) { // counts
                assertTrue(field.matches(".*(Ns|Pages|Bytes|PerSecond|Events)"), field);
            }
        }
    }

    @Test
    void csvHasAHeaderAColumnPerKindAndQuotesWhatNeedsIt() {
        String csv = render(Format.CSV);
        assertTrue(csv.endsWith("\r\n"));
        assertTrue(csv.contains("\"seed-001: rdma, ext4\",legacy,"), csv);
        assertTrue(csv.contains(",\"a\"\"b\","), "a quote is doubled inside a quoted field:\n" + csv);
        List<List<String>> records = parseCsv(csv);
        assertEquals(4, records.size());
        List<String> header = records.get(0);
        assertEquals("scenario", header.get(0));
        assertEquals("combination", header.get(1));
        for (FindingKind k : FindingKind.values()) {
            assertTrue(header.contains(k.name()), k.name());
        }
        for (String f : List.of("release", "writeback", "runs", "dmaMibPerSecond", "writebackP50Ns",
                "writebackP99Ns", "fsyncP50Ns", "fsyncP99Ns", "unreclaimableEvents", "peakDmaPages",
                "peakBouncePages", "copyBytes", "violations")) {
            assertTrue(header.contains(f), f);
        }
        for (List<String> r : records) {
            assertEquals(header.size(), r.size(), r.toString());
        }
        List<String> a = records.get(1);
        assertEquals(RDMA, a.get(0));
        assertEquals("12", a.get(header.indexOf("BUG")));
        assertEquals("50", a.get(header.indexOf("LOST_WRITE")));
        assertEquals("0", a.get(header.indexOf("WARN")));
        assertEquals("812.5", a.get(header.indexOf("dmaMibPerSecond")));
        assertEquals("48000000", a.get(header.indexOf("writebackP99Ns")));
        assertEquals("legacy", a.get(header.indexOf("release")));
        assertEquals("fixed", records.get(2).get(header.indexOf("release")));
        assertEquals("150000000", records.get(2).get(header.indexOf("copyBytes")));
        assertEquals(EVIL, records.get(3).get(0));
        assertEquals("a\"b", records.get(3).get(1));
    }

    @Test
    void htmlIsSelfContainedHasTheChartsAndEscapesText() {
        String html = render(Format.HTML);
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertFalse(html.contains("http://"), "no reference to anything outside the file");
        assertFalse(html.contains("https://"), "no reference to anything outside the file");
        assertFalse(html.toLowerCase().contains("<script"), "no script at all, and the scenario name is escaped");
        assertFalse(html.contains("src="), "nothing is loaded");
        assertFalse(html.contains("@import") || html.contains("url("), "no external CSS or fonts");
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co"));
        assertTrue(html.contains("a&quot;b"));
        // five charts per scenario: findings, DMA, writeback, memory, copies
        assertEquals(2 * 5, count(html, "<svg "));
        assertEquals(count(html, "<svg "), count(html, "</svg>"));
        assertTrue(html.contains("12/50"), "finding bars carry their value");
        assertTrue(html.contains("812.5 MiB/s"));
        assertTrue(html.contains("p99 48.00 ms"));
        // the same combination has the same colour in every scenario's charts
        Matcher m = Pattern.compile("<title>legacy: [^<]*</title>").matcher(html);
        assertTrue(m.find());
        Matcher fills = Pattern.compile("fill=\"(#[0-9a-f]{6})\"[^>]*><title>legacy[:\\s]").matcher(html);
        String colour = null;
        int seen = 0;
        while (fills.find()) {
            if (colour == null) {
                colour = fills.group(1);
            }
            assertEquals(colour, fills.group(1));
            seen++;
        }
        assertTrue(seen >= 5, "legacy bars in several charts: " + seen);
    }

    @Test
    void markdownIsOneTableRowPerCombinationWithTheTablesCellsEscaped() {
        String md = render(Format.MARKDOWN);
        List<String> rows = md.lines().filter(l -> l.startsWith("| ")).toList();
        assertEquals(2 + 3, rows.size(), "header, alignment row and one row per combination:\n" + md);
        int columns = TableRenderer.HEADER.length;
        for (String row : rows) {
            assertEquals(columns + 1, row.replace("\\|", "").chars().filter(c -> c == '|').count(), row);
        }
        assertTrue(rows.get(1).startsWith("| --- | --- | --- | ---: |"), "figures align right: " + rows.get(1));
        assertTrue(md.contains("| BUG 12/50 (first seed 3)<br>LOST\\_WRITE 50/50 (first seed 1) |"), md);
        assertTrue(md.contains("| release=fixed<br>writeback=stable |"), md);
        assertTrue(md.contains("&lt;script&gt;alert('x')&lt;/script&gt; &amp; co"), "no raw HTML reaches GitHub:\n" + md);
        assertFalse(md.contains("<script"), md);
        assertTrue(md.endsWith("2 of 3 combinations meet their scenario's expectations.\n"), md);
    }

    @Test
    void markdownEscapesWhatWouldBreakTheTableOrTurnIntoMarkup() {
        assertEquals("a\\|b \\_c\\_ \\*d\\* e", MarkdownRenderer.escape("a|b _c_ *d*\ne"));
    }

    @Test
    void aFormatIsChosenByTheNameAUserTypes() {
        assertEquals(List.of("table", "markdown", "json", "csv", "html", "perfetto"), Format.ids());
        assertEquals(Format.MARKDOWN, Format.named("Markdown"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Format.named("yaml"));
        assertEquals("no format named 'yaml'; formats: table, markdown, json, csv, html, perfetto", e.getMessage());
    }

    @Test
    void perfettoRendersATraceNotAReport() {
        assertFalse(Format.PERFETTO.rendersReports());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Format.PERFETTO::reportRenderer);
        assertTrue(e.getMessage().contains("pinlab:trace"), e.getMessage());
        for (Format f : Format.values()) {
            if (f != Format.PERFETTO) {
                assertTrue(f.rendersReports(), f.id());
                assertFalse(render(f).isEmpty(), f.id());
            }
        }
    }

    @Test
    void ticksAreRoundAndCoverTheMaximum() {
        double[] t = BarChart.ticks(47, true);
        assertEquals(0, t[0]);
        assertTrue(t[t.length - 1] >= 47);
        assertEquals(10, t[1] - t[0], 1e-9);
        double[] small = BarChart.ticks(0.37, false);
        assertTrue(small[small.length - 1] >= 0.37);
        assertEquals(0.1, small[1], 1e-12);
        assertEquals(2, BarChart.ticks(0, false).length);
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    /** RFC 4180 records: CRLF between records, quoted fields may hold commas, quotes (doubled) and line breaks. */
    static List<List<String>> parseCsv(String s) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        boolean quoted = false;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < s.length() && s.charAt(i + 1) == '"') {
                    field.append('"');
                    i += 2;
                    continue;
                }
                if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
                i++;
                continue;
            }
            if (c == '"') {
                if (field.length() != 0) {
                    throw new IllegalArgumentException("quote inside an unquoted field at " + i);
                }
                quoted = true;
            } else if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                record.add(field.toString());
                field.setLength(0);
                records.add(record);
                record = new ArrayList<>();
                i++;
            } else if (c == '\n' || c == '\r') {
                throw new IllegalArgumentException("bare line break at " + i);
            } else {
                field.append(c);
            }
            i++;
        }
        if (quoted || field.length() != 0 || !record.isEmpty()) {
            throw new IllegalArgumentException("unterminated last record");
        }
        return records;
    }
}
