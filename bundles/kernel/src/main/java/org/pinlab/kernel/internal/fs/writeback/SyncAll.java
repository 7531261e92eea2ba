package org.pinlab.kernel.internal.fs.writeback;

import org.pinlab.kernel.internal.mm.Inode;
import org.pinlab.kernel.internal.mm.writeback.WriteCachePages;
import org.pinlab.sim.Proc;
import org.pinlab.sim.Task;

/** {@code ksys_sync}: write back and wait on every inode of every filesystem with a backing store. */
public final class SyncAll extends Proc {

    private final FsWriteback k;
    private int ino = 1;

    public SyncAll(FsWriteback k) {
        super("ksys_sync");
        this.k = k;
    }

    @Override
    protected int step(Task t) {
        while (ino < k.inodes.size()) {
            Inode inode = k.inodes.get(ino++);
            if (inode.mount.sb.hasBackingStore()) {
                return t.call(new WriteCachePages(k.writeback, inode, true));
            }
        }
        return t.ret();
    }
}
