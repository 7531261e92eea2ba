package org.pinlab.fs.tmpfs.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.pinlab.api.fs.FilesystemType;
import org.pinlab.api.fs.FsKernel;
import org.pinlab.api.fs.Superblock;

/** tmpfs ({@code shmem_fs_type}) as a service: page-cache pages are the file; nothing goes to disk. */
@Component(service = FilesystemType.class, property = "name=tmpfs")
public final class TmpfsType implements FilesystemType {

    @Override
    public String name() {
        return "tmpfs";
    }

    @Override
    public String description() {
        return "tmpfs/shmem (mm/shmem.c): the page cache is the storage, so there is no page_mkwrite, no "
                + "writeback and nothing for a DMA write to bypass; long-term pins are allowed here even by the "
                + "v6.5 admission check. Pages would go to swap under pressure, which the model does not have yet.";
    }

    /** @throws IllegalArgumentException for any option: the model's tmpfs takes none */
    @Override
    public Superblock mount(FsKernel kernel, Map<String, String> options) {
        if (!options.isEmpty()) {
            throw new IllegalArgumentException("tmpfs takes no mount options; got " + String.join(", ", options.keySet()));
        }
        return new TmpfsSuperblock(kernel);
    }
}
