package org.pinlab.kernel.internal.oracles;

import org.pinlab.api.finding.FindingKind;
import org.pinlab.kernel.internal.mm.Inode;
import org.pinlab.kernel.internal.mm.Inodes;
import org.pinlab.sim.Engine;
import org.pinlab.sim.Task;

/**
 * Lost write: after a final sync, every file page's durable data must be the last data
 * written into it. Run once, at the end of a clean shutdown.
 */
final class LostWriteOracle {

    /** Findings per run: the count says the rest. */
    private static final int REPORTED = 8;

    private final Engine engine;
    private final Inodes inodes;
    private final FileTruth truth;

    LostWriteOracle(Engine engine, Inodes inodes, FileTruth truth) {
        this.engine = engine;
        this.inodes = inodes;
        this.truth = truth;
    }

    int check() {
        int lost = 0;
        for (Inode inode : inodes.all()) {
            if (!inode.mount.sb.hasBackingStore()) {
                continue;
            }
            for (int index = 0; index < inode.sizePages; index++) {
                long want = truth.latest(inode, index);
                long have = truth.durable(inode, index);
                if (want != 0 && have != want && ++lost <= REPORTED) {
                    engine.report(FindingKind.LOST_WRITE, "inode " + inode.ino + " page " + index + ": last write "
                            + want + " is not on disk after sync (disk holds " + have + ")", (Task) null);
                }
            }
        }
        return lost;
    }
}
