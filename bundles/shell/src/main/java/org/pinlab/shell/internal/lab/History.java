package org.pinlab.shell.internal.lab;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.pinlab.api.finding.Finding;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.scenarios.Comparison;
import org.pinlab.scenarios.RunResult;

/** The findings of the last runs, explorations and comparisons of this Karaf, newest last. */
@Component(service = History.class)
public class History {

    /**
     * One finding, with the command that shows it again.
     *
     * @param origin  the command that found it: run, replay, explore or compare
     * @param replay  the command that reproduces it
     */
    public record Entry(long number, String origin, String scenario, String combination, long seed, FindingKind kind,
                        String message, String replay) {
    }

    static final int KEEP = 1000;

    private final Deque<Entry> entries = new ArrayDeque<>();
    private RunResult last;
    private long counter;

    /** Records the findings of one run; {@code replay} is the command that runs it again. */
    public synchronized void run(String origin, RunResult r, String replay) {
        last = r;
        for (Finding f : r.findings()) {
            add(origin, r.scenario(), r.combination(), r.seed(), f.kind(), f.message(), replay);
        }
    }

    /** Records the first seed of every finding kind of every row of a comparison. */
    public synchronized void compare(Comparison.Matrix m) {
        for (Comparison.Row row : m.rows()) {
            for (Map.Entry<FindingKind, Long> e : row.firstSeed().entrySet()) {
                add("compare", row.scenario(), row.combination(), e.getValue(), e.getKey(),
                        row.runsWithFinding().get(e.getKey()) + " of " + row.runs() + " seeds",
                        "pinlab:run -c " + row.combination() + " -s " + e.getValue() + " " + row.scenario());
            }
        }
    }

    private void add(String origin, String scenario, String combination, long seed, FindingKind kind, String message,
                     String replay) {
        entries.addLast(new Entry(++counter, origin, scenario, combination, seed, kind, message, replay));
        while (entries.size() > KEEP) {
            entries.removeFirst();
        }
    }

    /** The newest {@code n} findings, oldest first. */
    public synchronized List<Entry> last(int n) {
        List<Entry> all = List.copyOf(entries);
        return all.subList(Math.max(0, all.size() - n), all.size());
    }

    /** The last single run (run, replay or the failing run of an exploration), or null. */
    public synchronized RunResult lastRun() {
        return last;
    }
}
