package org.pinlab.kernel.internal.block;

import java.util.Arrays;

/**
 * A block device whose blocks hold content tokens. Writes and reads complete after their
 * simulated latency ({@code submit_bio} -> the device -> {@code bio_endio}).
 */
public final class BlockDevice {

    /** Token of a block never written: reads back as zeroes. */
    public static final long ZERO = 0;

    private final String name;
    private final long[] blocks;
    private final boolean stableWrites;

    public BlockDevice(String name, int nrBlocks) {
        this(name, nrBlocks, false);
    }

    /**
     * @param stableWrites the queue's {@code stable_writes} ({@code bdev_stable_writes}, v6.12:
     *                     {@code BLK_FEAT_STABLE_WRITES} or an integrity profile with a checksum, as an
     *                     NVMe namespace formatted with protection information or NVMe-TCP's data digest has)
     */
    public BlockDevice(String name, int nrBlocks, boolean stableWrites) {
        this.name = name;
        this.blocks = new long[nrBlocks];
        this.stableWrites = stableWrites;
        Arrays.fill(blocks, ZERO);
    }

    /** {@code bdev_stable_writes}: whether data must not change while it is written (T10 PI, data digest). */
    public boolean stableWrites() {
        return stableWrites;
    }

    public String name() {
        return name;
    }

    public long size() {
        return blocks.length;
    }

    /** What the medium holds now: what survives a crash. */
    public long read(long block) {
        return blocks[checked(block)];
    }

    public void store(long block, long token) {
        blocks[checked(block)] = token;
    }

    private int checked(long block) {
        if (block < 0 || block >= blocks.length) {
            throw new IllegalArgumentException("block " + block + " outside " + name + " (0.." + (blocks.length - 1) + ")");
        }
        return (int) block;
    }
}
