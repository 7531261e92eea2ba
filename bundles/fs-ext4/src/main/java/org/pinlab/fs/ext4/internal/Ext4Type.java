package org.pinlab.fs.ext4.internal;

import java.util.Map;
import java.util.Objects;

import org.osgi.service.component.annotations.Component;
import org.pinlab.api.fs.FilesystemType;
import org.pinlab.api.fs.FsKernel;
import org.pinlab.api.fs.MountOptions;
import org.pinlab.api.fs.Superblock;

/**
 * Publishes the ext4 model as the {@code ext4} filesystem type. Stateless: each mount gets
 * its own {@link Ext4Superblock}.
 */
@Component(service = FilesystemType.class, property = "name=ext4")
public final class Ext4Type implements FilesystemType {

    static final String KERNEL = "kernel";
    static final String DATA = "data";
    static final String DATA_CSUM = "data_csum";
    /**
     * kernel=4.4 models seed 001's kernel (the BUG), 6.1 and 6.12 the v5.18 warning with and without
     * ext4_writepage; data=ordered is ext4's default, data=journal journals file data;
     * data_csum=on asks for stable pages.
     */
    static final MountOptions OPTIONS = MountOptions.of("ext4").choice(KERNEL, "4.4", "6.1", "6.12")
            .choice(DATA, "ordered", "journal").choice(DATA_CSUM, "off", "on");

    @Override
    public String name() {
        return "ext4";
    }

    @Override
    public String description() {
        return "ext4 with delayed allocation and buffer heads (fs/ext4/inode.c): ext4_page_mkwrite attaches "
                + "buffer heads and reserves a block, writeback allocates it (ext4_map_blocks) and submits the "
                + "I/O, ext4_release_folio drops the buffers of clean pages. A dirty page without buffers hits "
                + "BUG_ON(!PagePrivate(page)) on kernel=4.4 (seed 001) in mpage_prepare_extent_to_map "
                + "(data=ordered) or ext4_writepage (data=journal); on kernel=6.1 or 6.12 (v5.18 on) it gets the "
                + "warning \"page %lu does not have buffers attached\" and the write is silently dropped. "
                + "data=journal allocates at page_mkwrite, without delalloc. data_csum=on asks for stable pages "
                + "as a checksumming filesystem would. No journal area, no extents, one block per page.";
    }

    /**
     * {@code ext4_fill_super} -> {@code parse_options}: every option is checked before the
     * superblock exists, so a bad option mounts nothing.
     */
    @Override
    public Superblock mount(FsKernel kernel, Map<String, String> options) {
        Objects.requireNonNull(kernel, "kernel");
        Map<String, String> chosen = OPTIONS.parse(options);
        return new Ext4Superblock(kernel, Ext4Superblock.Kernel.of(chosen.get(KERNEL)), "journal".equals(chosen.get(DATA)),
                "on".equals(chosen.get(DATA_CSUM)));
    }
}
