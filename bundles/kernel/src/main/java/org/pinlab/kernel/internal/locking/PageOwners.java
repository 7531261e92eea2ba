package org.pinlab.kernel.internal.locking;

import java.util.Arrays;

import org.pinlab.sim.Task;

/**
 * Which task holds each locked page: an open-addressing map from pfn to task, sized by the
 * pages locked at once (a handful), not by memory. Primitive keys, so locking a page
 * allocates nothing. Never iterated.
 */
final class PageOwners {

    private static final int EMPTY = -1;

    private int[] keys = filled(16);
    private Task[] values = new Task[16];
    private int size;

    private static int[] filled(int n) {
        int[] a = new int[n];
        Arrays.fill(a, EMPTY);
        return a;
    }

    private int home(int pfn) {
        int h = pfn * 0x9E3779B9;
        return (h ^ (h >>> 16)) & (keys.length - 1);
    }

    Task get(int pfn) {
        int mask = keys.length - 1;
        for (int i = home(pfn); keys[i] != EMPTY; i = (i + 1) & mask) {
            if (keys[i] == pfn) {
                return values[i];
            }
        }
        return null;
    }

    void put(int pfn, Task t) {
        if (2 * (size + 1) > keys.length) {
            rehash(keys.length * 2);
        }
        int mask = keys.length - 1;
        int i = home(pfn);
        while (keys[i] != EMPTY && keys[i] != pfn) {
            i = (i + 1) & mask;
        }
        if (keys[i] == EMPTY) {
            keys[i] = pfn;
            size++;
        }
        values[i] = t;
    }

    /** Removes the pfn's entry, shifting later entries of its probe run back (no tombstones). */
    Task remove(int pfn) {
        int mask = keys.length - 1;
        int i = home(pfn);
        while (keys[i] != pfn) {
            if (keys[i] == EMPTY) {
                return null;
            }
            i = (i + 1) & mask;
        }
        Task old = values[i];
        size--;
        for (int j = (i + 1) & mask; keys[j] != EMPTY; j = (j + 1) & mask) {
            int k = home(keys[j]);
            // an entry may move back to the hole unless its home lies cyclically in (hole, j]
            boolean stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
            if (!stays) {
                keys[i] = keys[j];
                values[i] = values[j];
                i = j;
            }
        }
        keys[i] = EMPTY;
        values[i] = null;
        return old;
    }

    int size() {
        return size;
    }

    private void rehash(int capacity) {
        int[] oldKeys = keys;
        Task[] oldValues = values;
        keys = filled(capacity);
        values = new Task[capacity];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }
}
