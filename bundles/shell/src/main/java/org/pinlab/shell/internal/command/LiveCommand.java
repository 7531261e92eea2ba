package org.pinlab.shell.internal.command;

import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.pinlab.api.lab.SwapRequest;
import org.pinlab.kernel.Gauges;
import org.pinlab.scenarios.LiveRun;
import org.pinlab.scenarios.Scenario;
import org.pinlab.scenarios.report.Counts;
import org.pinlab.shell.internal.completers.CombinationCompleter;
import org.pinlab.shell.internal.completers.ScenarioCompleter;
import org.pinlab.shell.internal.lab.LiveService;
import org.pinlab.shell.internal.lab.ScenarioStore;

@Service
@Command(scope = "pinlab", name = "live",
        description = "Starts, stops or shows the live workload: a scenario's machine booted again and again, each "
                + "boot with the next seed, following pinlab:use swaps as they happen.")
public class LiveCommand implements Action {

    /** What a live workload runs when no scenario is named. */
    static final String DEFAULT_SCENARIO = "seed-001-rdma-ext4";

    @Reference
    LiveService live;

    @Reference
    ScenarioStore store;

    @Argument(index = 0, name = "action", required = true, description = "start, stop or status")
    @Completion(value = StringsCompleter.class, values = {"start", "stop", "status"})
    String action;

    /**
     * The scenario, and any option written after the action: Karaf reads options only before
     * the first argument, so {@code live start -c fixed} arrives here as three words.
     */
    @Argument(index = 1, name = "scenario", required = false, multiValued = true,
            description = "For start: the scenario (default " + DEFAULT_SCENARIO + "); the options may also follow "
                    + "the action, as in live start -c legacy -s 5")
    @Completion(ScenarioCompleter.class)
    List<String> rest;

    String scenario;

    @Option(name = "-s", aliases = "--seed", description = "For start: the seed of the first boot (default 1)")
    long seed = 1;

    @Option(name = "-c", aliases = "--combination",
            description = "For start: the combination whose non-policy keys to use (default: the first); the "
                    + "policies always follow pinlab:use")
    @Completion(CombinationCompleter.class)
    String combination;

    @Option(name = "-w", aliases = "--swaps",
            description = "For status: list every swap the lab took during the run, not only the last "
                    + LiveCommand.SHOWN_SWAPS)
    boolean allSwaps;

    /** Swaps {@code live status} lists without {@code --swaps}. */
    static final int SHOWN_SWAPS = 5;

    /** Takes the options written after the action, and the scenario, out of {@link #rest}. */
    void parseRest() {
        if (rest == null) {
            return;
        }
        for (int i = 0; i < rest.size(); i++) {
            String word = rest.get(i);
            switch (word) {
                case "-s", "--seed" -> {
                    CommandException.check(i + 1 < rest.size(), word + " needs a seed");
                    String value = rest.get(++i);
                    try {
                        seed = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new CommandException(word + " must be a number; was '" + value + "'");
                    }
                }
                case "-c", "--combination" -> {
                    CommandException.check(i + 1 < rest.size(), word + " needs a combination");
                    combination = rest.get(++i);
                }
                case "-w", "--swaps" -> allSwaps = true;
                default -> {
                    CommandException.check(!word.startsWith("-"), "unknown option '" + word + "'"
                            + CommandException.suggestion(word, List.of("--seed", "--combination", "--swaps"))
                            + "; options: -s/--seed, -c/--combination, -w/--swaps");
                    CommandException.check(scenario == null, "live takes one scenario; got '" + scenario + "' and '"
                            + word + "'");
                    scenario = word;
                }
            }
        }
    }

    @Override
    public Object execute() throws Exception {
        parseRest();
        switch (action) {
            case "start" -> {
                CommandException.seed("-s", seed);
                Scenario s;
                try {
                    s = store.get(scenario != null ? scenario : DEFAULT_SCENARIO);
                    live.start(s, ScenarioStore.combination(s, combination), seed);
                } catch (RuntimeException e) {
                    throw CommandException.of(e);
                }
                System.out.println("live: " + s.name() + " started from seed " + seed
                        + "; pinlab:top to watch it, pinlab:use to swap, pinlab:live stop to end it");
            }
            case "stop" -> {
                CommandException.check(scenario == null, "live stop takes no scenario");
                LiveRun run = live.stop();
                CommandException.check(run != null, "no live workload was started");
                LiveRun.Status st = run.status();
                System.out.printf("live: stopped after %s, %s simulated; findings: %s%n", Counts.of(st.boots(), "boot"),
                        Print.ns(st.totalSimulatedNs()), Print.kinds(st.byKind()));
                System.out.printf("pins acquired %d, released %d, held by machines a BUG stopped %d, "
                        + "counter checks failed %d%n", st.pinsAcquired(), st.pinsReleased(), st.pinsLostInCrashes(),
                        st.unbalanced());
            }
            case "status" -> {
                CommandException.check(scenario == null, "live status takes no scenario");
                LiveRun run = live.current();
                CommandException.check(run != null, "no live workload was started; start one with pinlab:live start");
                status(run.status());
                swaps(live.swaps(), allSwaps);
            }
            default -> throw new CommandException("unknown action '" + action + "'"
                    + CommandException.suggestion(action, List.of("start", "stop", "status")) + "; actions: start, stop, status");
        }
        return null;
    }

    static void status(LiveRun.Status st) {
        System.out.printf("live: %s, %s%s%n", st.scenario(), st.state().name().toLowerCase(java.util.Locale.ROOT),
                st.waitingFor() != null ? " (" + st.waitingFor() + ")" : "");
        System.out.printf("boot %d (seed %d); %s simulated in %,d steps over all boots%n", st.boots(), st.seed(),
                Print.ns(st.totalSimulatedNs()), st.totalSteps());
        System.out.println("strategies: " + line(st.choices()) + "; " + line(st.machineFamilies()));
        Gauges g = st.gauges();
        if (g != null) {
            System.out.printf("frames %d: free %d, dirty %d, writeback %d, pinned %d, referenced by GUP %d, bounce %d%n",
                    g.frames(), g.free(), g.dirty(), g.writeback(), g.pinned(), g.referenced(), g.bounce());
        }
        System.out.printf("pins acquired %d, released %d, held by machines a BUG stopped %d; outstanding grabs %d; "
                + "counter checks failed %d%n", st.pinsAcquired(), st.pinsReleased(), st.pinsLostInCrashes(),
                g == null ? 0 : g.grabs(), st.unbalanced());
        System.out.println("findings: " + st.findings() + " (" + Print.kinds(st.byKind()) + ")");
        System.out.println("devices: " + (st.devices().isEmpty() ? "none" : String.join(", ", st.devices()))
                + (st.detached().isEmpty() ? "" : "; waiting for a driver: " + String.join(", ", st.detached())));
    }

    /** The swap log: how many, then every one (or the last few), in request order. */
    static void swaps(List<SwapRequest> swaps, boolean all) {
        int shown = all ? swaps.size() : Math.min(SHOWN_SWAPS, swaps.size());
        System.out.println("swaps during the run: " + (swaps.isEmpty() ? "none"
                : swaps.size() + (shown < swaps.size() ? ", the last " + shown + " (all with --swaps):" : ":")));
        for (SwapRequest s : swaps.subList(swaps.size() - shown, swaps.size())) {
            System.out.println("  " + s.describe());
        }
    }

    private static String line(Map<String, String> m) {
        StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
        return sb.toString();
    }
}
