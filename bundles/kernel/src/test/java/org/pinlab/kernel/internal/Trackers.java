package org.pinlab.kernel.internal;

import org.pinlab.api.gup.PinTracker;
import org.pinlab.gup.internal.MergedPinTracker;
import org.pinlab.gup.internal.Rfc21BitPinTracker;

/** The gup bundle's pin trackers, for machines built in tests. */
public final class Trackers {

    private Trackers() {
    }

    public static PinTracker merged() {
        return new MergedPinTracker();
    }

    public static PinTracker rfc21bit() {
        return new Rfc21BitPinTracker();
    }
}
