package org.pinlab.scenarios.report;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import org.pinlab.api.finding.FindingKind;
import org.pinlab.scenarios.Comparison.Row;

/**
 * RFC 4180 CSV (CRLF line ends, fields quoted when they hold a comma, quote, CR or LF): a
 * header row, then one row per scenario and combination. Columns: scenario, combination, one
 * per strategy family (the choice), runs, one per finding kind (runs that saw it), the
 * figures with their units in their names, and the expectations.
 */
final class CsvRenderer implements Renderer<Report> {

    private static final List<String> FIGURES = List.of("dmaMibPerSecond", "writebackP50Ns", "writebackP99Ns",
            "fsyncP50Ns", "fsyncP99Ns", "unreclaimableEvents", "peakDmaPages", "peakDmaBytes", "peakBouncePages",
            "peakBounceBytes", "copyBytes", "meetsExpectations", "violations", "syscallErrors");

    @Override
    public void render(Report report, Writer out) throws IOException {
        List<String> header = new ArrayList<>();
        header.add("scenario");
        header.add("combination");
        header.addAll(report.families());
        header.add("runs");
        for (FindingKind k : FindingKind.values()) {
            header.add(k.name());
        }
        header.addAll(FIGURES);
        line(out, header);
        for (Report.Entry e : report.entries()) {
            line(out, fields(e, report.families()));
        }
        out.flush();
    }

    private static List<String> fields(Report.Entry e, List<String> families) {
        Row r = e.row();
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
        f.add(Long.toString(e.peakDmaBytes()));
        f.add(Long.toString(r.peakBouncePages()));
        f.add(Long.toString(e.peakBounceBytes()));
        f.add(Long.toString(r.copyBytes()));
        f.add(Boolean.toString(r.meetsExpectations()));
        f.add(String.join("; ", r.violations()));
        List<String> errors = new ArrayList<>();
        r.runsWithError().forEach((error, runs) -> errors.add(error + "=" + runs));
        f.add(String.join("; ", errors));
        return f;
    }

    private static void line(Writer out, List<String> fields) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(field(fields.get(i)));
        }
        out.write("\r\n");
    }

    /** A field as RFC 4180 wants it: quoted, with quotes doubled, if it holds a comma, quote, CR or LF. */
    static String field(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\r') < 0 && s.indexOf('\n') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /** A number without exponent or trailing zeros, empty when it is not a number. */
    private static String plain(double v) {
        if (!Double.isFinite(v)) {
            return "";
        }
        return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }
}
