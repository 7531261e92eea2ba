package org.pinlab.fs.btrfs.internal;

import java.util.BitSet;

/**
 * The data space of one mount: blocks in use (written extents, and old extents pinned until
 * their transaction commits) and blocks reserved by delayed allocation
 * ({@code space_info->bytes_may_use}). One block per page; the lowest free block is handed
 * out first, so runs are deterministic. Departure from btrfs: no block groups, no chunk
 * allocation, no metadata space, no global reserve; all of the device is data.
 */
final class DataSpace {

    private final long blocks;
    private final BitSet used = new BitSet();
    private long reserved;

    DataSpace(long blocks) {
        this.blocks = blocks;
    }

    /** Blocks neither in use nor reserved. */
    long free() {
        return blocks - used.cardinality() - reserved;
    }

    long reserved() {
        return reserved;
    }

    long used() {
        return used.cardinality();
    }

    /** {@code btrfs_check_data_free_space}: reserve one block for a later write, or refuse. */
    boolean reserve() {
        if (free() <= 0) {
            return false;
        }
        reserved++;
        return true;
    }

    /** {@code btrfs_free_reserved_data_space}: a reservation that will not be written. */
    void release() {
        if (reserved <= 0) {
            throw new IllegalStateException("btrfs: releasing a data reservation nobody holds");
        }
        reserved--;
    }

    /**
     * {@code btrfs_reserve_extent} for one block, out of a reservation the caller holds
     * ({@code cow_file_range} runs only over reserved delalloc).
     */
    long allocateReserved() {
        release();
        int block = used.nextClearBit(0);
        used.set(block);
        return block;
    }

    /** The block goes back to free space ({@code unpin_extent_range} at commit, in the model at once). */
    void free(long block) {
        if (!used.get((int) block)) {
            throw new IllegalStateException("btrfs: freeing block " + block + " that is not in use");
        }
        used.clear((int) block);
    }
}
