package org.pinlab.sim;

import java.util.Arrays;

/**
 * The runnable tasks ordered by (ready time, task id): a 4-ary min-heap over primitive
 * arrays. Four children per node halve the depth of a binary heap, and the keys of
 * siblings share a cache line. No index from task to heap slot is kept: maintaining one
 * costs a scattered write per level on every step, while removal from the middle is only
 * needed at scheduling decisions (whose candidates carry their slots) and at the rare
 * wakeup of a timed wait (a linear search).
 */
final class ReadyQueue {

    private long[] time = new long[64];
    private int[] task = new int[64];
    private int size;
    /** Heap slots of the candidates the last {@link #collectUpTo} returned, in the same order. */
    private int[] slots = new int[16];

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    long minTime() {
        return time[0];
    }

    void add(int id, long at) {
        if (size == time.length) {
            time = Arrays.copyOf(time, size * 2);
            task = Arrays.copyOf(task, size * 2);
        }
        siftUp(size++, id, at);
    }

    int pollMin() {
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
        throw new IllegalStateException("task " + id + " is not in the ready queue");
    }

    /**
     * Collects the ids of every task ready no later than {@code limit}, in (time, id) order,
     * remembering their slots for {@link #removeCandidate}.
     *
     * @return how many were written to {@code out} (which grows as needed)
     */
    int collectUpTo(long limit, int[][] out) {
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
        size--;
        if (i == size) {
            return;
        }
        int id = task[size];
        long at = time[size];
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
        while (true) {
            int first = 4 * i + 1;
            if (first >= size) {
                break;
            }
            int best = first;
            int last = Math.min(first + 4, size);
            for (int c = first + 1; c < last; c++) {
                if (before(time[c], task[c], time[best], task[best])) {
                    best = c;
                }
            }
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
