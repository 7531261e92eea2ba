package org.pinlab.shell.internal.command;

import java.util.Locale;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.pinlab.api.lab.Lab;
import org.pinlab.scenarios.Explorer;
import org.pinlab.scenarios.Scenario;
import org.pinlab.scenarios.report.Counts;
import org.pinlab.scenarios.report.ExplorationReport;
import org.pinlab.scenarios.report.Format;
import org.pinlab.shell.internal.completers.CombinationCompleter;
import org.pinlab.shell.internal.completers.FindingKindCompleter;
import org.pinlab.shell.internal.completers.ScenarioCompleter;
import org.pinlab.shell.internal.lab.History;
import org.pinlab.shell.internal.lab.ScenarioStore;

@Service
@Command(scope = "pinlab", name = "explore",
        description = "Explores schedules of a scenario (random, PCT or preemption-bounded search) until a finding, "
                + "a number of schedules or a time budget; shrinks the failing schedule and prints the command that "
                + "replays it. Ctrl-C stops it cleanly.")
public class ExploreCommand implements Action {

    /** How often a long exploration prints its progress, in host milliseconds. */
    static final long PROGRESS_EVERY_MS = 2000;

    @Reference
    ScenarioStore store;

    @Reference
    Lab lab;

    @Reference
    History history;

    @Argument(index = 0, name = "scenario", description = "A catalog scenario, a loaded one, or a YAML file", required = true)
    @Completion(ScenarioCompleter.class)
    String scenario;

    @Option(name = "-c", aliases = "--combination", description = "The strategy combination (default: the scenario's first)")
    @Completion(CombinationCompleter.class)
    String combination;

    @Option(name = "-m", aliases = "--mode", description = "random, pct or dfs (default pct)")
    @Completion(value = StringsCompleter.class, values = {"random", "pct", "dfs"})
    String mode = "pct";

    @Option(name = "-d", aliases = "--depth", description = "PCT bug depth d (default 3)")
    int depth = 3;

    @Option(name = "-p", aliases = "--preemptions", description = "DFS preemption bound (default 2)")
    int preemptions = 2;

    @Option(name = "-n", aliases = "--schedules", description = "At most this many schedules (default 1000)")
    int schedules = 1000;

    @Option(name = "-t", aliases = "--time", description = "At most this long, e.g. 30s or 2m (default: no limit)")
    String time;

    @Option(name = "--from", description = "Seed of the first schedule (default 1)")
    long from = 1;

    @Option(name = "--target", description = "Only this finding kind counts, e.g. BUG (default: any)")
    @Completion(FindingKindCompleter.class)
    String target;

    @Option(name = "--all", description = "Go on after the first failing schedule and count them all")
    boolean all;

    @Option(name = "-w", aliases = "--workload",
            description = "Run every schedule on this machine seed, so only the interleaving varies")
    Long workload;

    @Override
    public Object execute() {
        Explorer.Outcome o;
        try {
            Scenario s = store.get(scenario);
            String c = ScenarioStore.combination(s, combination);
            Explorer.Options opts = options();
            System.out.printf("exploring %s / %s: %s, up to %d schedules%s%n", s.name(), c,
                    opts.mode().name().toLowerCase(Locale.ROOT)
                            + (opts.mode() == Explorer.Mode.PCT ? " depth " + depth : "")
                            + (opts.mode() == Explorer.Mode.DFS ? " with at most " + preemptions + " preemptions" : ""),
                    schedules, opts.budgetMillis() > 0 ? " or " + time : "");
            long started = System.currentTimeMillis(); // host time, for the progress line only
            long[] lastPrint = {started};
            Thread self = Thread.currentThread();
            o = new Explorer(lab.bound()).explore(s, c, opts, p -> {
                long now = System.currentTimeMillis();
                if (now - lastPrint[0] >= PROGRESS_EVERY_MS) {
                    lastPrint[0] = now;
                    System.out.println("  " + ProgressLine.of(p.schedules(), schedules, "schedule", now - started)
                            + ", " + p.failing() + " with findings");
                }
            }, self::isInterrupted);
        } catch (RuntimeException e) {
            throw CommandException.of(e);
        }
        boolean interrupted = Thread.interrupted();
        ExplorationReport report = ExplorationReport.of(o, depth, target != null ? FindingKindCompleter.kind(target)
                : null, interrupted);
        if (report.failing() != null) {
            history.run("explore", report.failing(), o.replayCommand());
        }
        System.out.print(Format.TABLE.explorationRenderer().render(report));
        return null;
    }

    private Explorer.Options options() {
        CommandException.check(schedules >= 1, "-n must be at least 1, was " + schedules);
        CommandException.check(depth >= 1, "-d must be at least 1, was " + depth);
        CommandException.check(preemptions >= 0, "-p must be at least 0, was " + preemptions);
        Explorer.Options.Builder o = switch (mode.toLowerCase(Locale.ROOT)) {
            case "random" -> Explorer.Options.random();
            case "pct" -> Explorer.Options.pct(depth);
            case "dfs" -> Explorer.Options.dfs(preemptions);
            default -> throw new CommandException("unknown mode '" + mode + "'"
                    + CommandException.suggestion(mode, java.util.List.of("random", "pct", "dfs")) + "; modes: random, pct, dfs");
        };
        o.maxSchedules(schedules).firstSeed(from);
        if (workload != null) {
            CommandException.check(workload >= 0, "-w must be a seed of at least 0, was " + workload);
            o.workloadSeed(workload);
        }
        if (target != null) {
            o.target(FindingKindCompleter.kind(target));
        }
        long budget = 0;
        if (time != null) {
            try {
                budget = org.pinlab.api.device.Parameters.parseDuration(time) / 1_000_000;
            } catch (IllegalArgumentException e) {
                throw new CommandException("-t: " + e.getMessage());
            }
            CommandException.check(budget > 0, "-t must be a positive duration such as 30s, was " + time);
        }
        return o.budgetMillis(budget).untilFirst(!all).build();
    }
}
