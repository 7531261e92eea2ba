package org.pinlab.kernel.internal.mm;

import org.pinlab.api.finding.FindingKind;

/** Torn write: a page changed while its write was in flight, on a filesystem that needs stable pages. */
final class TornWriteOracle {

    private final Kernel k;

    TornWriteOracle(Kernel k) {
        this.k = k;
    }

    void changedUnderWriteback(Inode inode, int index, int pfn) {
        k.engine.report(FindingKind.TORN_WRITE, "page changed under writeback: "
                + (inode == null ? "pfn " + pfn : "inode " + inode.ino + " page " + index)
                + " on a filesystem with stable writes; the block on disk matches neither version");
    }
}
