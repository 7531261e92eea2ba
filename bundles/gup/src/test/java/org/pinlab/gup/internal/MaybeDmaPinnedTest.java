package org.pinlab.gup.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pinlab.api.gup.Foll;
import org.pinlab.api.gup.PinAccounting;
import org.pinlab.api.gup.PinTracker;

class MaybeDmaPinnedTest {

    private static final int HEAD = FakeFolioCounters.LARGE_HEAD;
    private static final int[] PAGES = {7, 8, HEAD, HEAD + 1, HEAD + 300, HEAD + 511};

    /** Mixed gets and pins in a fixed pseudo-random order: a held pin always shows. */
    @ParameterizedTest
    @MethodSource("org.pinlab.gup.internal.Trackers#both")
    void aHeldPinIsNeverAFalseNegative(PinTracker tracker) {
        FakeFolioCounters folios = new FakeFolioCounters();
        PinAccounting pins = tracker.create(folios);
        Random random = new Random(42);
        List<int[]> held = new ArrayList<>(); // {pfn, foll}

        for (int step = 0; step < 20_000; step++) {
            boolean take = held.isEmpty() || random.nextInt(100) < 55;
            if (take) {
                int pfn = PAGES[random.nextInt(PAGES.length)];
                int foll = random.nextBoolean() ? Foll.GET : Foll.PIN | (random.nextBoolean() ? Foll.LONGTERM : 0);
                assertEquals(0, pins.tryGrab(pfn, foll));
                held.add(new int[] {pfn, foll});
            } else {
                int[] g = held.remove(random.nextInt(held.size()));
                pins.ungrab(g[0], g[1]);
            }
            for (int pfn : PAGES) {
                int head = folios.compoundHead(pfn);
                boolean pinHeld = held.stream().anyMatch(g -> folios.compoundHead(g[0]) == head && (g[1] & Foll.PIN) != 0);
                if (pinHeld) {
                    assertTrue(pins.maybeDmaPinned(pfn), "pfn " + pfn + " holds a pin at step " + step);
                }
            }
        }
        for (int[] g : held) {
            pins.ungrab(g[0], g[1]);
        }
        assertEquals(1, folios.refcount[7]);
        assertEquals(1, folios.refcount[HEAD]);
        assertEquals(0, folios.pincount[HEAD]);
        assertEquals(pins.pinsAcquired(), pins.pinsReleased());
        assertTrue(folios.reports.isEmpty(), folios.reports.toString());
    }
}
