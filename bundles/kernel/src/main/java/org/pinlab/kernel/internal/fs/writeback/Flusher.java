package org.pinlab.kernel.internal.fs.writeback;

import org.pinlab.kernel.Cost;
import org.pinlab.kernel.internal.mm.Inode;
import org.pinlab.kernel.internal.mm.writeback.WriteCachePages;
import org.pinlab.sim.Proc;
import org.pinlab.sim.Task;

/**
 * The flusher kthread ({@code wb_workfn} -> {@code wb_do_writeback}): every
 * {@code dirty_writeback_interval} it writes back inodes dirtied more than
 * {@code dirty_expire_interval} ago ({@code wb_check_old_data_flush}); when woken early
 * (sync, dirty threshold, reclaim) it writes back every dirty inode.
 */
public final class Flusher extends Proc {

    private final FsWriteback k;
    private int inode;
    private boolean all;
    private long lastRun;

    public Flusher(FsWriteback k) {
        super("wb_workfn");
        this.k = k;
    }

    /** {@code wb_workfn}: wait for the period or a wakeup, then {@code writeback_sb_inodes}. */
    private enum Step implements Proc.State { CHECK_PERIOD, WRITE_INODES }

    private static final Step[] STEPS = byPc(Step.values());

    @Override
    protected int step(Task t) {
        switch (STEPS[pc]) {
            case CHECK_PERIOD: {
                long now = k.engine.now();
                boolean periodic = now - lastRun >= k.cost(Cost.WRITEBACK_INTERVAL);
                if (!periodic && !k.wb.writebackRequested) {
                    // sleep until the next period; wakeup_flusher_threads cuts it short
                    return t.idleFor(k.wb.flusherWait, lastRun + k.cost(Cost.WRITEBACK_INTERVAL) - now);
                }
                all = k.wb.writebackRequested;
                k.wb.writebackRequested = false;
                lastRun = now;
                inode = 1;
                resume(Step.WRITE_INODES);
                return t.next(k.cost(Cost.CPU_STEP));
            }
            case WRITE_INODES: {
                // writeback_sb_inodes: inodes in number order (b_io order in the kernel)
                while (inode < k.inodes.size()) {
                    Inode in = k.inodes.get(inode++);
                    long dirtied = in.mapping.dirtiedWhen;
                    boolean expired = dirtied >= 0 && k.engine.now() - dirtied >= k.cost(Cost.DIRTY_EXPIRE);
                    if (in.mapping.nrDirty() > 0 && (all || expired) && in.mount.sb.hasBackingStore()) {
                        return t.call(new WriteCachePages(k.writeback, in, false));
                    }
                }
                resume(Step.CHECK_PERIOD);
                return t.next(k.cost(Cost.CPU_STEP));
            }
            default:
                throw new IllegalStateException("wb_workfn: bad pc " + pc);
        }
    }
}
