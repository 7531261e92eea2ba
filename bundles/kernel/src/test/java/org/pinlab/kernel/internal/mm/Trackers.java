package org.pinlab.kernel.internal.mm;

import org.pinlab.api.gup.PinTracker;
import org.pinlab.gup.internal.MergedPinTracker;
import org.pinlab.gup.internal.Rfc21BitPinTracker;

/** The gup bundle's pin trackers, for machines built in tests. */
final class Trackers {

    private Trackers() {
    }

    static PinTracker merged() {
        return new MergedPinTracker();
    }

    static PinTracker rfc21bit() {
        return new Rfc21BitPinTracker();
    }
}
