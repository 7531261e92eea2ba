package org.pinlab.api.fs;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A filesystem's work on one folio that must run later in a task of its own, as btrfs's
 * {@code btrfs_writepage_fixup_worker}: queued with {@link FsKernel#queueFolioWork}.
 */
@ConsumerType
@FunctionalInterface
public interface FolioWork {

    /**
     * Runs in a kworker with the page locked ({@code folio_lock}) and still in its file at its
     * index. One atomic step: it must not block. The page is valid only during the call.
     */
    void run(PageRef page);
}
