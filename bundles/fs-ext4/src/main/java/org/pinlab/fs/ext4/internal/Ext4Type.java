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

    static final String ERRORS = "errors";
    static final String DATA_CSUM = "data_csum";
    /** errors=bug models kernels before v5.18, errors=warn v5.18's warning; data_csum=on asks for stable pages. */
    static final MountOptions OPTIONS = MountOptions.of("ext4").choice(ERRORS, "bug", "warn")
            .choice(DATA_CSUM, "off", "on");

    @Override
    public String name() {
        return "ext4";
    }

    @Override
    public String description() {
        return "ext4 with delayed allocation and buffer heads (fs/ext4/inode.c): ext4_page_mkwrite attaches "
                + "buffer heads and reserves a block, ext4_writepage allocates it at writeback (ext4_map_blocks) "
                + "and submits the I/O, ext4_release_folio drops the buffers of clean pages. A dirty page without "
                + "buffers hits BUG_ON(!PagePrivate(page)) in ext4_writepage (errors=bug, before v5.18) or, with "
                + "errors=warn (v5.18), the warning \"page %lu does not have buffers attached\" and the write is "
                + "silently dropped. data_csum=on asks for stable pages as a checksumming filesystem would. "
                + "No journal, no extents, one block per page.";
    }

    /**
     * {@code ext4_fill_super} -> {@code parse_options}: every option is checked before the
     * superblock exists, so a bad option mounts nothing.
     */
    @Override
    public Superblock mount(FsKernel kernel, Map<String, String> options) {
        Objects.requireNonNull(kernel, "kernel");
        Map<String, String> chosen = OPTIONS.parse(options);
        return new Ext4Superblock(kernel, "warn".equals(chosen.get(ERRORS)), "on".equals(chosen.get(DATA_CSUM)));
    }
}
