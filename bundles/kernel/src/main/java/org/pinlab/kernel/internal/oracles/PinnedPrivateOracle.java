package org.pinlab.kernel.internal.oracles;

import org.pinlab.api.finding.FindingKind;
import org.pinlab.kernel.internal.frames.FolioPins;
import org.pinlab.kernel.internal.mm.Inode;
import org.pinlab.sim.Engine;

/**
 * Pinned private data reclaimed: {@code shrink_folio_list} (mm/vmscan.c, d824ec2a1546, v6.4)
 * never calls {@code filemap_release_folio} on a folio {@code folio_maybe_dma_pinned} reports:
 * "we don't want to reclaim underlying fs metadata if the folio is pinned and thus potentially
 * modified by the pinning process as that may upset the filesystem" (its comment in v6.12). A
 * page whose buffers go anyway is seed 001's first step: the device dirties it behind ext4's back.
 */
final class PinnedPrivateOracle {

    private final Engine engine;
    private final FolioPins pins;

    PinnedPrivateOracle(Engine engine, FolioPins pins) {
        this.engine = engine;
        this.pins = pins;
    }

    void released(Inode inode, int index, int pfn) {
        if (pins.maybeDmaPinned(pfn)) {
            engine.report(FindingKind.PINNED_PRIVATE_RECLAIMED, "reclaim released the buffers of inode " + inode.ino
                    + " page " + index + " (pfn " + pfn + ") while folio_maybe_dma_pinned() says "
                    + pins.describeMaybePinned(pfn));
        }
    }
}
