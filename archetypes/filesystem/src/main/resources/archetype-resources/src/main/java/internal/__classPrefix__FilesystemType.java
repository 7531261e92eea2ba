package ${package}.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.pinlab.api.fs.FilesystemType;
import org.pinlab.api.fs.FsKernel;
import org.pinlab.api.fs.MountOptions;
import org.pinlab.api.fs.Superblock;

/**
 * ${fsName} as a service: Declarative Services registers it as a {@link FilesystemType}
 * named {@value #NAME}, the lab binds it, and a scenario mounts it with
 * {@code filesystems: [{mount: /mnt, type: ${fsName}}]}.
 */
@Component(service = FilesystemType.class, property = "name=" + ${classPrefix}FilesystemType.NAME)
public final class ${classPrefix}FilesystemType implements FilesystemType {

    public static final String NAME = "${fsName}";

    /**
     * {@code unmapped}: what writeback does with a dirty page that has no block, one that
     * was dirtied without {@code page_mkwrite} (a device wrote it through a GUP reference):
     * {@code allocate} a block then, as xfs converts delayed allocation at writeback, or
     * {@code warn} and skip it, as ext4 does since v5.18.
     */
    static final MountOptions OPTIONS = MountOptions.of(NAME).choice("unmapped", "allocate", "warn");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "${fsName}: a block-mapped filesystem that allocates a page's block at page_mkwrite (and write_begin), "
                + "writes pages back in place and reads them from their block. Options: " + OPTIONS.describe() + ".";
    }

    /** @throws IllegalArgumentException for an unknown option or value, naming it */
    @Override
    public Superblock mount(FsKernel kernel, Map<String, String> options) {
        Map<String, String> o = OPTIONS.parse(options);
        return new ${classPrefix}Superblock(kernel, "warn".equals(o.get("unmapped")));
    }
}
