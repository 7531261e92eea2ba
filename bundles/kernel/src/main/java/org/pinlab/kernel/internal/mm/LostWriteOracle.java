package org.pinlab.kernel.internal.mm;

import org.pinlab.api.finding.FindingKind;
import org.pinlab.sim.Task;

/**
 * Lost write: after a final sync, every file page's durable data must be the last data
 * written into it. Run once, at the end of a clean shutdown.
 */
final class LostWriteOracle {

    /** Findings per run: the count says the rest. */
    private static final int REPORTED = 8;

    private final Kernel k;
    private final FileTruth truth;

    LostWriteOracle(Kernel k, FileTruth truth) {
        this.k = k;
        this.truth = truth;
    }

    int check() {
        int lost = 0;
        for (Inode inode : k.inodes()) {
            if (!inode.mount.sb.hasBackingStore()) {
                continue;
            }
            for (int index = 0; index < inode.sizePages; index++) {
                long want = truth.latest(inode, index);
                long have = truth.durable(inode, index);
                if (want != 0 && have != want && ++lost <= REPORTED) {
                    k.engine.report(FindingKind.LOST_WRITE, "inode " + inode.ino + " page " + index + ": last write "
                            + want + " is not on disk after sync (disk holds " + have + ")", (Task) null);
                }
            }
        }
        return lost;
    }
}
