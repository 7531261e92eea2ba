package org.pinlab.kernel.internal;

import org.pinlab.api.gup.PinTracker;
import org.pinlab.gup.internal.FollPin2019PinTracker;
import org.pinlab.gup.internal.MergedPinTracker;
import org.pinlab.gup.internal.Rfc2019PinTracker;

/** The gup bundle's pin trackers, for machines built in tests. */
public final class Trackers {

    private Trackers() {
    }

    public static PinTracker merged() {
        return new MergedPinTracker();
    }

    /** The Nov-Dec 2019 FOLL_PIN series: every subpage pin 1024 on the head. */
    public static PinTracker follPin2019() {
        return new FollPin2019PinTracker();
    }

    /** The February 2019 tracking RFC of seed 000. */
    public static PinTracker rfc2019() {
        return new Rfc2019PinTracker();
    }
}
