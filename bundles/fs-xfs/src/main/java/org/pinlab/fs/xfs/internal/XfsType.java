package org.pinlab.fs.xfs.internal;

import java.util.Map;
import java.util.Objects;

import org.osgi.service.component.annotations.Component;
import org.pinlab.api.fs.FilesystemType;
import org.pinlab.api.fs.FsKernel;
import org.pinlab.api.fs.MountOptions;
import org.pinlab.api.fs.Superblock;

/**
 * Publishes the xfs model as the {@code xfs} filesystem type. Stateless: each mount gets
 * its own {@link XfsSuperblock}.
 */
@Component(service = FilesystemType.class, property = "name=xfs")
public final class XfsType implements FilesystemType {

    static final String DATA_CSUM = "data_csum";
    /** data_csum=on asks for stable pages, with the same meaning as ext4's option. */
    static final MountOptions OPTIONS = MountOptions.of("xfs").choice(DATA_CSUM, "off", "on");

    @Override
    public String name() {
        return "xfs";
    }

    @Override
    public String description() {
        return "xfs with iomap buffered I/O and delayed allocation, no buffer heads (fs/xfs/xfs_aops.c, "
                + "xfs_iomap.c, fs/iomap/buffered-io.c): iomap_page_mkwrite reserves a delalloc block in "
                + "xfs_buffered_write_iomap_begin, writeback converts it (xfs_map_blocks -> "
                + "xfs_bmapi_convert_delalloc) and rewrites allocated blocks in place. With 4K blocks on 4K "
                + "pages iomap attaches no per-folio state, so reclaim has nothing to strip and seed 001's "
                + "DMA data reaches its block. A page dirtied without page_mkwrite over a hole has no block: "
                + "xfs_map_blocks returns IOMAP_HOLE and writeback skips it without a message, so the write "
                + "is lost silently. data_csum=on asks for stable pages as a checksumming filesystem would. "
                + "No log, no allocation groups, one block per page.";
    }

    /**
     * {@code xfs_fs_fill_super} after {@code xfs_fs_parse_param}: every option is checked
     * before the superblock exists, so a bad option mounts nothing.
     */
    @Override
    public Superblock mount(FsKernel kernel, Map<String, String> options) {
        Objects.requireNonNull(kernel, "kernel");
        Map<String, String> chosen = OPTIONS.parse(options);
        if (kernel.blocks() > Integer.MAX_VALUE) {
            // the block bitmap is indexed by int
            throw new IllegalArgumentException("xfs: a device of " + kernel.blocks() + " blocks is too large for the model");
        }
        return new XfsSuperblock(kernel, "on".equals(chosen.get(DATA_CSUM)));
    }
}
