package org.pinlab.fs.dax.internal;

import java.util.Map;
import java.util.Objects;

import org.osgi.service.component.annotations.Component;
import org.pinlab.api.fs.FilesystemType;
import org.pinlab.api.fs.FsKernel;
import org.pinlab.api.fs.MountOptions;
import org.pinlab.api.fs.Superblock;

/**
 * Publishes the DAX model as the {@code dax} filesystem type. Stateless: each mount gets its
 * own {@link DaxSuperblock}.
 */
@Component(service = FilesystemType.class, property = "name=dax")
public final class DaxType implements FilesystemType {

    static final String LONGTERM = "longterm";
    /** longterm=refuse is the kernel since v4.15; longterm=allow the kernels before, where RDMA could pin DAX. */
    static final MountOptions OPTIONS = MountOptions.of("dax").choice(LONGTERM, "refuse", "allow");

    @Override
    public String name() {
        return "dax";
    }

    @Override
    public String description() {
        return "A filesystem mounted -o dax on persistent memory (fs/dax.c, xfs/ext4 DAX): no page cache, "
                + "a fault maps the block's own pmem frame into the page table (dax_iomap_fault), a store is "
                + "durable at once and fsync only flushes caches. Truncate and hole punch unmap the range and "
                + "look for busy pages (dax_layout_busy_page_range), then the truncate policy decides: with "
                + "proceed a device keeps writing into a block the filesystem already gave away. GUP refuses "
                + "FOLL_LONGTERM with -EOPNOTSUPP (longterm=refuse, since v4.15); longterm=allow models the "
                + "kernels before, where RDMA could register DAX memory.";
    }

    /**
     * {@code xfs_fs_fill_super} / {@code ext4_fill_super} with {@code -o dax}: every option is
     * checked before the superblock exists, so a bad option mounts nothing.
     */
    @Override
    public Superblock mount(FsKernel kernel, Map<String, String> options) {
        Objects.requireNonNull(kernel, "kernel");
        Map<String, String> chosen = OPTIONS.parse(options);
        return new DaxSuperblock(kernel, "refuse".equals(chosen.get(LONGTERM)));
    }
}
