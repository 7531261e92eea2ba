package org.pinlab.gup.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pinlab.api.gup.Foll;
import org.pinlab.api.gup.PinAccounting;
import org.pinlab.api.gup.PinTracker;

class FollFlagsTest {

    private static final String BOTH = "org.pinlab.gup.internal.Trackers#both";

    @ParameterizedTest
    @MethodSource(BOTH)
    void getAndPinNeverMixInOneGrab(PinTracker tracker) {
        FakeFolioCounters folios = new FakeFolioCounters();
        PinAccounting pins = tracker.create(folios);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> pins.tryGrab(5, Foll.GET | Foll.PIN));
        assertTrue(e.getMessage().contains("never mix"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> pins.ungrab(5, Foll.GET | Foll.PIN));
        assertThrows(IllegalArgumentException.class, () -> pins.record("mlx5_0", new int[] {5}, Foll.GET | Foll.PIN));
        assertEquals(1, folios.refcount[5], "nothing was taken");
        assertTrue(pins.outstanding().isEmpty());
    }

    @ParameterizedTest
    @MethodSource(BOTH)
    void longtermNeedsPin(PinTracker tracker) {
        FakeFolioCounters folios = new FakeFolioCounters();
        PinAccounting pins = tracker.create(folios);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> pins.tryGrab(5, Foll.GET | Foll.LONGTERM));
        assertTrue(e.getMessage().contains("FOLL_LONGTERM requires FOLL_PIN"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> pins.record("vfio", new int[] {5}, Foll.GET | Foll.LONGTERM));
        assertEquals(1, folios.refcount[5]);

        assertEquals(0, pins.tryGrab(5, Foll.PIN | Foll.LONGTERM | Foll.WRITE), "with FOLL_PIN it is fine");
    }

    @ParameterizedTest
    @MethodSource(BOTH)
    void aGrabTakesEitherGetOrPin(PinTracker tracker) {
        FakeFolioCounters folios = new FakeFolioCounters();
        PinAccounting pins = tracker.create(folios);

        assertThrows(IllegalArgumentException.class, () -> pins.tryGrab(5, Foll.WRITE));
        assertThrows(IllegalArgumentException.class, () -> pins.ungrab(5, 0));
        assertEquals(1, folios.refcount[5]);
        assertEquals(0, pins.pinsAcquired());
    }
}
