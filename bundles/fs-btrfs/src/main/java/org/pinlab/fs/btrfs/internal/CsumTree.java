package org.pinlab.fs.btrfs.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * The csum tree ({@code fs_info->csum_root}): one data checksum per block, keyed by the
 * block as btrfs keys it by disk bytenr. A sum is computed when the write is submitted and
 * belongs to the block it was written to; it leaves with the block.
 */
final class CsumTree {

    private final Map<Long, Long> sums = new HashMap<>();

    /**
     * The checksum of one write ({@code btrfs_csum_one_bio}, crc32c by default). The SPI gives
     * a filesystem no page contents, so the sum names the data it covers: the page and the
     * generation of the write.
     */
    static long sum(int inode, int index, long generation) {
        long h = 0x9E3779B97F4A7C15L * (generation + 1);
        h ^= ((long) inode << 32) ^ (index & 0xffffffffL);
        h *= 0xBF58476D1CE4E5B9L;
        return h ^ (h >>> 31);
    }

    /** {@code add_pending_csums} -> {@code btrfs_csum_file_blocks}: the sum of the block just written. */
    void record(long block, long sum) {
        sums.put(block, sum);
    }

    /** {@code btrfs_del_csums}: the block's extent is freed, its sum goes with it. */
    void drop(long block) {
        sums.remove(block);
    }

    /** {@code btrfs_lookup_bio_sums}: the sum recorded for a block, or null for none. */
    Long lookup(long block) {
        return sums.get(block);
    }

    int size() {
        return sums.size();
    }
}
