package org.pinlab.kernel.internal.oracles;

import org.pinlab.kernel.internal.frames.FolioPins;
import org.pinlab.kernel.internal.frames.FrameStore;
import org.pinlab.kernel.internal.frames.ZoneDevice;
import org.pinlab.kernel.internal.mm.Inode;
import org.pinlab.kernel.internal.mm.Inodes;
import org.pinlab.kernel.internal.mm.Mount;
import org.pinlab.sim.Engine;

/**
 * The kernel's oracles, one small class per rule, and the ground truth they share. This
 * class only routes kernel events to them; each oracle says in its own comment which rule
 * it enforces. (BUG and WARN come from the filesystems, deadlock and hung task from the
 * engine, lock-order inversion from the lock validator, refcount and pin counts from the
 * kernel's reference paths and the pin tracker.)
 */
public final class Oracles {

    private final Engine engine;
    private final FileTruth truth = new FileTruth();
    private final MkwriteOracle mkwrite;
    private final TornWriteOracle torn;
    private final UseAfterFreeOracle useAfterFree;
    private final LostWriteOracle lostWrite;
    private final FsyncOracle fsync;
    private final PinLeakOracle pinLeak;
    private final PinnedPrivateOracle pinnedPrivate;

    public Oracles(Engine engine, FrameStore frames, Inodes inodes, FolioPins pins, ZoneDevice zoneDevice) {
        this.engine = engine;
        mkwrite = new MkwriteOracle(engine, frames);
        torn = new TornWriteOracle(engine);
        useAfterFree = new UseAfterFreeOracle(engine, zoneDevice);
        lostWrite = new LostWriteOracle(engine, inodes, truth);
        fsync = new FsyncOracle(engine, truth);
        pinLeak = new PinLeakOracle(engine, pins);
        pinnedPrivate = new PinnedPrivateOracle(engine, pins);
    }

    public void fileCreated(Inode inode) {
        truth.fileCreated(inode);
    }

    /** A completed write of new data into a file page. */
    public void fileDataWritten(Inode inode, int index, long token) {
        truth.written(inode, index, token);
    }

    /** The last data written into a file page, or 0. */
    public long latest(Inode inode, int index) {
        return truth.latest(inode, index);
    }

    /** What is durable for a file page. */
    public long durable(Inode inode, int index) {
        return truth.durable(inode, index);
    }

    public void fileRangeDropped(Inode inode, int from, int to) {
        truth.dropped(inode, from, to);
    }

    public void fileDirtied(Inode inode, int pfn) {
        mkwrite.pageDirtied(inode, pfn);
    }

    public void tornWrite(Inode inode, int index, int pfn) {
        torn.changedUnderWriteback(inode, index, pfn);
    }

    /** Reclaim released the private data (buffers) of a file page, still in the page cache. */
    public void reclaimReleasedPrivate(Inode inode, int index, int pfn) {
        pinnedPrivate.released(inode, index, pfn);
    }

    public void useAfterFree(int pfn, String what) {
        useAfterFree.touched(pfn, what);
    }

    public void blockWritten(Mount m, Inode inode, int index, long block, long token) {
        engine.mix(block * 31 + token);
    }

    public void frameFreed(int pfn, int order) {
        engine.mix(0xF7EEL ^ pfn);
    }

    public void frameAllocated(int pfn) {
        engine.mix(0xA77CL ^ pfn);
    }

    /** @return how many pages were lost */
    public int checkLostWrites() {
        return lostWrite.check();
    }

    /** @return how many grabs leaked */
    public int checkPinLeaks() {
        return pinLeak.check();
    }

    public long[] fsyncSnapshot(Inode inode) {
        return fsync.promise(inode);
    }

    public void checkFsync(Inode inode, long[] before, String task) {
        fsync.returned(inode, before);
    }
}
