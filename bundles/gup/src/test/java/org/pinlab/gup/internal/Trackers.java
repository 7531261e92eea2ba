package org.pinlab.gup.internal;

import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.pinlab.api.gup.PinTracker;

/** Both pin layouts, as parameters for tests that hold for either. */
final class Trackers {

    private Trackers() {
    }

    static Stream<Named<PinTracker>> both() {
        return Stream.of(Named.of("merged", new MergedPinTracker()), Named.of("foll-pin-2019", new FollPin2019PinTracker()));
    }
}
