package org.pinlab.sim;

import java.util.Arrays;

/**
 * The far part of the {@link ReadyQueue}: tasks ready at or after a horizon, kept unsorted
 * in buckets of equal time width, with a bag for what lies past the last bucket. This is a
 * one-rung ladder queue (Tang, Goh and Thng, ACM TOMACS 2005). Adding a task is an append;
 * the ready queue takes the earliest bucket whole when its heap has nothing before the
 * horizon, so a task is sorted only among the few that are due soon.
 *
 * <p>Only the partition between heap and buckets depends on the widths chosen here, never
 * the order in which tasks leave the ready queue.
 */
final class Ladder {

    /** Tasks a bucket holds on average when the buckets are laid out. */
    static final int BUCKET_TARGET = 256;
    /** Times at or past this stay in the heap, so bucket arithmetic cannot overflow. */
    static final long TIME_LIMIT = 1L << 62;
    private static final int MAX_BUCKETS = 1 << 14;
    private static final int SAMPLES = 64;

    private long base;
    private long width = 1;
    private int buckets;
    /** The first bucket not yet taken; every task here is at or after {@link #horizon}. */
    private int next;
    private long horizon = Long.MAX_VALUE;
    private long[][] times = new long[0][];
    private int[][] ids = new int[0][];
    private int[] counts = new int[0];
    private long[] bagTime = new long[64];
    private int[] bagId = new int[64];
    private int bagCount;
    private int size;
    private final long[] sample = new long[SAMPLES];

    int size() {
        return size;
    }

    /** Every task in the ladder is ready at or after this; {@code Long.MAX_VALUE} before the first lay-out. */
    long horizon() {
        return horizon;
    }

    /** Adds a task ready at {@code at}, which must be at or after the horizon and below {@link #TIME_LIMIT}. */
    void add(int id, long at) {
        long k = (at - base) / width;
        if (k < buckets) {
            append((int) k, id, at);
        } else {
            bag(id, at);
        }
        size++;
    }

    /**
     * Moves the tasks of the earliest non-empty bucket into {@code to} and raises the horizon
     * past them; lays the buckets out again from the bag when they are used up. The ladder
     * must not be empty.
     */
    void takeEarliest(ReadyQueue to) {
        while (true) {
            while (next < buckets && counts[next] == 0) {
                next++;
            }
            if (next < buckets) {
                break;
            }
            layOut();
        }
        int k = next++;
        horizon = base + next * width;
        int n = counts[k];
        long[] t = times[k];
        int[] d = ids[k];
        for (int i = 0; i < n; i++) {
            to.arrive(d[i], t[i]);
        }
        counts[k] = 0;
        size -= n;
    }

    /** Removes a task wherever it is (a timed wait woken early): a linear search. */
    boolean remove(int id) {
        for (int k = next; k < buckets; k++) {
            int[] d = ids[k];
            for (int i = 0; i < counts[k]; i++) {
                if (d[i] == id) {
                    int last = --counts[k];
                    d[i] = d[last];
                    times[k][i] = times[k][last];
                    size--;
                    return true;
                }
            }
        }
        for (int i = 0; i < bagCount; i++) {
            if (bagId[i] == id) {
                bagCount--;
                bagId[i] = bagId[bagCount];
                bagTime[i] = bagTime[bagCount];
                size--;
                return true;
            }
        }
        return false;
    }

    /**
     * Takes in tasks from the heap (which grew too big) and lays the buckets out again over
     * everything the ladder holds.
     */
    void spill(long[] time, int[] task, int n) {
        for (int k = next; k < buckets; k++) {
            for (int i = 0; i < counts[k]; i++) {
                bag(ids[k][i], times[k][i]);
            }
            counts[k] = 0;
        }
        for (int i = 0; i < n; i++) {
            bag(task[i], time[i]);
        }
        size += n;
        next = buckets;
        layOut();
    }

    /**
     * Spreads the bag over new buckets starting at its earliest time. The width comes from
     * the 75th percentile of a sample of the bag, so that a few far-off timers do not make
     * one bucket hold everything; what falls past the last bucket stays in the bag.
     */
    private void layOut() {
        int n = bagCount;
        long min = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            min = Math.min(min, bagTime[i]);
        }
        int samples = Math.min(SAMPLES, n);
        for (int s = 0; s < samples; s++) {
            sample[s] = bagTime[(int) ((long) s * n / samples)] - min;
        }
        Arrays.sort(sample, 0, samples);
        long spread = sample[samples * 3 / 4];
        int count = Integer.highestOneBit(Math.max(1, Math.min(MAX_BUCKETS, n * 3 / 4 / BUCKET_TARGET)));
        ensureBuckets(count);
        buckets = count;
        next = 0;
        base = min;
        width = Math.max(1, Math.min(spread / count + 1, (TIME_LIMIT - 1) / count));
        horizon = base;
        int kept = 0;
        for (int i = 0; i < n; i++) {
            long at = bagTime[i];
            int id = bagId[i];
            long k = (at - base) / width;
            if (k < buckets) {
                append((int) k, id, at);
            } else {
                bagTime[kept] = at;
                bagId[kept++] = id;
            }
        }
        bagCount = kept;
    }

    private void ensureBuckets(int count) {
        if (times.length < count) {
            int old = times.length;
            times = Arrays.copyOf(times, count);
            ids = Arrays.copyOf(ids, count);
            counts = Arrays.copyOf(counts, count);
            for (int k = old; k < count; k++) {
                times[k] = new long[16];
                ids[k] = new int[16];
            }
        }
    }

    private void append(int k, int id, long at) {
        int n = counts[k];
        if (n == times[k].length) {
            times[k] = Arrays.copyOf(times[k], n * 2);
            ids[k] = Arrays.copyOf(ids[k], n * 2);
        }
        times[k][n] = at;
        ids[k][n] = id;
        counts[k] = n + 1;
    }

    private void bag(int id, long at) {
        if (bagCount == bagTime.length) {
            bagTime = Arrays.copyOf(bagTime, bagCount * 2);
            bagId = Arrays.copyOf(bagId, bagCount * 2);
        }
        bagTime[bagCount] = at;
        bagId[bagCount++] = id;
    }
}
