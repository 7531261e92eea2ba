package org.pinlab.kernel.internal.fs.namespace;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.pinlab.api.fs.FilesystemType;
import org.pinlab.kernel.internal.bio.BlockIo;
import org.pinlab.kernel.internal.block.BlockDevice;
import org.pinlab.kernel.internal.frames.FrameStore;
import org.pinlab.kernel.internal.fs.dax.Dax;
import org.pinlab.kernel.internal.mm.Mount;
import org.pinlab.kernel.internal.printk.Printk;
import org.pinlab.sim.Engine;

/** fs/namespace.c: the mount table, and {@code do_mount} of a filesystem on a new block device. */
public final class Mounts {

    private final Engine engine;
    private final FrameStore frames;
    private final Printk printk;
    private final BlockIo blockIo;
    private final Dax dax;
    private final List<Mount> mounts = new ArrayList<>();

    private Mount.Deferred deferred;

    public Mounts(Engine engine, FrameStore frames, Printk printk, BlockIo blockIo, Dax dax) {
        this.engine = engine;
        this.frames = frames;
        this.printk = printk;
        this.blockIo = blockIo;
        this.dax = dax;
    }

    /** {@code do_mount}: mounts a filesystem of this type on a new block device. */
    public Mount mount(String path, FilesystemType type, Map<String, String> options, int blocks) {
        return mount(path, type, options, blocks, false);
    }

    /**
     * {@code do_mount} on a new disk whose queue has {@code stable_writes} as asked
     * ({@code bdev_stable_writes}); the mount then keeps pages stable under writeback.
     */
    public Mount mount(String path, FilesystemType type, Map<String, String> options, int blocks,
                       boolean stableWrites) {
        Mount m = new Mount(path, new BlockDevice("nvme" + mounts.size() + "n1", blocks, stableWrites), frames,
                printk, engine, blockIo);
        m.deferred = deferred;
        m.sb = type.mount(m, options);
        if (m.sb.dax()) {
            dax.mount(m); // DAX: the pmem region behind the mount
        }
        mounts.add(m);
        return m;
    }

    /** The workqueue and page-writeback services mounts hand their filesystems, once the kernel is wired. */
    public void deferred(Mount.Deferred d) {
        this.deferred = d;
        for (Mount m : mounts) {
            m.deferred = d;
        }
    }

    /** Every mount, in mount order. */
    public List<Mount> list() {
        return mounts;
    }
}
