package org.pinlab.strategies.internal.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pinlab.api.gup.Foll;
import org.pinlab.api.policy.ReleaseStrategy;

class ReleaseStrategyTest {

    private final ReleaseStrategy legacy = new LegacyReleaseStrategy();
    private final ReleaseStrategy tracked = new TrackedReleaseStrategy();
    private final ReleaseStrategy bounce = new BounceReleaseStrategy();

    @Test
    void legacyTakesPlainReferencesWithWriteOnlyForWrites() {
        assertEquals(Foll.GET, legacy.grabFlags(false, false));
        assertEquals(Foll.GET | Foll.WRITE, legacy.grabFlags(true, false));
    }

    @Test
    void legacyIgnoresLongtermBecauseGetUserPagesHadNoLongtermTracking() {
        assertEquals(Foll.GET, legacy.grabFlags(false, true));
        assertEquals(Foll.GET | Foll.WRITE, legacy.grabFlags(true, true));
    }

    @Test
    void trackedPinsWithWriteAndLongtermAsAsked() {
        assertEquals(Foll.PIN, tracked.grabFlags(false, false));
        assertEquals(Foll.PIN | Foll.WRITE, tracked.grabFlags(true, false));
        assertEquals(Foll.PIN | Foll.LONGTERM, tracked.grabFlags(false, true));
        assertEquals(Foll.PIN | Foll.WRITE | Foll.LONGTERM, tracked.grabFlags(true, true));
    }

    @Test
    void bouncePinsExactlyAsTrackedDoes() {
        for (boolean write : new boolean[] {false, true}) {
            for (boolean longterm : new boolean[] {false, true}) {
                assertEquals(tracked.grabFlags(write, longterm), bounce.grabFlags(write, longterm),
                        "write=" + write + " longterm=" + longterm);
            }
        }
    }

    @Test
    void onlyBounceSendsDeviceWritesIntoFilePagesThroughBounceBuffers() {
        assertFalse(legacy.bounceFileWrites());
        assertFalse(tracked.bounceFileWrites());
        assertTrue(bounce.bounceFileWrites());
    }

    static Stream<Arguments> everyStrategyAndRequest() {
        List<Arguments> all = new ArrayList<>();
        for (ReleaseStrategy strategy : List.of(new LegacyReleaseStrategy(), new TrackedReleaseStrategy(),
                new BounceReleaseStrategy())) {
            for (boolean write : new boolean[] {false, true}) {
                for (boolean longterm : new boolean[] {false, true}) {
                    all.add(Arguments.of(strategy.name(), strategy, write, longterm));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} write={2} longterm={3}")
    @MethodSource("everyStrategyAndRequest")
    void everyGrabIsAValidGupCall(String name, ReleaseStrategy strategy, boolean write, boolean longterm) {
        int foll = strategy.grabFlags(write, longterm);
        Foll.validate(foll);
        String flags = Foll.describe(foll);
        assertFalse((foll & Foll.GET) != 0 && (foll & Foll.PIN) != 0, "GET with PIN: " + flags);
        assertFalse((foll & Foll.LONGTERM) != 0 && (foll & Foll.PIN) == 0, "LONGTERM without PIN: " + flags);
        assertEquals(write, (foll & Foll.WRITE) != 0, "FOLL_WRITE exactly when writing: " + flags);
    }
}
