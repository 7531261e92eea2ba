package org.pinlab.strategies.internal.writeback;

import org.osgi.service.component.annotations.Component;
import org.pinlab.api.fs.PageRef;
import org.pinlab.api.policy.WritebackPolicy;

/** Writeback waits until the page is unpinned, then writes it. */
@Component(service = WritebackPolicy.class, property = "name=wait")
public final class WaitForUnpin implements WritebackPolicy {

    @Override
    public String name() {
        return "wait";
    }

    @Override
    public String description() {
        return "Writeback waits until the pinned page is unpinned, then writes it: the page is "
                + "never written while a device may be writing into it. Nobody's proposal in the "
                + "seeds, but the obvious answer John Hubbard warned against (seed 004: \"system "
                + "hangs\" with long-lasting gup pins). Risk: hangs behind long-term pins (RDMA, "
                + "video capture), flusher and fsync included.";
    }

    @Override
    public Action onPinnedDirtyPage(PageRef page, boolean sync) {
        return Action.WAIT;
    }
}
