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

    /** What one combination of one scenario showed over its seeds. */
    public record Row(String scenario, String combination, Map<String, String> choices, int runs,
                      Map<FindingKind, Integer> runsWithFinding, Map<FindingKind, Long> firstSeed,
                      double dmaMibPerSecond, long writebackP50Ns, long writebackP99Ns, long fsyncP50Ns,
                      long fsyncP99Ns, long unreclaimable, long peakDmaPages, long peakBouncePages,
                      long copyBytes, List<String> violations) {

        /** Whether the combination met its scenario's expectations (true when none were declared). */
        public boolean meetsExpectations() {
            return violations.isEmpty();
        }
    }

    /** The whole matrix, rows in scenario then combination order. */
    public record Matrix(List<Row> rows, int seeds, int threads, long wallMillis) {
    }

    /**
     * Runs every combination of every scenario for seeds {@code 1..seeds} with the seeded random
     * scheduler, on {@code threads} threads.
     *
     * @param progress told the number of runs finished so far (from any thread), may be null
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
        } finally {
            pool.shutdownNow();
        }
        List<Row> rows = new ArrayList<>();
        int cell = 0;
        for (Scenario s : scenarios) {
            for (String c : s.combinations().keySet()) {
                rows.add(row(s, c, Arrays.asList(results[cell++])));
            }
        }
        return new Matrix(rows, seeds, threads, (System.nanoTime() - start) / 1_000_000);
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
        return new Row(s.name(), combination, s.combinations().get(combination), runs.size(), with, first,
                runs.isEmpty() ? 0 : mibs / runs.size(), median(wb50), wb99, median(fs50), fs99, unreclaimable,
                peakDma, peakBounce, copy, violations(s, combination, with));
    }

    /** What breaks the scenario's expectation for a combination, given the kinds seen per run. */
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
                out.add("unexpected " + k + " in " + seen.get(k) + " run(s)");
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
