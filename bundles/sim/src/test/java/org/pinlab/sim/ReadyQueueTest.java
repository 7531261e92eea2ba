package org.pinlab.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/**
 * The ready queue against a sorted set of (time, id): however it stores tasks (heap only,
 * or heap plus ladder once it spills), they leave in the same order.
 */
class ReadyQueueTest {

    private static final Comparator<long[]> BY_TIME_THEN_ID =
            Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]);

    /** The queue and a sorted set fed the same operations, checked against each other at every one. */
    private static final class Pair {
        final ReadyQueue queue = new ReadyQueue();
        final TreeSet<long[]> expected = new TreeSet<>(BY_TIME_THEN_ID);
        final long[] times = new long[100_000];

        void add(int id, long at) {
            queue.add(id, at);
            expected.add(new long[] {at, id});
            times[id] = at;
        }

        int poll() {
            long[] first = expected.pollFirst();
            assertEquals(first[0], queue.minTime());
            int id = queue.pollMin();
            assertEquals(first[1], id, "popped out of (time, id) order");
            return id;
        }

        /** As the engine decides: every task up to {@code window} after the earliest, then one of them. */
        int decide(long window, int pick) {
            long limit = queue.minTime() + window;
            int[][] out = {new int[4]};
            int n = queue.collectUpTo(limit, out);
            List<long[]> due = new ArrayList<>(expected.headSet(new long[] {limit, Long.MAX_VALUE}));
            assertEquals(due.size(), n, "candidates within the window");
            assertEquals(n == 1, queue.onlyMinUpTo(limit));
            for (int i = 0; i < n; i++) {
                assertEquals(due.get(i)[1], out[0][i], "candidate " + i + " out of (time, id) order");
            }
            int k = pick % n;
            queue.removeCandidate(k);
            expected.remove(due.get(k));
            return out[0][k];
        }

        void remove(int id) {
            queue.remove(id);
            expected.remove(new long[] {times[id], id});
        }
    }

    @Test
    void tasksLeaveInTimeThenIdOrderBeforeAndAfterTheHeapSpills() {
        Pair p = new Pair();
        SeededRandom r = new SeededRandom(7);
        // ties on purpose: ids added out of order at the same times
        for (int id = ReadyQueue.SPILL * 3; id > 0; id--) {
            p.add(id, r.between(0, 500));
        }
        long now = 0;
        for (int step = 0; step < 200_000; step++) {
            int id = r.nextInt(10) == 0 ? p.decide(r.between(0, 40), r.nextInt(1000)) : p.poll();
            now = Math.max(now, p.times[id]);
            p.add(id, now + (r.nextInt(4) == 0 ? 0 : r.between(0, 2_000)));
        }
        while (!p.expected.isEmpty()) {
            p.poll();
        }
        assertTrue(p.queue.isEmpty());
    }

    @Test
    void lateAddsEarlyRemovalsAndFarTimersKeepTheOrder() {
        Pair p = new Pair();
        SeededRandom r = new SeededRandom(11);
        int next = 0;
        for (; next < 3 * ReadyQueue.SPILL; next++) {
            p.add(next, r.between(1_000, 1_000_000));
        }
        p.add(next++, Ladder.TIME_LIMIT + 5); // a timer past what the ladder holds
        p.add(next++, 50_000_000_000L);       // and one far off, which must not drag the rest into one bucket
        for (int round = 0; round < 20_000; round++) {
            switch (r.nextInt(6)) {
                case 0 -> p.add(next++, r.between(0, 2_000_000)); // before the horizon, or after
                case 1 -> p.remove(randomQueued(p, r));            // a timed wait woken early
                case 2 -> p.decide(r.between(0, 5_000), r.nextInt(100));
                default -> p.poll();
            }
            if (p.expected.size() < 10) {
                p.add(next++, r.between(0, 2_000_000));
            }
        }
        while (!p.expected.isEmpty()) {
            p.poll();
        }
        assertTrue(p.queue.isEmpty());
    }

    private static int randomQueued(Pair p, SeededRandom r) {
        long[][] all = p.expected.toArray(new long[0][]);
        return (int) all[r.nextInt(all.length)][1];
    }

    @Test
    void manyTasksAtOneInstantStillComeOutById() {
        Pair p = new Pair();
        for (int id = 5 * ReadyQueue.SPILL; id >= 0; id--) {
            p.add(id, 1_000);
        }
        for (int i = 0; i <= 5 * ReadyQueue.SPILL; i++) {
            assertEquals(i, p.poll());
        }
        assertTrue(p.queue.isEmpty());
    }

    @Test
    void removingATaskThatIsNotQueuedIsAnError() {
        ReadyQueue q = new ReadyQueue();
        for (int id = 0; id < 2 * ReadyQueue.SPILL; id++) {
            q.add(id, id * 10L);
        }
        q.remove(ReadyQueue.SPILL + 3);
        assertThrows(IllegalStateException.class, () -> q.remove(ReadyQueue.SPILL + 3));
    }
}
