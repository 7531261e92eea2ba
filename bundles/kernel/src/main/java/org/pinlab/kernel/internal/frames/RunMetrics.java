package org.pinlab.kernel.internal.frames;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.pinlab.api.finding.SyscallResult;

import org.pinlab.sim.Engine;

/**
 * The figures a comparison reports that vmstat does not keep: writeback latency (from the
 * moment a page is dirtied to the end of the writeback that cleaned it), fsync latency, and
 * the peaks of memory held by DMA mappings and bounce pages. Model-only bookkeeping: it
 * stands for no kernel structure and costs no simulated time.
 */
public final class RunMetrics {

    private final Engine engine;
    private final FrameStore frames;
    /** When each frame was last dirtied from clean, or 0; allocated on first use. */
    private long[] dirtiedAt;
    private final Samples writeback = new Samples();
    private final Samples fsync = new Samples();
    private long dmaHeld;
    private long peakDmaHeld;
    private long peakBounce;
    private long pinnedIsolations;
    /** Errors returned to programs, by task, call and result, in the order they first happened. */
    private final Map<String, SyscallResult> syscallErrors = new LinkedHashMap<>();

    public RunMetrics(Engine engine, FrameStore frames) {
        this.engine = engine;
        this.frames = frames;
    }

    public void dirtied(int pfn) {
        if (dirtiedAt == null) {
            dirtiedAt = new long[frames.frames()];
        }
        if (dirtiedAt[pfn] == 0) {
            dirtiedAt[pfn] = engine.now() + 1; // +1: time 0 is a valid dirtying time
        }
    }

    public void cleaned(int pfn) {
        if (dirtiedAt != null && dirtiedAt[pfn] != 0 && !frames.test(pfn, org.pinlab.api.mm.PageFlags.DIRTY)) {
            writeback.add(engine.now() - (dirtiedAt[pfn] - 1));
            dirtiedAt[pfn] = 0;
        }
    }

    /**
     * The running task's system call {@code call} returned {@code result} to its program; an
     * error (a negative result) becomes part of the run's verdict.
     */
    public void returned(String call, int result) {
        if (result >= 0) {
            return;
        }
        String task = engine.current() != null ? engine.current().name() : "(no task)";
        syscallErrors.merge(task + '\0' + call + '\0' + result,
                new SyscallResult(task, call, result, 1, engine.now(), engine.steps()),
                (was, again) -> new SyscallResult(was.task(), was.call(), was.result(), was.count() + 1, was.firstNs(),
                        was.firstStep()));
    }

    /** Every error returned to a program, once per task, call and errno, first ones first. */
    public List<SyscallResult> syscallErrors() {
        return List.copyOf(new ArrayList<>(syscallErrors.values()));
    }

    /** An fsync call took {@code ns} from entry to return. */
    public void fsyncTook(long ns) {
        fsync.add(ns);
    }

    public void dmaMapped(int pages) {
        dmaHeld += pages;
        peakDmaHeld = Math.max(peakDmaHeld, dmaHeld);
    }

    public void bouncePages(long now) {
        peakBounce = Math.max(peakBounce, now);
    }

    /** Reclaim took a pinned page off the LRU (isolate-lru). */
    public void pinnedIsolated() {
        pinnedIsolations++;
    }

    /**
     * Pinned pages reclaim took off the LRU over the run: an event count, where
     * {@code nr_isolated_pinned} is a gauge that is back to 0 once everything is unpinned.
     */
    public long pinnedIsolations() {
        return pinnedIsolations;
    }

    public Samples writebackLatency() {
        return writeback;
    }

    public Samples fsyncLatency() {
        return fsync;
    }

    /** The most pages device mappings held at once. */
    public long peakDmaPages() {
        return peakDmaHeld;
    }

    /** The most bounce pages allocated at once. */
    public long peakBouncePages() {
        return peakBounce;
    }

    /** A growable list of nanosecond samples with percentiles. */
    public static final class Samples {
        private long[] values = new long[16];
        private int n;
        private boolean sorted = true;

        void add(long v) {
            if (n == values.length) {
                values = Arrays.copyOf(values, n * 2);
            }
            values[n++] = v;
            sorted = false;
        }

        public int count() {
            return n;
        }

        /** The {@code p}th percentile (nearest rank), or 0 without samples. */
        public long percentile(double p) {
            if (n == 0) {
                return 0;
            }
            if (!sorted) {
                Arrays.sort(values, 0, n);
                sorted = true;
            }
            int rank = (int) Math.ceil(p / 100.0 * n);
            return values[Math.max(0, Math.min(n - 1, rank - 1))];
        }
    }
}
