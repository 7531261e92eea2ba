package org.pinlab.scenarios;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.lab.Implementations;
import org.pinlab.sim.Schedulers;

/**
 * The comparison matrix: scenarios x combinations x seeds, one machine per run, runs spread
 * over threads. Results are placed by (scenario, combination, seed), never by completion
 * order, so the matrix is the same whatever the thread count.
 */
public final class Comparison {

    private final Runner runner;

    public Comparison(Implementations impls) {
        this.runner = new Runner(impls);
    }

    /**
     * What one combination of one scenario showed over its seeds; {@code runsWithError} counts,
     * per system call error ({@code task: call -ERRNO}, in the order first seen), the runs that
     * returned it; {@code fsyncCalls} the fsync calls of all its runs (-1: not counted).
     */
    public record Row(String scenario, String combination, Map<String, String> choices, int runs,
                      Map<FindingKind, Integer> runsWithFinding, Map<FindingKind, Long> firstSeed,
                      double dmaMibPerSecond, long writebackP50Ns, long writebackP99Ns, long fsyncP50Ns,
                      long fsyncP99Ns, long unreclaimable, long peakDmaPages, long peakBouncePages,
                      long copyBytes, List<String> violations, Map<String, Integer> runsWithError,
                      long fsyncCalls) {

        public Row {
            runsWithError = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(runsWithError));
        }

        /** A row of runs in which no system call returned an error. */
        public Row(String scenario, String combination, Map<String, String> choices, int runs,
                   Map<FindingKind, Integer> runsWithFinding, Map<FindingKind, Long> firstSeed,
                   double dmaMibPerSecond, long writebackP50Ns, long writebackP99Ns, long fsyncP50Ns,
                   long fsyncP99Ns, long unreclaimable, long peakDmaPages, long peakBouncePages,
                   long copyBytes, List<String> violations) {
            this(scenario, combination, choices, runs, runsWithFinding, firstSeed, dmaMibPerSecond, writebackP50Ns,
                    writebackP99Ns, fsyncP50Ns, fsyncP99Ns, unreclaimable, peakDmaPages, peakBouncePages, copyBytes,
                    violations, Map.of(), -1);
        }

        /** Whether the combination met its scenario's expectations (true when none were declared). */
        public boolean meetsExpectations() {
            return violations.isEmpty();
        }
    }

    /** The whole matrix, rows in scenario then combination order. */
    public record Matrix(List<Row> rows, int seeds, int threads, long wallMillis, boolean partial) {

        /** A complete matrix. */
        public Matrix(List<Row> rows, int seeds, int threads, long wallMillis) {
            this(rows, seeds, threads, wallMillis, false);
        }
    }

    /**
     * Runs every combination of every scenario for seeds {@code 1..seeds} with the seeded random
     * scheduler, on {@code threads} threads.
     *
     * @param progress told the number of runs finished so far (from any thread), may be null
     * @return the matrix; if the calling thread is interrupted (Ctrl-C), the runs still in
     *         flight finish, no other starts, and the matrix of the runs done so far comes back
     *         marked {@link Matrix#partial()} (a row's {@code runs} says how many it has)
     */
    public Matrix run(List<Scenario> scenarios, int seeds, int threads, IntConsumer progress)
            throws InterruptedException {
        if (seeds < 1 || threads < 1) {
            throw new IllegalArgumentException("seeds and threads must be at least 1; were " + seeds + ", " + threads);
        }
        long start = System.nanoTime(); // wall time of the host, reported only; the model never sees it
        List<String[]> cells = new ArrayList<>();
        for (Scenario s : scenarios) {
            for (String c : s.combinations().keySet()) {
                cells.add(new String[] {s.name(), c});
            }
        }
        RunResult[][] results = new RunResult[cells.size()][seeds];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        boolean interrupted = false;
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        try {
            List<Future<?>> futures = new ArrayList<>();
            int cell = 0;
            for (Scenario s : scenarios) {
                for (String c : s.combinations().keySet()) {
                    final int row = cell++;
                    for (int i = 0; i < seeds; i++) {
                        final int seed = i + 1;
                        futures.add(pool.submit(() -> {
                            results[row][seed - 1] = runner.run(s, c, seed, Schedulers.random(seed));
                            int n = done.incrementAndGet();
                            if (progress != null) {
                                progress.accept(n);
                            }
                        }));
                    }
                }
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("a run failed: " + e.getCause(), e.getCause());
                }
            }
        } catch (InterruptedException stopped) {
            interrupted = true;
        } finally {
            pool.shutdownNow();
        }
        if (interrupted) {
            // the runs in flight finish (a run does not poll for interrupts); the matrix is theirs and the done ones
            pool.awaitTermination(10, java.util.concurrent.TimeUnit.MINUTES);
        }
        List<Row> rows = new ArrayList<>();
        int cell = 0;
        for (Scenario s : scenarios) {
            for (String c : s.combinations().keySet()) {
                rows.add(row(s, c, Arrays.stream(results[cell++]).filter(java.util.Objects::nonNull).toList()));
            }
        }
        return new Matrix(rows, seeds, threads, (System.nanoTime() - start) / 1_000_000, interrupted);
    }

    /** Aggregates one combination's runs: medians of the per-run medians, the worst 99th percentile. */
    public static Row row(Scenario s, String combination, List<RunResult> runs) {
        Map<FindingKind, Integer> with = new EnumMap<>(FindingKind.class);
        Map<FindingKind, Long> first = new EnumMap<>(FindingKind.class);
        long[] dma = new long[runs.size()];
        long[] wb50 = new long[runs.size()];
        long[] fs50 = new long[runs.size()];
        long wb99 = 0;
        long fs99 = 0;
        long unreclaimable = 0;
        long peakDma = 0;
        long peakBounce = 0;
        long copy = 0;
        double mibs = 0;
        for (int i = 0; i < runs.size(); i++) {
            RunResult r = runs.get(i);
            for (FindingKind k : r.counts().keySet()) {
                with.merge(k, 1, Integer::sum);
                first.merge(k, r.seed(), Math::min);
            }
            mibs += r.stats().dmaMibPerSecond();
            wb50[i] = r.stats().writebackP50Ns();
            fs50[i] = r.stats().fsyncP50Ns();
            wb99 = Math.max(wb99, r.stats().writebackP99Ns());
            fs99 = Math.max(fs99, r.stats().fsyncP99Ns());
            unreclaimable += r.stats().unreclaimable();
            peakDma = Math.max(peakDma, r.stats().peakDmaPages());
            peakBounce = Math.max(peakBounce, r.stats().peakBouncePages());
            copy += r.stats().copyBytes();
        }
        long fsyncCalls = 0;
        for (RunResult r : runs) {
            fsyncCalls += r.stats().fsyncCalls();
        }
        Map<String, Integer> errors = new java.util.LinkedHashMap<>();
        for (RunResult r : runs) {
            r.syscallErrors().stream().map(Comparison::errorKey).distinct().forEach(k -> errors.merge(k, 1, Integer::sum));
        }
        return new Row(s.name(), combination, s.combinations().get(combination), runs.size(), with, first,
                runs.isEmpty() ? 0 : mibs / runs.size(), median(wb50), wb99, median(fs50), fs99, unreclaimable,
                peakDma, peakBounce, copy, violations(s, combination, runs), errors, fsyncCalls);
    }

    /** {@code truncate: ftruncate -EBUSY}: one system call error as reports list it. */
    public static String errorKey(org.pinlab.api.finding.SyscallResult r) {
        return r.task() + ": " + r.call() + " -" + r.errno();
    }

    /**
     * What breaks the scenario's expectation for a combination, given its runs: each listed
     * finding kind and result read on every seed, some seed or none as the expectation says,
     * and (except under {@code on: none}) any kind it neither lists nor allows.
     */
    public static List<String> violations(Scenario s, String combination, List<RunResult> runs) {
        Scenario.Expectation x = s.expectations().get(combination);
        List<String> out = new ArrayList<>();
        if (x == null) {
            return out;
        }
        for (FindingKind k : x.findings()) {
            check(out, k.name(), x.on(), runs, r -> r.counts().containsKey(k));
        }
        for (Scenario.ResultPattern p : x.results()) {
            check(out, p.describe(), x.on(), runs, r -> r.syscallErrors().stream().anyMatch(p::matches));
        }
        if (x.on() != Scenario.On.NONE) {
            Map<FindingKind, Integer> seen = new EnumMap<>(FindingKind.class);
            for (RunResult r : runs) {
                r.counts().keySet().forEach(k -> seen.merge(k, 1, Integer::sum));
            }
            for (FindingKind k : seen.keySet()) {
                if (!x.findings().contains(k) && !x.allowed().contains(k)) {
                    out.add("unexpected " + k + " in " + seen.get(k) + (seen.get(k) == 1 ? " run" : " runs"));
                }
            }
        }
        return out;
    }

    private static void check(List<String> out, String what, Scenario.On on, List<RunResult> runs,
                              java.util.function.Predicate<RunResult> shows) {
        List<Long> with = new ArrayList<>();
        List<Long> without = new ArrayList<>();
        for (RunResult r : runs) {
            (shows.test(r) ? with : without).add(r.seed());
        }
        switch (on) {
            case SOME -> {
                if (with.isEmpty()) {
                    out.add("expected " + what + " in some run, saw none");
                }
            }
            case EVERY -> {
                if (!without.isEmpty()) {
                    out.add("expected " + what + " on every seed; missing on " + seeds(without));
                }
            }
            case NONE -> {
                if (!with.isEmpty()) {
                    out.add("expected " + what + " on no seed; saw it on " + seeds(with));
                }
            }
            default -> throw new IllegalStateException(on.toString());
        }
    }

    /** {@code seed 3} or {@code seeds 1, 4, 7} (the first ten, then how many more). */
    private static String seeds(List<Long> seeds) {
        StringBuilder b = new StringBuilder(seeds.size() == 1 ? "seed " : "seeds ");
        for (int i = 0; i < Math.min(10, seeds.size()); i++) {
            b.append(i == 0 ? "" : ", ").append(seeds.get(i));
        }
        if (seeds.size() > 10) {
            b.append(" and ").append(seeds.size() - 10).append(" more");
        }
        return b.toString();
    }

    /**
     * What breaks the findings of the scenario's expectation for a combination, read on some
     * seed, given the runs per kind; {@link #violations(Scenario, String, List)} reads the
     * whole expectation.
     */
    public static List<String> violations(Scenario s, String combination, Map<FindingKind, Integer> seen) {
        Scenario.Expectation x = s.expectations().get(combination);
        List<String> out = new ArrayList<>();
        if (x == null) {
            return out;
        }
        for (FindingKind k : x.findings()) {
            if (!seen.containsKey(k)) {
                out.add("expected " + k + " in some run, saw none");
            }
        }
        for (FindingKind k : seen.keySet()) {
            if (!x.findings().contains(k) && !x.allowed().contains(k)) {
                out.add("unexpected " + k + " in " + seen.get(k) + (seen.get(k) == 1 ? " run" : " runs"));
            }
        }
        return out;
    }

    private static long median(long[] v) {
        if (v.length == 0) {
            return 0;
        }
        long[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
