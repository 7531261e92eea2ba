package org.pinlab.shell.internal.command;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.pinlab.api.lab.Family;
import org.pinlab.api.lab.Implementation;
import org.pinlab.api.lab.Lab;
import org.pinlab.api.lab.Pluggable;
import org.pinlab.kernel.Meter;
import org.pinlab.scenarios.LiveRun;
import org.pinlab.scenarios.report.Counts;
import org.pinlab.shell.internal.lab.LiveService;

/** The lab at a glance: each family's choice, and per bundle what the live run asked of it. */
@Service
@Command(scope = "pinlab", name = "status",
        description = "Shows the choice in force for every family, and per bundle that registered an implementation:"
                + " the live run's calls into it, the pages it holds pinned now, and the calls that failed.")
public class StatusCommand implements Action {

    @Reference
    Lab lab;

    @Reference
    LiveService live;

    @Option(name = "-i", aliases = "--implementations",
            description = "One row per implementation instead of one per bundle")
    boolean perImplementation;

    @Override
    public Object execute() {
        PrintStream out = System.out;
        ShellTable choices = new ShellTable();
        choices.column("Family");
        choices.column("In force");
        choices.column("Configured");
        for (Family<?> f : lab.families()) {
            if (f.kind() == Family.Kind.CHOSEN) {
                choices.addRow().addContent(f.name(), lab.effective(f), lab.configured(f));
            }
        }
        choices.print(out);

        LiveRun run = live.current();
        List<Meter.Count> counts = run == null ? List.of() : run.counts();
        if (run == null) {
            out.println("live: none started; the counters below fill once pinlab:live start runs a workload");
        } else {
            LiveRun.Status st = run.status();
            boolean over = st.state() == LiveRun.State.STOPPED || st.state() == LiveRun.State.FAILED;
            out.printf("live: %s, %s; counters over %s since it started%s%n", st.scenario(),
                    st.state().name().toLowerCase(Locale.ROOT), Counts.of(st.boots(), "boot"),
                    over ? " (the last run's, as it ended; nothing is held now)" : ", pages held as of the last slice");
        }
        table(rows(lab, counts, perImplementation), perImplementation).print(out);
        return null;
    }

    /** One bundle's (or one implementation's) line. */
    record Row(String bundle, String version, List<String> implementations, long calls, long pagesHeld,
               long errors) {
    }

    /**
     * Every registered implementation with the counts the live run has for it, grouped by
     * bundle (or not) and sorted by bundle, then implementation. An implementation the run
     * reached that is no longer registered keeps its counts under "(unregistered)".
     */
    static List<Row> rows(Lab lab, List<Meter.Count> counts, boolean perImplementation) {
        Map<String, Sum> out = new TreeMap<>();
        List<Meter.Count> unmatched = new ArrayList<>(counts);
        for (Family<?> f : lab.families()) {
            for (Implementation i : lab.available(f)) {
                Sum sum = sum(out, i.bundle(), i.bundleVersion(), f.name() + " " + i.name(), perImplementation);
                for (java.util.Iterator<Meter.Count> it = unmatched.iterator(); it.hasNext(); ) {
                    Meter.Count c = it.next();
                    if (isOf(f, i.name(), c.implementation())) {
                        sum.add(c);
                        it.remove();
                    }
                }
            }
        }
        for (Meter.Count c : unmatched) {
            sum(out, "(unregistered)", "", c.implementation().name(), perImplementation).add(c);
        }
        return out.values().stream().map(Sum::row).toList();
    }

    private static boolean isOf(Family<?> f, String name, Pluggable p) {
        return f.type().isInstance(p) && p.name().equals(name);
    }

    /** One row's figures while they are added up. */
    private static final class Sum {
        final String bundle;
        final String version;
        final List<String> implementations = new ArrayList<>();
        long calls;
        long pagesHeld;
        long errors;

        Sum(String bundle, String version) {
            this.bundle = bundle;
            this.version = version;
        }

        void add(Meter.Count c) {
            calls += c.calls();
            pagesHeld += c.pagesHeld();
            errors += c.errors();
        }

        Row row() {
            return new Row(bundle, version, List.copyOf(implementations), calls, pagesHeld, errors);
        }
    }

    /** The row {@code impl} is counted in: its bundle's, or its own with {@code perImplementation}. */
    private static Sum sum(Map<String, Sum> out, String bundle, String version, String impl,
                           boolean perImplementation) {
        String key = perImplementation ? bundle + "\0" + impl : bundle + "\0" + version;
        Sum sum = out.computeIfAbsent(key, k -> new Sum(bundle, version));
        sum.implementations.add(impl);
        return sum;
    }

    private static ShellTable table(List<Row> rows, boolean perImplementation) {
        ShellTable t = new ShellTable();
        t.column("Bundle");
        t.column("Version");
        t.column(perImplementation ? "Implementation" : "Implementations");
        t.column("Calls").alignRight();
        t.column("Pages held").alignRight();
        t.column("Errors").alignRight();
        for (Row r : rows) {
            t.addRow().addContent(r.bundle(), r.version(),
                    perImplementation ? r.implementations().get(0) : Integer.toString(r.implementations().size()),
                    String.format(Locale.ROOT, "%,d", r.calls()), String.format(Locale.ROOT, "%,d", r.pagesHeld()),
                    String.format(Locale.ROOT, "%,d", r.errors()));
        }
        return t;
    }
}
