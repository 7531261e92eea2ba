package org.pinlab.strategies.internal.writeback;

import org.osgi.service.component.annotations.Component;
import org.pinlab.api.fs.PageRef;
import org.pinlab.api.policy.WritebackPolicy;

/** Kara and Glisse, seeds 002/004: write a stable bounce copy, keep the page dirty. */
@Component(service = WritebackPolicy.class, property = "name=snapshot")
public final class SnapshotPinnedPages implements WritebackPolicy {

    @Override
    public String name() {
        return "snapshot";
    }

    @Override
    public String description() {
        return "Bounce pages for writeback, proposed by Jan Kara (seed 002) and Jerome Glisse "
                + "(seed 004): writeback copies the pinned page to a bounce page, writes that "
                + "stable snapshot, and keeps the original dirty because the device may still "
                + "write into it. Stable contents for checksums and encryption, and fsync writes "
                + "what was there. Risk: a page copy per writeback and a page of memory per page "
                + "in flight; a long-term pinned page is rewritten at every writeback.";
    }

    @Override
    public Action onPinnedDirtyPage(PageRef page, boolean sync) {
        return Action.SNAPSHOT;
    }
}
