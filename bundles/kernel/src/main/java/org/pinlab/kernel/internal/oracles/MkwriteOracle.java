package org.pinlab.kernel.internal.oracles;

import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.mm.PageFlags;
import org.pinlab.kernel.internal.frames.FrameStore;
import org.pinlab.kernel.internal.mm.Inode;
import org.pinlab.sim.Engine;

/**
 * Dirty page without page_mkwrite (Chinner's rule, seed 001): a clean file-backed page on
 * a filesystem that needs {@code page_mkwrite} may only be dirtied after it ran.
 */
final class MkwriteOracle {

    private final Engine engine;
    private final FrameStore frames;

    MkwriteOracle(Engine engine, FrameStore frames) {
        this.engine = engine;
        this.frames = frames;
    }

    void pageDirtied(Inode inode, int pfn) {
        if (inode.mount.sb.needsPageMkwrite() && !frames.test(pfn, PageFlags.MKWRITE_SEEN)) {
            engine.report(FindingKind.DIRTY_WITHOUT_MKWRITE, "page " + frames.index(pfn) + " of inode "
                    + inode.ino + " (pfn " + pfn + ") dirtied without ->page_mkwrite on " + inode.mount.sb.typeName()
                    + " (" + PageFlags.describe(frames.flags(pfn)) + ")");
        }
    }
}
