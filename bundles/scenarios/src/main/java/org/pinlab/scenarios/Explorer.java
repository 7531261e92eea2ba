package org.pinlab.scenarios;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.finding.Schedule;
import org.pinlab.api.lab.Implementations;
import org.pinlab.sim.Scheduler;
import org.pinlab.sim.Schedulers;

/**
 * Schedule exploration of one scenario under one combination: seeded random schedules,
 * PCT with bug depth d (Burckhardt et al., ASPLOS 2010), or a systematic search that
 * tries every schedule with 0 preemptions, then 1, up to a bound (iterative preemption
 * bounding, Musuvathi and Qadeer). A failing schedule is shrunk to the fewest preemptions
 * that still give the same first finding, and comes with the command that replays it.
 */
public final class Explorer {

    public enum Mode { RANDOM, PCT, DFS }

    /**
     * How to explore, built with {@link #random()}, {@link #pct(int)} or {@link #dfs(int)} and the
     * {@link Builder}'s named settings:
     * {@code Options.pct(3).maxSchedules(1000).target(FindingKind.BUG).firstSeed(11).build()}.
     *
     * @param mode           how schedules are drawn
     * @param depth          PCT's bug depth d (ignored otherwise)
     * @param maxSchedules   stop after this many schedules
     * @param budgetMillis   stop after this much host time (0: no limit)
     * @param untilFirst     stop at the first schedule with a finding
     * @param maxPreemptions the DFS bound (ignored otherwise)
     * @param firstSeed      seed of the first schedule; schedule i uses firstSeed + i (DFS: all use firstSeed)
     * @param target         the finding kind that counts (null: any)
     * @param workloadSeed   the machine's seed for every schedule, so only the scheduling varies;
     *                       {@link #EACH_SCHEDULES_OWN_SEED}: each schedule's machine takes the schedule's own seed
     */
    public record Options(Mode mode, int depth, int maxSchedules, long budgetMillis, boolean untilFirst,
                          int maxPreemptions, long firstSeed, FindingKind target, long workloadSeed) {

        /** The {@link #workloadSeed} that gives each schedule's machine the schedule's own seed. */
        public static final long EACH_SCHEDULES_OWN_SEED = -1;

        /** @throws IllegalArgumentException naming the first setting out of its range, and the range */
        public Options {
            if (mode == null) {
                throw new IllegalArgumentException("mode must be one of " + Arrays.toString(Mode.values()));
            }
            atLeast("depth", depth, 1);
            atLeast("maxSchedules", maxSchedules, 1);
            atLeast("maxPreemptions", maxPreemptions, 0);
            if (budgetMillis < 0) {
                throw new IllegalArgumentException("budgetMillis must be at least 0 (0: no limit), was "
                        + budgetMillis);
            }
            if (workloadSeed < EACH_SCHEDULES_OWN_SEED) {
                throw new IllegalArgumentException("workloadSeed must be a seed of at least 0 (or "
                        + EACH_SCHEDULES_OWN_SEED + ": each schedule's own), was " + workloadSeed);
            }
        }

        private static void atLeast(String option, long value, long min) {
            if (value < min) {
                throw new IllegalArgumentException(option + " must be at least " + min + ", was " + value);
            }
        }

        /** Seeded random schedules. */
        public static Builder random() {
            return new Builder(Mode.RANDOM);
        }

        /** PCT with bug depth {@code depth} (at least 1). */
        public static Builder pct(int depth) {
            return new Builder(Mode.PCT).depth(depth);
        }

        /** Every schedule with 0 preemptions, then 1, up to {@code maxPreemptions} (at least 0). */
        public static Builder dfs(int maxPreemptions) {
            return new Builder(Mode.DFS).maxPreemptions(maxPreemptions);
        }

        /** A builder holding these options, to change some of them. */
        public Builder toBuilder() {
            return new Builder(mode).depth(depth).maxSchedules(maxSchedules).budgetMillis(budgetMillis)
                    .untilFirst(untilFirst).maxPreemptions(maxPreemptions).firstSeed(firstSeed).target(target)
                    .workloadSeed(workloadSeed);
        }

        /**
         * Collects {@link Options} by name; {@link #build} checks them. Unless set: depth 1, at most
         * {@value #DEFAULT_MAX_SCHEDULES} schedules, no time budget, stop at the first failing
         * schedule, DFS bound 2, first seed 1, any finding kind, each schedule on its own machine seed.
         */
        public static final class Builder {

            /** How many schedules an exploration tries unless told otherwise. */
            public static final int DEFAULT_MAX_SCHEDULES = 1000;

            private final Mode mode;
            private int depth = 1;
            private int maxSchedules = DEFAULT_MAX_SCHEDULES;
            private long budgetMillis;
            private boolean untilFirst = true;
            private int maxPreemptions = 2;
            private long firstSeed = 1;
            private FindingKind target;
            private long workloadSeed = EACH_SCHEDULES_OWN_SEED;

            private Builder(Mode mode) {
                this.mode = mode;
            }

            /** PCT's bug depth d, at least 1. */
            public Builder depth(int d) {
                this.depth = d;
                return this;
            }

            /** Stop after this many schedules, at least 1. */
            public Builder maxSchedules(int n) {
                this.maxSchedules = n;
                return this;
            }

            /** Stop after this much host time, in milliseconds; 0 for no limit. */
            public Builder budgetMillis(long millis) {
                this.budgetMillis = millis;
                return this;
            }

            /** Whether to stop at the first schedule with a finding (true) or count them all. */
            public Builder untilFirst(boolean stop) {
                this.untilFirst = stop;
                return this;
            }

            /** The DFS bound, at least 0. */
            public Builder maxPreemptions(int n) {
                this.maxPreemptions = n;
                return this;
            }

            /** The seed of the first schedule. */
            public Builder firstSeed(long seed) {
                this.firstSeed = seed;
                return this;
            }

            /** The finding kind that counts; null for any. */
            public Builder target(FindingKind kind) {
                this.target = kind;
                return this;
            }

            /**
             * Every schedule runs the same machine (same workload timing, seed {@code seed}, at least
             * 0); only the scheduler's seed changes from schedule to schedule. This isolates what the
             * interleaving alone can do, which is what PCT's guarantee is about.
             */
            public Builder workloadSeed(long seed) {
                this.workloadSeed = seed;
                return this;
            }

            /** @throws IllegalArgumentException naming the first setting out of its range, and the range */
            public Options build() {
                return new Options(mode, depth, maxSchedules, budgetMillis, untilFirst, maxPreemptions, firstSeed,
                        target, workloadSeed);
            }
        }
    }

    /** Progress of a long exploration. */
    public record Progress(int schedules, int failing) {
    }

    /**
     * @param failing       the first failing run, or null
     * @param shrunk        the same failure with the fewest preemptions found, or null
     * @param preemptionsBefore preemptions of the failing run
     * @param preemptionsAfter  preemptions of the shrunk run
     * @param missBound     for PCT: the bound (1 - 1/(n k^(d-1)))^N on missing a depth-d bug after N schedules; NaN otherwise
     * @param preemptions   the shrunk failure's preemptions in {@link #preemptions(String)} form ("" for none)
     * @param shrinkRuns    runs the shrinking took
     * @param shrinkBounded whether shrinking stopped at {@link #MAX_SHRINK_RUNS} runs with preemptions it
     *                      had not tried to remove one by one: the shrunk failure may keep some it does not need
     */
    public record Outcome(String scenario, String combination, Mode mode, int schedules, int failingSchedules,
                          Map<FindingKind, Integer> schedulesWithFinding, RunResult failing, RunResult shrunk,
                          int preemptionsBefore, int preemptionsAfter, double missBound, int tasks, long steps,
                          long wallMillis, String preemptions, int shrinkRuns, boolean shrinkBounded) {

        /**
         * The shell command that replays the shrunk failure exactly: the seed and the few
         * decisions where it did not run the earliest task (none: the seed alone).
         */
        public String replayCommand() {
            if (shrunk == null) {
                return null;
            }
            return "pinlab:replay " + scenario + " " + combination + " " + shrunk.seed()
                    + (preemptions.isEmpty() ? "" : " '" + preemptions + "'");
        }
    }

    /** The sparse schedule form: {@code @decision:candidate} for each preemption, comma-separated. */
    static String preemptionsText(int[] at, int[] idx) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < at.length; i++) {
            sb.append(i == 0 ? "" : ",").append('@').append(at[i]).append(':').append(idx[i]);
        }
        return sb.toString();
    }

    /** Whether a schedule text is in the sparse preemption form (or empty: no preemption at all). */
    public static boolean isPreemptions(String text) {
        return text.isBlank() || text.strip().startsWith("@");
    }

    /**
     * Replays a run that takes the earliest ready task at every decision except the listed
     * preemptions ({@code @decision:candidate,...}), as {@link Outcome#replayCommand} prints.
     *
     * @throws IllegalArgumentException for a malformed list, naming the bad entry
     */
    public RunResult replayPreemptions(Scenario s, String combination, long seed, String preemptions) {
        List<Integer> at = new ArrayList<>();
        List<Integer> idx = new ArrayList<>();
        if (!preemptions.isBlank()) {
            for (String part : preemptions.split(",")) {
                String p = part.strip();
                int colon = p.indexOf(':');
                try {
                    if (!p.startsWith("@") || colon < 0) {
                        throw new NumberFormatException();
                    }
                    at.add(Integer.parseInt(p.substring(1, colon)));
                    idx.add(Integer.parseInt(p.substring(colon + 1)));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("preemption '" + p + "' is not @decision:candidate");
                }
                if (at.get(at.size() - 1) < 0 || idx.get(idx.size() - 1) < 1) {
                    throw new IllegalArgumentException("preemption '" + p
                            + "' needs a decision of at least 0 and a candidate of at least 1");
                }
            }
        }
        return runner.run(s, combination, seed, new GuidedScheduler(at.stream().mapToInt(Integer::intValue).toArray(),
                idx.stream().mapToInt(Integer::intValue).toArray()));
    }

    private final Runner runner;

    public Explorer(Implementations impls) {
        this.runner = new Runner(impls);
    }

    public Outcome explore(Scenario s, String combination, Options o) {
        return explore(s, combination, o, null, () -> false);
    }

    /**
     * @param progress  told after every schedule (may be null)
     * @param cancelled polled between schedules; true stops the exploration cleanly (Ctrl-C)
     */
    public Outcome explore(Scenario s, String combination, Options o, Consumer<Progress> progress,
                           BooleanSupplier cancelled) {
        long start = System.nanoTime(); // host time for the budget and the report; the model never sees it
        // a probe run without preemptions sizes PCT's parameters: tasks n and steps k
        GuidedScheduler probe = new GuidedScheduler(new int[0], new int[0]);
        long fixedMachine = o.workloadSeed() >= 0 ? o.workloadSeed() : o.firstSeed();
        RunResult base = runner.run(s, combination, fixedMachine, probe);
        int tasks = Math.max(2, probe.tasksSeen);
        long steps = Math.max(1, base.steps());
        Map<FindingKind, Integer> with = new EnumMap<>(FindingKind.class);
        RunResult failing = null;
        int failingCount = 0;
        int tried = 0;
        Deque<int[][]> frontier = new ArrayDeque<>();
        if (o.mode() == Mode.DFS) {
            frontier.add(new int[][] {new int[0], new int[0]});
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (tried < o.maxSchedules() && !cancelled.getAsBoolean()
                && (o.budgetMillis() <= 0 || (System.nanoTime() - start) / 1_000_000 < o.budgetMillis())) {
            RunResult r;
            if (o.mode() == Mode.DFS) {
                int[][] next = frontier.poll();
                if (next == null) {
                    break; // every schedule within the bound was tried
                }
                GuidedScheduler g = new GuidedScheduler(next[0], next[1]);
                r = runner.run(s, combination, fixedMachine, g);
                expand(frontier, seen, next, g, o.maxPreemptions());
            } else {
                long seed = o.firstSeed() + tried;
                Scheduler sched = o.mode() == Mode.PCT ? Schedulers.pct(seed, o.depth(), steps)
                        : Schedulers.random(seed);
                r = runner.run(s, combination, o.workloadSeed() >= 0 ? o.workloadSeed() : seed, sched);
            }
            tried++;
            boolean fails = false;
            for (FindingKind k : r.counts().keySet()) {
                with.merge(k, 1, Integer::sum);
                fails |= o.target() == null || k == o.target();
            }
            if (fails) {
                failingCount++;
                if (failing == null) {
                    failing = r;
                }
            }
            if (progress != null) {
                progress.accept(new Progress(tried, failingCount));
            }
            if (fails && o.untilFirst()) {
                break;
            }
        }
        RunResult shrunk = null;
        String preemptions = "";
        int before = 0;
        int after = 0;
        int shrinkRuns = 0;
        boolean shrinkBounded = false;
        if (failing != null) {
            FindingKind kind = o.target() != null ? o.target() : failing.first().kind();
            int[][] dev = deviations(s, combination, failing);
            before = dev[0].length;
            long at = failing.findings().stream().filter(f -> f.kind() == kind).findFirst()
                    .map(f -> (long) f.schedule().length()).orElse(Long.MAX_VALUE);
            Shrunk min = shrink(s, combination, failing.seed(), dev, kind, at);
            after = min.at().length;
            shrinkRuns = min.runs();
            shrinkBounded = min.bounded();
            preemptions = preemptionsText(min.at(), min.idx());
            // run it the way users replay it: what we report is exactly what they will see
            shrunk = replayPreemptions(s, combination, failing.seed(), preemptions);
        }
        double miss = o.mode() == Mode.PCT
                ? Math.pow(1 - 1 / (tasks * Math.pow(steps, o.depth() - 1)), tried) : Double.NaN;
        return new Outcome(s.name(), combination, o.mode(), tried, failingCount, with, failing, shrunk, before, after,
                miss, tasks, steps, (System.nanoTime() - start) / 1_000_000, preemptions, shrinkRuns,
                shrinkBounded);
    }

    /** Replays a recorded schedule exactly: same seed, same choices, then no preemptions. */
    public RunResult replay(Scenario s, String combination, long seed, Schedule schedule) {
        return runner.run(s, combination, seed, Schedulers.replay(schedule, Schedulers.earliestFirst()));
    }

    /** The decisions (and the candidate index taken) where a run did not take the earliest candidate. */
    private int[][] deviations(Scenario s, String combination, RunResult r) {
        RecordingScheduler rec = new RecordingScheduler(Schedulers.replay(r.schedule(), Schedulers.earliestFirst()));
        runner.run(s, combination, r.seed(), rec);
        return rec.deviations();
    }

    /**
     * What shrinking kept: the decisions and the candidate indices taken there, the runs it
     * took, and whether it stopped at {@link #MAX_SHRINK_RUNS} before it had tried removing
     * each kept preemption alone.
     */
    private record Shrunk(int[] at, int[] idx, int runs, boolean bounded) {
    }

    /**
     * Removes preemptions while the first finding of {@code kind} still happens: chunks first,
     * then one at a time (a simplified ddmin).
     */
    private Shrunk shrink(Scenario s, String combination, long seed, int[][] dev, FindingKind kind,
                           long findingDecision) {
        int[] at = dev[0];
        int[] idx = dev[1];
        // decisions after the finding cannot have caused it
        int keep = 0;
        while (keep < at.length && at[keep] < findingDecision) {
            keep++;
        }
        at = java.util.Arrays.copyOf(at, keep);
        idx = java.util.Arrays.copyOf(idx, keep);
        int runs = 0;
        if (at.length > 0 && runner.run(s, combination, seed, new GuidedScheduler(new int[0], new int[0])).counts()
                .containsKey(kind)) {
            return new Shrunk(new int[0], new int[0], 1, false); // the seed alone reproduces it
        }
        int chunk = Math.max(1, at.length / 2);
        boolean done = at.length == 0;
        while (!done && runs < MAX_SHRINK_RUNS) {
            boolean removed = false;
            int from = 0;
            for (; from < at.length && runs < MAX_SHRINK_RUNS; from += chunk) {
                int to = Math.min(at.length, from + chunk);
                int[] a2 = remove(at, from, to);
                int[] i2 = remove(idx, from, to);
                RunResult r = runner.run(s, combination, seed, new GuidedScheduler(a2, i2));
                runs++;
                if (r.counts().containsKey(kind)) {
                    at = a2;
                    idx = i2;
                    removed = true;
                    break;
                }
            }
            if (at.length == 0) {
                done = true;
            } else if (!removed && from >= at.length) { // a whole pass removed nothing
                if (chunk == 1) {
                    done = true;
                } else {
                    chunk = Math.max(1, chunk / 2);
                }
            }
        }
        int probe = keep > 0 ? 1 : 0; // the run without preemptions above
        return new Shrunk(at, idx, probe + runs, !done);
    }

    private static int[] remove(int[] a, int from, int to) {
        int[] out = new int[a.length - (to - from)];
        System.arraycopy(a, 0, out, 0, from);
        System.arraycopy(a, to, out, from, a.length - to);
        return out;
    }

    /** DFS children: one more preemption at any decision after the last one, each alternative. */
    private static void expand(Deque<int[][]> frontier, java.util.Set<String> seen, int[][] node, GuidedScheduler run,
                               int bound) {
        if (node[0].length >= bound) {
            return;
        }
        int last = node[0].length == 0 ? -1 : node[0][node[0].length - 1];
        List<int[][]> children = new ArrayList<>();
        for (int d = last + 1; d < run.branching.size(); d++) {
            for (int alt = 1; alt < run.branching.get(d); alt++) {
                int[] a = Arrays.copyOf(node[0], node[0].length + 1);
                int[] i = Arrays.copyOf(node[1], node[1].length + 1);
                a[a.length - 1] = d;
                i[i.length - 1] = alt;
                if (seen.add(Arrays.toString(a) + Arrays.toString(i))) {
                    children.add(new int[][] {a, i});
                }
            }
        }
        frontier.addAll(children); // breadth first: all schedules with p preemptions before p + 1
    }

    /** Shrinking stops after this many runs, with the fewest preemptions reached so far. */
    public static final int MAX_SHRINK_RUNS = 200;
}
