package org.pinlab.kernel.internal.mm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.mm.PageFlags;

/**
 * The model's ground truth and the checks against it. Each check names the rule it
 * enforces; they see kernel events as they happen and raise findings through the engine.
 *
 * <p>Ground truth per file page: the token of the last write anyone completed into it (a
 * CPU store or a device DMA) and the token the disk holds. What the kernel believes
 * (PG_dirty, buffers) is checked against it.
 */
public final class Oracles {

    private final Kernel kernel;
    /** Per inode, per page: the last token written into the file's data ({@code 0}: never). */
    private final List<long[]> latest = new ArrayList<>();
    /** Per frame being freed: a marker so device writes to it are caught (only frames handed to devices). */
    private final List<String> reportedOnce = new ArrayList<>();

    Oracles(Kernel kernel) {
        this.kernel = kernel;
        latest.add(null);
    }

    void fileCreated(Inode inode) {
        latest.add(new long[Math.max(1, inode.sizePages)]);
    }

    /** A completed write of new data into a file page (the data the file should end up with). */
    public void fileDataWritten(Inode inode, int index, long token) {
        long[] l = latest.get(inode.ino);
        if (index >= l.length) {
            l = Arrays.copyOf(l, index + 1);
            latest.set(inode.ino, l);
        }
        l[index] = token;
    }

    /** The last data written into a file page, or 0. */
    public long latest(Inode inode, int index) {
        long[] l = latest.get(inode.ino);
        return index < l.length ? l[index] : 0;
    }

    /** Truncate or hole punch: the range no longer has data to keep. */
    void fileRangeDropped(Inode inode, int from, int to) {
        long[] l = latest.get(inode.ino);
        Arrays.fill(l, Math.min(from, l.length), Math.min(to, l.length), 0);
    }

    /**
     * Dirty page without page_mkwrite (Chinner's rule, seed 001): a clean file-backed page on
     * a filesystem that needs {@code page_mkwrite} is being dirtied without it having run.
     */
    void fileDirtied(Inode inode, int pfn) {
        if (inode.mount.sb.needsPageMkwrite() && !kernel.frames.test(pfn, PageFlags.MKWRITE_SEEN)) {
            kernel.engine.report(FindingKind.DIRTY_WITHOUT_MKWRITE, "page " + kernel.frames.index(pfn)
                    + " of inode " + inode.ino + " (pfn " + pfn + ") dirtied without ->page_mkwrite on "
                    + inode.mount.sb.typeName() + " (" + PageFlags.describe(kernel.frames.flags(pfn)) + ")");
        }
    }

    /** Torn write: the page changed while its write was in flight on a stable-pages filesystem. */
    void tornWrite(Inode inode, int index, int pfn) {
        kernel.engine.report(FindingKind.TORN_WRITE, "page changed under writeback: "
                + (inode == null ? "pfn " + pfn : "inode " + inode.ino + " page " + index)
                + " on a filesystem with stable writes; the block on disk matches neither version");
    }

    void blockWritten(Mount m, Inode inode, int index, long block, long token) {
        kernel.engine.mix(block * 31 + token);
    }

    /** Use after free: something touched a frame that is back in the allocator. */
    public void useAfterFree(int pfn, String what) {
        kernel.engine.report(FindingKind.USE_AFTER_FREE, what + ": pfn " + pfn + " is free");
    }

    void frameFreed(int pfn, int order) {
        kernel.engine.mix(0xF7EEL ^ pfn);
    }

    void frameAllocated(int pfn) {
        kernel.engine.mix(0xA77CL ^ pfn);
    }

    /**
     * What is durable for a file page: the token in the block the filesystem maps it to,
     * or 0 for a hole.
     */
    public long durable(Inode inode, int index) {
        long block = inode.mount.sb.mappedBlock(inode.ino, index);
        return block < 0 ? 0 : inode.mount.device.read(block);
    }

    /**
     * Lost write: after a final sync, every file page's durable data must be the last data
     * written into it. Run once, at the end.
     *
     * @return how many pages were lost
     */
    public int checkLostWrites() {
        int lost = 0;
        for (Inode inode : kernel.inodes()) {
            if (!inode.mount.sb.hasBackingStore()) {
                continue;
            }
            long[] l = latest.get(inode.ino);
            for (int index = 0; index < Math.min(l.length, inode.sizePages); index++) {
                if (l[index] != 0 && durable(inode, index) != l[index]) {
                    lost++;
                    if (lost <= 8) {
                        kernel.engine.report(FindingKind.LOST_WRITE, "inode " + inode.ino + " page " + index
                                + ": last write " + l[index] + " is not on disk after sync (disk holds "
                                + durable(inode, index) + ")", (org.pinlab.sim.Task) null);
                    }
                }
            }
        }
        return lost;
    }

    /**
     * Pin leak: at a clean shutdown every process has exited, so every GUP grab still
     * recorded was never released; each is reported with its owner.
     *
     * @return how many grabs leaked
     */
    public int checkPinLeaks() {
        if (kernel.pins == null) {
            return 0;
        }
        int leaked = 0;
        for (org.pinlab.api.gup.PinRecord r : kernel.pins.outstanding()) {
            leaked++;
            kernel.engine.report(FindingKind.PIN_LEAK, r.owner() + " still holds " + r.pfns().length + " pages ("
                    + org.pinlab.api.gup.Foll.describe(r.foll()) + ") taken at " + r.takenAt() + " ns",
                    (org.pinlab.sim.Task) null);
        }
        return leaked;
    }

    /**
     * fsync that lied: fsync returned success, yet data written before it started is not
     * durable.
     */
    void checkFsync(Inode inode, long[] before, String task) {
        for (int index = 0; index < before.length && index < inode.sizePages; index++) {
            long want = before[index];
            if (want != 0 && durable(inode, index) != want && latest(inode, index) == want) {
                kernel.engine.report(FindingKind.FSYNC_LIED, "fsync of inode " + inode.ino + " returned 0 but page "
                        + index + " (data " + want + ") is not on disk");
                return;
            }
        }
    }

    /** Snapshot of the data fsync promises to make durable. */
    long[] fsyncSnapshot(Inode inode) {
        long[] l = latest.get(inode.ino);
        return Arrays.copyOf(l, Math.min(l.length, inode.sizePages));
    }

    boolean firstTime(String key) {
        if (reportedOnce.contains(key)) {
            return false;
        }
        reportedOnce.add(key);
        return true;
    }
}
