package org.pinlab.testing;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.pinlab.api.device.DmaMap;

/**
 * What a device under test did with its mappings, as {@link RecordingDeviceContext} saw it:
 * the pins it asked for and what came back, the releases it asked for, the revokes it agreed
 * to, the DMA it did, and every breach of the device contract, with the time it happened.
 */
final class DeviceLedger {

    /** One mapping the device got: how many pages it asked for, and what became of it. */
    static final class Taken {
        final DmaMap map;
        final int asked;
        final long at;
        int releasedByDevice;
        boolean revokeAgreed;

        Taken(DmaMap map, int asked, long at) {
            this.map = map;
            this.asked = asked;
            this.at = at;
        }

        boolean shortPin() {
            return map.pages() < asked;
        }

        @Override
        public String toString() {
            return "pages [" + map.first() + ", " + (map.first() + map.pages()) + ") of " + map.buffer().name()
                    + " (asked " + asked + ") taken at " + at + " ns";
        }
    }

    final Map<DmaMap, Taken> taken = new IdentityHashMap<>();
    final List<String> breaches = new ArrayList<>();
    int pinsAsked;
    int failedPins;
    int dmaAccesses;
    int revokesAsked;
    /** Whether the device said it was done (its step returned false). */
    boolean finishedOnItsOwn;

    void breach(long now, String what) {
        breaches.add(now + " ns: " + what);
    }

    List<Taken> all() {
        return List.copyOf(taken.values());
    }
}
