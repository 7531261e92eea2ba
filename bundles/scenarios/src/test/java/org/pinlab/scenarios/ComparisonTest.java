package org.pinlab.scenarios;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class ComparisonTest {

    /** Ctrl-C interrupts the comparing thread: the runs done so far come back, marked partial. */
    @Test
    void anInterruptedComparisonReturnsTheRunsDoneSoFarMarkedPartial() throws Exception {
        List<Scenario> catalog = Catalog.load(TestImplementations.all());
        Comparison c = new Comparison(TestImplementations.all());
        CountDownLatch someDone = new CountDownLatch(3);
        AtomicReference<Comparison.Matrix> result = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                result.set(c.run(catalog, 200, 1, n -> someDone.countDown()));
            } catch (InterruptedException e) {
                throw new AssertionError("a first interrupt returns the partial matrix", e);
            }
        });
        t.start();
        someDone.await();
        t.interrupt();
        t.join(120_000);
        Comparison.Matrix m = result.get();
        assertTrue(m.partial());
        int runs = m.rows().stream().mapToInt(Comparison.Row::runs).sum();
        int all = catalog.stream().mapToInt(s -> s.combinations().size()).sum() * 200;
        assertTrue(runs >= 3 && runs < all, runs + " of " + all);
        assertFalse(c.run(List.of(catalog.get(0)), 1, 1, null).partial(), "a comparison run to its end is whole");
    }
}
