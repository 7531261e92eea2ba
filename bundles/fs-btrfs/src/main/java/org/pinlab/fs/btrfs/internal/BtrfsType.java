package org.pinlab.fs.btrfs.internal;

import java.util.Map;
import java.util.Objects;

import org.osgi.service.component.annotations.Component;
import org.pinlab.api.fs.FilesystemType;
import org.pinlab.api.fs.FsKernel;
import org.pinlab.api.fs.Superblock;

/**
 * Publishes the btrfs model as the {@code btrfs} filesystem type. Stateless: each mount gets
 * its own {@link BtrfsSuperblock}.
 */
@Component(service = FilesystemType.class, property = "name=btrfs")
public final class BtrfsType implements FilesystemType {

    @Override
    public String name() {
        return "btrfs";
    }

    @Override
    public String description() {
        return "btrfs as of v6.15 (fs/btrfs/file.c, extent_io.c, inode.c): btrfs_page_mkwrite reserves delalloc "
                + "space (ENOSPC fails the fault), writeback copies every page on write to a new block "
                + "(cow_file_range) with a data checksum computed at submission (btrfs_csum_one_bio), and the "
                + "replaced block stays pinned until its transaction commits. Checksummed data asks for stable "
                + "pages (AS_STABLE_WRITES unless nodatasum). A page dirtied without page_mkwrite goes through "
                + "the cow fixup (btrfs_writepage_cow_fixup): redirtied, a kworker reserves space, the next writeback "
                + "writes it; experimental=on "
                + "refuses it with -EUCLEAN as CONFIG_BTRFS_EXPERIMENTAL does. datacow=off rewrites in place "
                + "without checksums. No trees, no transactions, no compression, one block per page.";
    }

    /**
     * {@code btrfs_get_tree} after {@code btrfs_parse_param}: every option is checked before
     * the superblock exists, so a bad option mounts nothing.
     */
    @Override
    public Superblock mount(FsKernel kernel, Map<String, String> options) {
        Objects.requireNonNull(kernel, "kernel");
        BtrfsOptions chosen = BtrfsOptions.parse(options);
        if (kernel.blocks() > Integer.MAX_VALUE) {
            // the block bitmap is indexed by int
            throw new IllegalArgumentException("btrfs: a device of " + kernel.blocks() + " blocks is too large for the model");
        }
        return new BtrfsSuperblock(kernel, chosen);
    }
}
