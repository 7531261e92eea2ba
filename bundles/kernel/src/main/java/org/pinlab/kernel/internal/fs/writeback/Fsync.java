package org.pinlab.kernel.internal.fs.writeback;

import org.pinlab.kernel.internal.mm.Inode;
import org.pinlab.kernel.internal.mm.OpenFile;
import org.pinlab.kernel.internal.mm.writeback.WriteCachePages;
import org.pinlab.sim.Proc;
import org.pinlab.sim.Task;

/**
 * {@code vfs_fsync_range} -> {@code file_write_and_wait_range}: write back every dirty
 * page of the inode and wait for the I/O, then {@code file_check_and_advance_wb_err}: a
 * writeback error recorded since this file last looked is returned, once. After a return of
 * 0 the fsync oracle checks that everything written before the call is durable. On DAX
 * there is nothing to write: {@code dax_writeback_mapping_range} only flushes CPU caches
 * over the mapping.
 */
public final class Fsync extends Proc {

    private final FsWriteback k;
    private final OpenFile file;
    private final Inode inode;
    private long[] promised;
    /** Data writeback passes made so far ({@link org.pinlab.api.fs.Superblock#fsyncWritePasses}). */
    private int passes;
    /** 0, or the writeback error this file had not seen yet ({@code -EIO}, {@code -ENOSPC}). */
    public int result;

    /** fsync of an open file: each writeback error reaches it once. */
    public Fsync(FsWriteback k, OpenFile file) {
        super("vfs_fsync_range");
        this.k = k;
        this.file = file;
        this.inode = file.inode;
    }

    /** open, fsync and close: a file that sees only errors nobody has seen yet. */
    public Fsync(FsWriteback k, Inode inode) {
        this(k, OpenFile.open(inode));
    }

    /** {@code file_write_and_wait_range}, then the check that what was promised is on disk. */
    private enum Step implements Proc.State { WRITE_AND_WAIT, CHECK_DURABLE }

    private static final Step[] STEPS = byPc(Step.values());

    @Override
    protected int step(Task t) {
        switch (STEPS[pc]) {
            case WRITE_AND_WAIT:
                if (!inode.mount.sb.hasBackingStore()) {
                    result = 0; // noop_fsync: the page cache is the storage
                    return t.ret();
                }
                promised = k.oracles.fsyncSnapshot(inode);
                resume(Step.CHECK_DURABLE);
                if (inode.mount.dax()) {
                    // dax_writeback_one per entry: a cache flush, no I/O. Departure: the model's stores
                    // are durable at once (eADR), so the flush only costs time
                    return t.next(k.cost(org.pinlab.kernel.Cost.CPU_STEP) * Math.max(1, inode.mapping.nrPages()));
                }
                passes = 1;
                return t.call(new WriteCachePages(k.writeback, inode, true));
            case CHECK_DURABLE:
                if (passes < inode.mount.sb.fsyncWritePasses() && !k.engine.stopped()) {
                    // ->fsync's next data pass (btrfs_sync_file's second start_ordered_ops)
                    passes++;
                    return t.call(new WriteCachePages(k.writeback, inode, true));
                }
                // file_write_and_wait_range (v6.12): err2 = file_check_and_advance_wb_err(file)
                result = file.checkAndAdvanceWbErr();
                if (result == 0 && !k.engine.stopped()) {
                    k.oracles.checkFsync(inode, promised, t.name()); // only a success can lie
                }
                return t.ret();
            default:
                throw new IllegalStateException("vfs_fsync_range: bad pc " + pc);
        }
    }
}
