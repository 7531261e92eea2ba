package org.pinlab.kernel.internal.oracles;

import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.gup.Foll;
import org.pinlab.api.gup.PinRecord;
import org.pinlab.kernel.internal.frames.FolioPins;
import org.pinlab.sim.Engine;
import org.pinlab.sim.Task;

/**
 * Pin leak: at a clean shutdown every process has exited, so every GUP grab still
 * recorded was never released; each is reported with its owner.
 */
final class PinLeakOracle {

    private final Engine engine;
    private final FolioPins pins;

    PinLeakOracle(Engine engine, FolioPins pins) {
        this.engine = engine;
        this.pins = pins;
    }

    int check() {
        if (!pins.hasTracker()) {
            return 0;
        }
        int leaked = 0;
        for (PinRecord r : pins.accounting().outstanding()) {
            leaked++;
            engine.report(FindingKind.PIN_LEAK, r.owner() + " still holds " + r.pfns().length + " pages ("
                    + Foll.describe(r.foll()) + ") taken at " + r.takenAt() + " ns", (Task) null);
        }
        return leaked;
    }
}
