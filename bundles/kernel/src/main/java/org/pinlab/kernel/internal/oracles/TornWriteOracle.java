package org.pinlab.kernel.internal.oracles;

import org.pinlab.api.finding.FindingKind;
import org.pinlab.kernel.internal.mm.Inode;
import org.pinlab.sim.Engine;

/** Torn write: a page changed while its write was in flight, on a filesystem that needs stable pages. */
final class TornWriteOracle {

    private final Engine engine;

    TornWriteOracle(Engine engine) {
        this.engine = engine;
    }

    void changedUnderWriteback(Inode inode, int index, int pfn) {
        engine.report(FindingKind.TORN_WRITE, "page changed under writeback: "
                + (inode == null ? "pfn " + pfn : "inode " + inode.ino + " page " + index)
                + " on a filesystem with stable writes; the block on disk matches neither version");
    }
}
