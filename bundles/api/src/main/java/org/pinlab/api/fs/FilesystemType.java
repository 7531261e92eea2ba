package org.pinlab.api.fs;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;
import org.pinlab.api.lab.Pluggable;

/**
 * A filesystem type ({@code struct file_system_type}), registered as a service with a
 * {@code name} property ({@code ext4}, {@code xfs}, ...). Stateless: each mount gets its
 * own {@link Superblock}.
 */
@ConsumerType
public interface FilesystemType extends Pluggable {

    /**
     * Mounts a filesystem ({@code ->mount}, {@code fill_super}).
     *
     * @param kernel  the kernel services this mount may use
     * @param options mount options, e.g. {@code errors=warn}
     * @throws IllegalArgumentException for an unknown or malformed option, naming it
     */
    Superblock mount(FsKernel kernel, Map<String, String> options);
}
