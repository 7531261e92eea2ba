package org.pinlab.api.fs;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A filesystem's conversion of an unwritten extent to written once its data is on the disk
 * ({@code ext4_convert_unwritten_extents}), run by the kernel's worker for the inode after the
 * write of {@link FsKernel#submitUnwrittenWrite} completed.
 */
@ConsumerType
@FunctionalInterface
public interface UnwrittenConversion {

    /** The block now holds page {@code index} of {@code inode}; one atomic step, must not block. */
    void convert(int inode, int index, long block);
}
