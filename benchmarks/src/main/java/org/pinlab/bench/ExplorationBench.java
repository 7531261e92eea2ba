package org.pinlab.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.lab.Implementations;
import org.pinlab.scenarios.Catalog;
import org.pinlab.scenarios.Comparison;
import org.pinlab.scenarios.Explorer;
import org.pinlab.scenarios.RunResult;
import org.pinlab.scenarios.Runner;
import org.pinlab.scenarios.Scenario;
import org.pinlab.scenarios.ScenarioLoader;
import org.pinlab.scenarios.TestImplementations;
import org.pinlab.sim.Schedulers;

/**
 * How fast exploration finds the seed 001 BUG, and how fast the catalog runs. Three
 * measurements, each selectable by name on the command line (all three by default):
 *
 * <ul>
 * <li>{@code find}: schedules until the first BUG of {@code seed-001-rdma-ext4} under its
 * {@code legacy} combination, over {@value #EXPLORATIONS} explorations with disjoint seeds,
 * for random schedules and for PCT; median, 10th and 90th percentile. Goal: PCT's median at
 * most 1,000 schedules and at least 10 times below random's. Exploration e searches the
 * schedules of one workload, the e-th machine seed on which the schedule without
 * preemptions does not reach the BUG (on the others there is nothing to search for); only
 * the scheduler varies from one schedule to the next. {@code --varying-workload} draws a
 * new machine seed for every schedule instead, which measures the workload's luck as much
 * as the scheduler.</li>
 * <li>{@code rate}: schedules per second of that scenario and combination, one thread.</li>
 * <li>{@code matrix}: wall time of the whole catalog matrix ({@link Comparison}) for seeds
 * 1..{@value #MATRIX_SEEDS} on {@value #MATRIX_THREADS} threads. Goal: under 60 s.</li>
 * </ul>
 *
 * <p>Options: {@code --explorations n}, {@code --max n} (schedules per exploration before it
 * counts as not found; default {@value #MAX_SCHEDULES}), {@code --depth d} (PCT's depth; several, comma-separated, compare
 * them), {@code --seeds n} and {@code --threads n} for the matrix.
 *
 * <p>Not a JMH benchmark: the figures are counts of schedules (deterministic for given seeds)
 * and wall times of runs of seconds to minutes, so a plain {@code main} measures them.
 */
public final class ExplorationBench {

    static final String SCENARIO = "seed-001-rdma-ext4";
    static final String COMBINATION = "legacy";
    static final int EXPLORATIONS = 100;
    static final int MAX_SCHEDULES = 1_000;
    /** Exploration e starts at seed 1 + e * stride; schedule i of it uses that seed + i, so none share a seed. */
    static final long SEED_STRIDE = 1_000_000;
    static final int MATRIX_SEEDS = 100;
    static final int MATRIX_THREADS = 2;

    private ExplorationBench() {
    }

    public static void main(String[] args) throws InterruptedException {
        List<String> parts = new ArrayList<>();
        int explorations = EXPLORATIONS;
        int max = MAX_SCHEDULES;
        int[] depths = {3};
        boolean fixedWorkload = true;
        int seeds = MATRIX_SEEDS;
        int threads = MATRIX_THREADS;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--explorations" -> explorations = Integer.parseInt(args[++i]);
                case "--max" -> max = Integer.parseInt(args[++i]);
                case "--depth" -> depths = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--seeds" -> seeds = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--varying-workload" -> fixedWorkload = false;
                case "find", "rate", "matrix" -> parts.add(args[i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; use find, rate, matrix, --explorations n, --max n, --depth d[,d...], --seeds n, --threads n, "
                        + "--varying-workload");
            }
        }
        if (parts.isEmpty()) {
            parts = List.of("find", "rate", "matrix");
        }
        Implementations impls = TestImplementations.all();
        Scenario s = new ScenarioLoader(impls).load("catalog:" + SCENARIO, Catalog.yaml(SCENARIO));
        System.out.printf(Locale.ROOT, "%s/%s; %d cores; java %s%n", SCENARIO, COMBINATION,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        if (parts.contains("find")) {
            withoutPreemptions(impls, s, explorations);
            // exploration e keeps one machine seed on which earliest-first misses the BUG and varies
            // only the scheduler, so what is measured is the interleaving alone
            // (--varying-workload: a new machine seed per schedule)
            long[] workloads = fixedWorkload ? missingWithoutPreemptions(impls, s, explorations) : null;
            Search random = find(impls, s, Explorer.Options.random().maxSchedules(max).build(), explorations, max, workloads);
            random.report("random");
            for (int d : depths) {
                Search pct = find(impls, s, Explorer.Options.pct(d).maxSchedules(max).build(), explorations, max, workloads);
                pct.report("pct(d=" + d + ")");
                System.out.printf(Locale.ROOT, "random/pct(d=%d): median %d / %d = %.1f%n", d, random.percentile(50),
                        pct.percentile(50), (double) random.percentile(50) / pct.percentile(50));
            }
        }
        if (parts.contains("rate")) {
            rate(impls, s);
        }
        if (parts.contains("matrix")) {
            matrix(impls, seeds, threads);
        }
    }

    /**
     * What the explorations showed: schedules each took to find the BUG ({@code max + 1} where
     * it found none), and how many preemptions its shrunk failure kept.
     */
    record Search(Explorer.Mode mode, int[] took, int[] preemptions, int max, int tasks, long steps) {

        int percentile(int p) {
            return ExplorationBench.percentile(took, p);
        }

        void report(String what) {
            int missed = (int) Arrays.stream(took).filter(t -> t > max).count();
            int none = (int) Arrays.stream(preemptions).filter(p -> p == 0).count();
            System.out.printf(Locale.ROOT, "%-10s schedules to the BUG: median %s, p10 %s, p90 %s, mean %.2f; found none"
                            + " in %,d: %d of %d explorations%n", what, shown(percentile(50)), shown(percentile(10)),
                    shown(percentile(90)), Arrays.stream(took).average().orElse(0), max, missed, took.length);
            System.out.printf(Locale.ROOT, "           its shrunk failure needs no preemption in %d of %d (median kept: %d)%n",
                    none, preemptions.length, preemptions.length == 0 ? 0 : ExplorationBench.percentile(preemptions, 50));
            if (mode == Explorer.Mode.PCT) {
                System.out.printf(Locale.ROOT, "           PCT sized from the probe run: n = %d tasks, k = %,d steps%n",
                        tasks, steps);
            }
        }

        private String shown(int v) {
            return v > max ? "> " + max : Integer.toString(v);
        }
    }

    static Search find(Implementations impls, Scenario s, Explorer.Options o, int explorations, int max,
                       long[] workloads) {
        Explorer x = new Explorer(impls);
        int[] took = new int[explorations];
        List<Integer> preemptions = new ArrayList<>();
        int tasks = 0;
        long steps = 0;
        long start = System.nanoTime();
        for (int e = 0; e < explorations; e++) {
            Explorer.Options.Builder oe = o.toBuilder().firstSeed(1 + e * SEED_STRIDE).target(FindingKind.BUG);
            if (workloads != null) {
                oe.workloadSeed(workloads[e]);
            }
            Explorer.Outcome out = x.explore(s, COMBINATION, oe.build());
            took[e] = out.failing() != null ? out.schedules() : max + 1;
            if (out.failing() != null) {
                preemptions.add(out.preemptionsAfter());
            }
            tasks = out.tasks();
            steps = out.steps();
        }
        System.out.printf(Locale.ROOT, "(%s: %d explorations in %.1f s, shrinking included)%n", o.mode(),
                explorations, (System.nanoTime() - start) / 1e9);
        return new Search(o.mode(), took, preemptions.stream().mapToInt(Integer::intValue).toArray(), max, tasks,
                steps);
    }

    /** The first {@code n} machine seeds on which the earliest-first schedule does not reach the BUG. */
    private static long[] missingWithoutPreemptions(Implementations impls, Scenario s, int n) {
        Runner runner = new Runner(impls);
        long[] out = new long[n];
        int found = 0;
        for (long seed = 1; found < n; seed++) {
            if (!runner.run(s, COMBINATION, seed, Schedulers.earliestFirst()).counts().containsKey(FindingKind.BUG)) {
                out[found++] = seed;
            }
        }
        System.out.printf(Locale.ROOT, "fixed workloads: %d machine seeds on which earliest-first misses the BUG, "
                + "%d..%d%n", n, out[0], out[n - 1]);
        return out;
    }

    /** How often a seed alone, with no preemption at all, hits the BUG: what a scheduler can add to. */
    private static void withoutPreemptions(Implementations impls, Scenario s, int seeds) {
        Runner runner = new Runner(impls);
        int hit = 0;
        for (int seed = 1; seed <= seeds; seed++) {
            if (runner.run(s, COMBINATION, seed, Schedulers.earliestFirst()).counts().containsKey(FindingKind.BUG)) {
                hit++;
            }
        }
        System.out.printf(Locale.ROOT, "without preemptions (earliest-first), seeds 1..%d: BUG in %d runs%n", seeds,
                hit);
    }

    /** The nearest-rank percentile. */
    static int percentile(int[] v, int p) {
        int[] c = v.clone();
        Arrays.sort(c);
        int rank = (int) Math.ceil(p / 100.0 * c.length);
        return c[Math.max(0, rank - 1)];
    }

    /** Schedules per second: random schedules of the scenario, one after another on this thread. */
    private static void rate(Implementations impls, Scenario s) {
        Runner runner = new Runner(impls);
        for (int i = 1; i <= 50; i++) { // warm-up: the JIT compiles the kernel's paths
            runner.run(s, COMBINATION, i, Schedulers.random(i));
        }
        int n = 0;
        long steps = 0;
        long start = System.nanoTime();
        long elapsed;
        do {
            long seed = 10_000 + n;
            RunResult r = runner.run(s, COMBINATION, seed, Schedulers.random(seed));
            steps += r.steps();
            n++;
            elapsed = System.nanoTime() - start;
        } while (elapsed < 10_000_000_000L);
        System.out.printf(Locale.ROOT, "rate: %,d schedules in %.1f s: %.0f schedules/s, %.2f M steps/s"
                        + " (%,d steps per schedule)%n", n, elapsed / 1e9, n / (elapsed / 1e9), steps / (elapsed / 1e3),
                steps / n);
    }

    /** The catalog matrix: every scenario and combination, {@code seeds} seeds, {@code threads} threads. */
    private static void matrix(Implementations impls, int seeds, int threads) throws InterruptedException {
        List<Scenario> catalog = Catalog.load(impls);
        int cells = catalog.stream().mapToInt(sc -> sc.combinations().size()).sum();
        Comparison.Matrix m = new Comparison(impls).run(catalog, seeds, threads, null);
        long violating = m.rows().stream().filter(r -> !r.meetsExpectations()).count();
        System.out.printf(Locale.ROOT, "matrix: %d scenarios, %d combinations x %d seeds = %,d runs on %d threads"
                        + " in %.1f s (%d rows miss their expectations)%n", catalog.size(), cells, seeds, cells * seeds,
                threads, m.wallMillis() / 1e3, violating);
    }
}
