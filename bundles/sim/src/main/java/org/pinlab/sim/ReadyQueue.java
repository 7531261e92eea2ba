package org.pinlab.sim;

import java.util.Arrays;

/**
 * The runnable tasks ordered by (ready time, task id): a 4-ary min-heap over primitive
 * arrays, with each task's position kept so a chosen task can be removed from the middle.
 * Four children per node halve the depth of a binary heap, and the keys of siblings share
 * a cache line.
 */
final class ReadyQueue {

    private long[] time = new long[64];
    private int[] task = new int[64];
    private int[] pos = new int[64];
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    long minTime() {
        return time[0];
    }

    int minTask() {
        return task[0];
    }

    boolean contains(int id) {
        return id < pos.length && pos[id] > 0;
    }

    void add(int id, long at) {
        if (size == time.length) {
            time = Arrays.copyOf(time, size * 2);
            task = Arrays.copyOf(task, size * 2);
        }
        if (id >= pos.length) {
            pos = Arrays.copyOf(pos, Math.max(id + 1, pos.length * 2));
        }
        siftUp(size++, id, at);
    }

    int pollMin() {
        int id = task[0];
        removeAt(0);
        return id;
    }

    void remove(int id) {
        removeAt(pos[id] - 1);
    }

    /**
     * Collects the ids of every task ready no later than {@code limit}, in (time, id) order.
     *
     * @return how many were written to {@code out} (which grows as needed)
     */
    int collectUpTo(long limit, int[][] out) {
        int n = collect(0, limit, out, 0);
        sortByTimeThenId(out[0], n);
        return n;
    }

    private int collect(int i, long limit, int[][] out, int n) {
        if (i >= size || time[i] > limit) {
            return n;
        }
        if (n == out[0].length) {
            out[0] = Arrays.copyOf(out[0], n * 2);
        }
        out[0][n++] = task[i];
        int first = 4 * i + 1;
        for (int c = first; c < first + 4; c++) {
            n = collect(c, limit, out, n);
        }
        return n;
    }

    private void sortByTimeThenId(int[] ids, int n) {
        // n is small (the tasks inside one race window): insertion sort
        for (int i = 1; i < n; i++) {
            int id = ids[i];
            long t = time[pos[id] - 1];
            int j = i - 1;
            while (j >= 0 && before(t, id, time[pos[ids[j]] - 1], ids[j])) {
                ids[j + 1] = ids[j];
                j--;
            }
            ids[j + 1] = id;
        }
    }

    long timeOf(int id) {
        return time[pos[id] - 1];
    }

    private void removeAt(int i) {
        pos[task[i]] = 0;
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
            place(i, task[parent], time[parent]);
            i = parent;
        }
        place(i, id, at);
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
            place(i, task[best], time[best]);
            i = best;
        }
        place(i, id, at);
    }

    private void place(int i, int id, long at) {
        task[i] = id;
        time[i] = at;
        pos[id] = i + 1;
    }
}
