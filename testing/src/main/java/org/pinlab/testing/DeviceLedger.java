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

    /** The ways a device breaks its contract, each checked by the test it belongs to. */
    enum Breach {
        /** DMA to a page the device holds no pin on, or through a released mapping. */
        DMA_OUTSIDE_PIN,
        /** DMA to a page past the end of what a mapping maps (a short pin's missing pages). */
        PAST_END,
        /** DMA through a mapping after agreeing to revoke it. */
        AFTER_REVOKE,
        /** A release of a mapping the device no longer holds. */
        DOUBLE_RELEASE
    }

    final Map<DmaMap, Taken> taken = new IdentityHashMap<>();
    final Map<Breach, List<String>> breaches = new java.util.EnumMap<>(Breach.class);
    int pinsAsked;
    int failedPins;
    int dmaAccesses;
    int revokesAsked;
    /** Whether the device said it was done (its step returned false). */
    boolean finishedOnItsOwn;

    void breach(Breach kind, long now, String what) {
        breaches.computeIfAbsent(kind, k -> new ArrayList<>()).add(now + " ns: " + what);
    }

    /** The breaches of the given kinds, oldest first within each kind. */
    List<String> breaches(Breach... kinds) {
        List<String> out = new ArrayList<>();
        for (Breach b : kinds) {
            out.addAll(breaches.getOrDefault(b, List.of()));
        }
        return out;
    }

    List<Taken> all() {
        return List.copyOf(taken.values());
    }
}
