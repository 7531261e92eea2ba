package org.pinlab.kernel.internal.locking;

import java.util.Arrays;

/**
 * One task's held-lock stack ({@code current->held_locks}): parallel arrays, so a push on
 * the uncontended path allocates nothing once the task's stack has grown to its depth.
 * Lockdep also keeps a lock here while its task waits for it.
 */
final class HeldLocks {

    LockClass[] classes = new LockClass[4];
    int[] instances = new int[4];
    boolean[] read = new boolean[4];
    int depth;

    void push(LockClass c, int instance, boolean isRead) {
        if (depth == classes.length) {
            classes = Arrays.copyOf(classes, depth * 2);
            instances = Arrays.copyOf(instances, depth * 2);
            read = Arrays.copyOf(read, depth * 2);
        }
        classes[depth] = c;
        instances[depth] = instance;
        read[depth] = isRead;
        depth++;
    }

    /**
     * The innermost entry for this lock, or -1: locks may be dropped out of order. Matches on
     * the base class, since the release does not say which nesting subclass the lock was taken as.
     */
    int find(LockClass c, int instance) {
        for (int i = depth - 1; i >= 0; i--) {
            if (classes[i].base == c.base && instances[i] == instance) {
                return i;
            }
        }
        return -1;
    }

    void remove(int i) {
        int tail = depth - i - 1;
        System.arraycopy(classes, i + 1, classes, i, tail);
        System.arraycopy(instances, i + 1, instances, i, tail);
        System.arraycopy(read, i + 1, read, i, tail);
        classes[--depth] = null;
    }
}
