package org.pinlab.kernel.internal.oracles;

import org.pinlab.api.finding.FindingKind;
import org.pinlab.kernel.internal.frames.ZoneDevice;
import org.pinlab.sim.Engine;

/** Use after free: a device or task touched a frame that is back in the allocator. */
final class UseAfterFreeOracle {

    private final Engine engine;
    private final ZoneDevice zoneDevice;

    UseAfterFreeOracle(Engine engine, ZoneDevice zoneDevice) {
        this.engine = engine;
        this.zoneDevice = zoneDevice;
    }

    void touched(int pfn, String what) {
        // a pmem frame never goes back to the allocator: what was freed is its block, in the filesystem
        String state = zoneDevice.isPmem(pfn) ? " is pmem whose block the filesystem freed" : " is free";
        engine.report(FindingKind.USE_AFTER_FREE, what + ": pfn " + pfn + state);
    }
}
