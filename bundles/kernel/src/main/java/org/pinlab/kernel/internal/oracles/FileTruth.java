package org.pinlab.kernel.internal.oracles;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.pinlab.kernel.internal.mm.Inode;

/**
 * The model's ground truth for file data: per file page, the token of the last write
 * anyone completed into it (a CPU store or a device DMA), and what the disk holds. The
 * oracles compare what the kernel believes against this.
 */
public final class FileTruth {

    /** Per inode, per page: the last token written into the file's data ({@code 0}: never). */
    private final List<long[]> latest = new ArrayList<>();

    FileTruth() {
        latest.add(null); // inode numbers start at 1
    }

    void fileCreated(Inode inode) {
        latest.add(new long[Math.max(1, inode.sizePages)]);
    }

    /** A completed write of new data into a file page: the data the file should end up with. */
    public void written(Inode inode, int index, long token) {
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
    void dropped(Inode inode, int from, int to) {
        long[] l = latest.get(inode.ino);
        Arrays.fill(l, Math.min(from, l.length), Math.min(to, l.length), 0);
    }

    /**
     * What is durable for a file page: the token in the block it maps to (on DAX, the block's
     * pmem frame: a store is durable once made), or 0 for a hole.
     */
    public long durable(Inode inode, int index) {
        long block = inode.mount.sb.mappedBlock(inode.ino, index);
        return block < 0 ? 0 : inode.mount.durable(block);
    }

    /** The data written so far into each page of the file within its size. */
    long[] snapshot(Inode inode) {
        long[] l = latest.get(inode.ino);
        return Arrays.copyOf(l, Math.min(l.length, inode.sizePages));
    }
}
