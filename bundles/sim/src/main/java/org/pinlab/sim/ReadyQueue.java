package org.pinlab.sim;

import java.util.Arrays;

/**
 * The runnable tasks ordered by (ready time, task id). Tasks leave it in exactly that order
 * (or, at a scheduling decision, as candidates listed in that order); how they are stored
 * is free.
 *
 * <p>Up to {@value #SPILL} tasks live in a 4-ary min-heap over primitive arrays. Four
 * children per node halve the depth of a binary heap, and the keys of siblings share a
 * cache line. Slots past the last task hold a sentinel that sorts after every task, so a
 * node's four children can always be read and compared without checking which exist.
 *
 * <p>When the heap outgrows that, the tasks due later than a horizon move to a
 * {@link Ladder}, and the heap holds only those due before it: a pop then sifts through a
 * few hundred tasks that fit in the cache instead of every pending one, and an add past
 * the horizon is an append. The tasks taken from the ladder into the heap are listed
 * ({@link #arrivals}) so the engine can load them together, before their turns.
 *
 * <p>No index from task to slot is kept: maintaining one costs a scattered write per level
 * on every step, while removal from the middle is only needed at scheduling decisions
 * (whose candidates carry their slots) and at the rare wakeup of a timed wait (a linear
 * search).
 */
final class ReadyQueue {

    /** The heap's size at which the later tasks move to the ladder. */
    static final int SPILL = 2048;
    /** Past the last task: a slot no task sorts after (ids are below {@code Integer.MAX_VALUE}). */
    private static final long NO_TIME = Long.MAX_VALUE;
    private static final int NO_TASK = Integer.MAX_VALUE;
    /** Sentinel slots kept past the last task: a node's children are always readable. */
    private static final int PAD = 4;

    private long[] time = sentinels(64);
    private int[] task = sentinelIds(64);
    private int size;
    private final Ladder ladder = new Ladder();
    /**
     * The heap size that spills into the ladder: twice what the heap held after it last took
     * a bucket, so that a bucket of tasks all due at one instant does not spill straight back.
     */
    private int spillAt = SPILL;
    /** Heap slots of the candidates the last {@link #collectUpTo} returned, in the same order. */
    private int[] slots = new int[16];
    /** Tasks moved from the ladder since the engine last looked: at most as many as are worth loading ahead. */
    private final int[] arrived = new int[4 * Ladder.BUCKET_TARGET];
    private int arrivedCount;

    int size() {
        return size + ladder.size();
    }

    boolean isEmpty() {
        return size == 0 && ladder.size() == 0;
    }

    /** The earliest ready time; the queue must not be empty. */
    long minTime() {
        settle(Long.MIN_VALUE);
        return time[0];
    }

    /**
     * True if the earliest task is the only one ready no later than {@code limit}. A child
     * sorts no earlier than its parent, so the root's children settle it, if nothing in the
     * ladder could be that early.
     */
    boolean onlyMinUpTo(long limit) {
        settle(limit);
        return time[1] > limit && time[2] > limit && time[3] > limit && time[4] > limit;
    }

    void add(int id, long at) {
        if (at < ladder.horizon() || at >= Ladder.TIME_LIMIT) {
            push(id, at);
            if (size > spillAt) {
                spill();
            }
        } else {
            ladder.add(id, at);
        }
    }

    int pollMin() {
        settle(Long.MIN_VALUE);
        int id = task[0];
        removeAt(0);
        return id;
    }

    /** Removes a task wherever it is (a timed wait woken early): a linear search. */
    void remove(int id) {
        for (int i = 0; i < size; i++) {
            if (task[i] == id) {
                removeAt(i);
                return;
            }
        }
        if (!ladder.remove(id)) {
            throw new IllegalStateException("task " + id + " is not in the ready queue");
        }
    }

    /**
     * How many tasks the ladder moved into the heap since the last call, listed in
     * {@link #arrived()}; the call clears the list.
     */
    int arrivals() {
        int n = arrivedCount;
        arrivedCount = 0;
        return n;
    }

    int[] arrived() {
        return arrived;
    }

    /** Called by the ladder for each task it moves into the heap. */
    void arrive(int id, long at) {
        push(id, at);
        if (arrivedCount < arrived.length) {
            arrived[arrivedCount++] = id;
        }
    }

    /**
     * Takes buckets from the ladder until the heap holds the earliest task and every task
     * ready no later than {@code limit}: all the ladder holds is at or after its horizon.
     */
    private void settle(long limit) {
        if (ladder.size() == 0) {
            return;
        }
        boolean took = false;
        while (ladder.size() > 0 && (size == 0 || time[0] >= ladder.horizon() || limit >= ladder.horizon())) {
            ladder.takeEarliest(this);
            took = true;
        }
        if (took) {
            spillAt = Math.max(SPILL, 2 * size);
        }
    }

    /** Moves the heap's tasks to the ladder (all but those too late for it), which lays out new buckets. */
    private void spill() {
        int n = size;
        long[] t = Arrays.copyOf(time, n);
        int[] d = Arrays.copyOf(task, n);
        Arrays.fill(time, 0, n, NO_TIME);
        Arrays.fill(task, 0, n, NO_TASK);
        size = 0;
        int moving = 0;
        for (int i = 0; i < n; i++) {
            if (t[i] < Ladder.TIME_LIMIT) {
                t[moving] = t[i];
                d[moving++] = d[i];
            } else {
                push(d[i], t[i]);
            }
        }
        ladder.spill(t, d, moving);
    }

    /**
     * Collects the ids of every task ready no later than {@code limit}, in (time, id) order,
     * remembering their slots for {@link #removeCandidate}.
     *
     * @return how many were written to {@code out} (which grows as needed)
     */
    int collectUpTo(long limit, int[][] out) {
        settle(limit);
        int n = collect(0, limit, out, 0);
        if (n > 1) {
            sortByTimeThenId(out[0], n);
        }
        return n;
    }

    /** Removes the {@code k}-th candidate of the last {@link #collectUpTo}; nothing may change the heap between. */
    void removeCandidate(int k) {
        removeAt(slots[k]);
    }

    private void push(int id, long at) {
        if (size + PAD >= time.length) {
            grow();
        }
        siftUp(size++, id, at);
    }

    private void grow() {
        int old = time.length;
        long[] t = sentinels(old * 2);
        int[] k = sentinelIds(old * 2);
        System.arraycopy(time, 0, t, 0, size);
        System.arraycopy(task, 0, k, 0, size);
        time = t;
        task = k;
    }

    private static long[] sentinels(int n) {
        long[] a = new long[n];
        Arrays.fill(a, NO_TIME);
        return a;
    }

    private static int[] sentinelIds(int n) {
        int[] a = new int[n];
        Arrays.fill(a, NO_TASK);
        return a;
    }

    private int collect(int i, long limit, int[][] out, int n) {
        if (i >= size || time[i] > limit) {
            return n;
        }
        if (n == out[0].length) {
            out[0] = Arrays.copyOf(out[0], n * 2);
        }
        if (n == slots.length) {
            slots = Arrays.copyOf(slots, n * 2);
        }
        out[0][n] = task[i];
        slots[n] = i;
        n++;
        int first = 4 * i + 1;
        for (int c = first; c < first + 4; c++) {
            n = collect(c, limit, out, n);
        }
        return n;
    }

    private void sortByTimeThenId(int[] ids, int n) {
        // n is small (the tasks inside one race window): insertion sort, slots moved alongside
        for (int i = 1; i < n; i++) {
            int id = ids[i];
            int slot = slots[i];
            long t = time[slot];
            int j = i - 1;
            while (j >= 0 && before(t, id, time[slots[j]], ids[j])) {
                ids[j + 1] = ids[j];
                slots[j + 1] = slots[j];
                j--;
            }
            ids[j + 1] = id;
            slots[j + 1] = slot;
        }
    }

    private void removeAt(int i) {
        int last = --size;
        int id = task[last];
        long at = time[last];
        time[last] = NO_TIME;
        task[last] = NO_TASK;
        if (i == last) {
            return;
        }
        if (i > 0 && before(at, id, time[(i - 1) >>> 2], task[(i - 1) >>> 2])) {
            siftUp(i, id, at);
        } else {
            siftDown(i, id, at);
        }
    }

    private static boolean before(long t1, int id1, long t2, int id2) {
        return t1 < t2 || (t1 == t2 && id1 < id2);
    }

    private void siftUp(int i, int id, long at) {
        long[] time = this.time;
        int[] task = this.task;
        while (i > 0) {
            int parent = (i - 1) >>> 2;
            if (!before(at, id, time[parent], task[parent])) {
                break;
            }
            time[i] = time[parent];
            task[i] = task[parent];
            i = parent;
        }
        time[i] = at;
        task[i] = id;
    }

    private void siftDown(int i, int id, long at) {
        long[] time = this.time;
        int[] task = this.task;
        int size = this.size;
        while (true) {
            int c = 4 * i + 1;
            if (c >= size) {
                break;
            }
            // missing children are sentinels, which lose every comparison
            int a = before(time[c + 1], task[c + 1], time[c], task[c]) ? c + 1 : c;
            int b = before(time[c + 3], task[c + 3], time[c + 2], task[c + 2]) ? c + 3 : c + 2;
            int best = before(time[b], task[b], time[a], task[a]) ? b : a;
            if (!before(time[best], task[best], at, id)) {
                break;
            }
            time[i] = time[best];
            task[i] = task[best];
            i = best;
        }
        time[i] = at;
        task[i] = id;
    }
}
