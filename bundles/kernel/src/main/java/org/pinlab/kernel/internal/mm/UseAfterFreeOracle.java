package org.pinlab.kernel.internal.mm;

import org.pinlab.api.finding.FindingKind;

/** Use after free: a device or task touched a frame that is back in the allocator. */
final class UseAfterFreeOracle {

    private final Kernel k;

    UseAfterFreeOracle(Kernel k) {
        this.k = k;
    }

    void touched(int pfn, String what) {
        // a pmem frame never goes back to the allocator: what was freed is its block, in the filesystem
        String state = k.pmem.get(pfn) ? " is pmem whose block the filesystem freed" : " is free";
        k.engine.report(FindingKind.USE_AFTER_FREE, what + ": pfn " + pfn + state);
    }
}
