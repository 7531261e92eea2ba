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

    public BlockDevice(String name, int nrBlocks) {
        this.name = name;
        this.blocks = new long[nrBlocks];
        Arrays.fill(blocks, ZERO);
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
