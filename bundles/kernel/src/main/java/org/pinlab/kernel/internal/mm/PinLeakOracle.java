package org.pinlab.kernel.internal.mm;

import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.gup.Foll;
import org.pinlab.api.gup.PinRecord;
import org.pinlab.sim.Task;

/**
 * Pin leak: at a clean shutdown every process has exited, so every GUP grab still
 * recorded was never released; each is reported with its owner.
 */
final class PinLeakOracle {

    private final Kernel k;

    PinLeakOracle(Kernel k) {
        this.k = k;
    }

    int check() {
        if (k.pins == null) {
            return 0;
        }
        int leaked = 0;
        for (PinRecord r : k.pins.outstanding()) {
            leaked++;
            k.engine.report(FindingKind.PIN_LEAK, r.owner() + " still holds " + r.pfns().length + " pages ("
                    + Foll.describe(r.foll()) + ") taken at " + r.takenAt() + " ns", (Task) null);
        }
        return leaked;
    }
}
