package org.pinlab.strategies.internal.writeback;

import org.osgi.service.component.annotations.Component;
import org.pinlab.api.fs.PageRef;
import org.pinlab.api.policy.WritebackPolicy;

/** Hillf Danton, seed 004: leave pinned dirty pages dirty, even for fsync. */
@Component(service = WritebackPolicy.class, property = "name=skip")
public final class SkipPinnedPages implements WritebackPolicy {

    @Override
    public String name() {
        return "skip";
    }

    @Override
    public String description() {
        return "Hillf Danton's proposal (seed 004): writeback detects gup-pinned dirty pages and "
                + "skips them, leaving them dirty, so it never races the device. It skips them for "
                + "data-integrity writeback too, so fsync and sync return success without having "
                + "written the page. Risk: data never synced while the pin lasts, and fsync lies; "
                + "a long-term pin (RDMA) means never.";
    }

    @Override
    public Action onPinnedDirtyPage(PageRef page, boolean sync) {
        // As proposed: no exception for sync, which is why fsync lies.
        return Action.SKIP;
    }
}
