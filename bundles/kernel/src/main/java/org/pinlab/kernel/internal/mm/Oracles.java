package org.pinlab.kernel.internal.mm;

/**
 * The kernel's oracles, one small class per rule, and the ground truth they share. This
 * class only routes kernel events to them; each oracle says in its own comment which rule
 * it enforces. (BUG and WARN come from the filesystems, deadlock and hung task from the
 * engine, lock-order inversion from the lock validator, refcount and pin counts from the
 * kernel's reference paths and the pin tracker.)
 */
public final class Oracles {

    private final Kernel kernel;
    private final FileTruth truth = new FileTruth();
    private final MkwriteOracle mkwrite;
    private final TornWriteOracle torn;
    private final UseAfterFreeOracle useAfterFree;
    private final LostWriteOracle lostWrite;
    private final FsyncOracle fsync;
    private final PinLeakOracle pinLeak;

    Oracles(Kernel kernel) {
        this.kernel = kernel;
        mkwrite = new MkwriteOracle(kernel);
        torn = new TornWriteOracle(kernel);
        useAfterFree = new UseAfterFreeOracle(kernel);
        lostWrite = new LostWriteOracle(kernel, truth);
        fsync = new FsyncOracle(kernel, truth);
        pinLeak = new PinLeakOracle(kernel);
    }

    void fileCreated(Inode inode) {
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

    void fileRangeDropped(Inode inode, int from, int to) {
        truth.dropped(inode, from, to);
    }

    void fileDirtied(Inode inode, int pfn) {
        mkwrite.pageDirtied(inode, pfn);
    }

    void tornWrite(Inode inode, int index, int pfn) {
        torn.changedUnderWriteback(inode, index, pfn);
    }

    public void useAfterFree(int pfn, String what) {
        useAfterFree.touched(pfn, what);
    }

    void blockWritten(Mount m, Inode inode, int index, long block, long token) {
        kernel.engine.mix(block * 31 + token);
    }

    void frameFreed(int pfn, int order) {
        kernel.engine.mix(0xF7EEL ^ pfn);
    }

    void frameAllocated(int pfn) {
        kernel.engine.mix(0xA77CL ^ pfn);
    }

    /** @return how many pages were lost */
    public int checkLostWrites() {
        return lostWrite.check();
    }

    /** @return how many grabs leaked */
    public int checkPinLeaks() {
        return pinLeak.check();
    }

    long[] fsyncSnapshot(Inode inode) {
        return fsync.promise(inode);
    }

    void checkFsync(Inode inode, long[] before, String task) {
        fsync.returned(inode, before);
    }
}
