package org.pinlab.kernel.internal.mm;

import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.mm.PageFlags;

/**
 * Dirty page without page_mkwrite (Chinner's rule, seed 001): a clean file-backed page on
 * a filesystem that needs {@code page_mkwrite} may only be dirtied after it ran.
 */
final class MkwriteOracle {

    private final Kernel k;

    MkwriteOracle(Kernel k) {
        this.k = k;
    }

    void pageDirtied(Inode inode, int pfn) {
        if (inode.mount.sb.needsPageMkwrite() && !k.frames.test(pfn, PageFlags.MKWRITE_SEEN)) {
            k.engine.report(FindingKind.DIRTY_WITHOUT_MKWRITE, "page " + k.frames.index(pfn) + " of inode "
                    + inode.ino + " (pfn " + pfn + ") dirtied without ->page_mkwrite on " + inode.mount.sb.typeName()
                    + " (" + PageFlags.describe(k.frames.flags(pfn)) + ")");
        }
    }
}
