package org.pinlab.scenarios.report;

import java.io.IOException;
import java.io.Writer;
import java.util.Locale;

import org.pinlab.scenarios.Explorer;

/** An exploration's result as the console prints it after the progress lines. */
final class ExplorationTableRenderer implements Renderer<ExplorationReport> {

    @Override
    public void render(ExplorationReport r, Writer out) throws IOException {
        Explorer.Outcome o = r.outcome();
        out.write(String.format(Locale.ROOT, "%s in %.1f s (%s, %s per run)%s%n",
                Counts.of(o.schedules(), "schedule"), o.wallMillis() / 1000.0, Counts.of(o.tasks(), "task"),
                Counts.grouped(o.steps(), "step"),
                r.interrupted() ? ", stopped by Ctrl-C" : ""));
        out.write("schedules with findings: " + Report.countsByKind(o.schedulesWithFinding()) + System.lineSeparator());
        if (!Double.isNaN(o.missBound())) {
            // PCT's guarantee (Burckhardt et al., 2010): a schedule hits a depth-d bug with
            // probability at least 1/(n k^(d-1)); the bound after N schedules is that, N times
            out.write(String.format(Locale.ROOT, "PCT guarantee: each schedule finds a depth-%d bug with probability at"
                    + " least 1 in %.3g (%s, %s); after %s at least %s%n", r.depth(), r.pctOneIn(),
                    Counts.of(o.tasks(), "task"), Counts.grouped(o.steps(), "step"), Counts.of(o.schedules(), "schedule"),
                    percent(1 - o.missBound())));
        }
        if (r.failing() == null) {
            out.write("no failing schedule found" + System.lineSeparator());
            out.flush();
            return;
        }
        out.write(String.format(Locale.ROOT, "first failing schedule: seed %d, %s, shrunk to %d in %s%s%n",
                r.failing().seed(), Counts.of(o.preemptionsBefore(), "preemption"), o.preemptionsAfter(),
                Counts.of(o.shrinkRuns(), "run"),
                o.shrinkBounded() ? " (shrinking stops there: the replay below is exact, but some of its"
                        + " preemptions may not be needed)" : ""));
        if (r.finding() != null) {
            for (String line : r.finding().describe().lines().toList()) {
                out.write("  " + line + System.lineSeparator());
            }
        }
        out.write(String.format(Locale.ROOT, "preemptions: %s%ntrace hash %016x%n",
                o.preemptions().isEmpty() ? "none" : o.preemptions(), r.failing().traceHash()));
        out.write("replay: " + o.replayCommand() + System.lineSeparator());
        out.flush();
    }

    /** A probability as a percentage with three significant figures, never rounded up to 100%. */
    static String percent(double p) {
        double pct = 100 * p;
        return pct >= 99.95 && p < 1 ? "99.9%" : String.format(Locale.ROOT, "%.3g%%", pct);
    }
}
