package org.pinlab.kernel.internal.oracles;

import org.pinlab.api.finding.FindingKind;
import org.pinlab.kernel.internal.mm.Inode;
import org.pinlab.sim.Engine;

/**
 * fsync that lied: fsync returned success, yet data written before it started is not
 * durable, and no writeback error recorded for the file accounts for it.
 */
final class FsyncOracle {

    private final Engine engine;
    private final FileTruth truth;

    FsyncOracle(Engine engine, FileTruth truth) {
        this.engine = engine;
        this.truth = truth;
    }

    /** What fsync promises to make durable, taken when it starts. */
    long[] promise(Inode inode) {
        return truth.snapshot(inode);
    }

    /** After fsync returned 0: data not overwritten since must be on disk. */
    void returned(Inode inode, long[] promised) {
        for (int index = 0; index < promised.length && index < inode.sizePages; index++) {
            long want = promised[index];
            if (want != 0 && inode.mapping.lostToError(index) == want) {
                continue; // its write failed and the error is in wb_err: fsync reports it, no lie
            }
            if (want != 0 && truth.durable(inode, index) != want && truth.latest(inode, index) == want) {
                engine.report(FindingKind.FSYNC_LIED, "fsync of inode " + inode.ino + " returned 0 but page "
                        + index + " (data " + want + ") is not on disk");
                return;
            }
        }
    }
}
