package org.pinlab.kernel.internal.mm;

import org.pinlab.api.finding.FindingKind;

/** fsync that lied: fsync returned success, yet data written before it started is not durable. */
final class FsyncOracle {

    private final Kernel k;
    private final FileTruth truth;

    FsyncOracle(Kernel k, FileTruth truth) {
        this.k = k;
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
            if (want != 0 && truth.durable(inode, index) != want && truth.latest(inode, index) == want) {
                k.engine.report(FindingKind.FSYNC_LIED, "fsync of inode " + inode.ino + " returned 0 but page "
                        + index + " (data " + want + ") is not on disk");
                return;
            }
        }
    }
}
