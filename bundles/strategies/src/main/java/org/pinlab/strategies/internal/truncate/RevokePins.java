package org.pinlab.strategies.internal.truncate;

import org.osgi.service.component.annotations.Component;
import org.pinlab.api.fs.PageRef;
import org.pinlab.api.policy.TruncatePolicy;

/** Dan Williams, seed 002: break the lease, ask the driver to stop DMA and unpin. */
@Component(service = TruncatePolicy.class, property = "name=revoke")
public final class RevokePins implements TruncatePolicy {

    @Override
    public String name() {
        return "revoke";
    }

    @Override
    public String description() {
        return "Dan Williams' revoke() / lease-break proposal (seed 002): truncate asks every "
                + "driver pinning the range to stop DMA and unpin, as a file lease is broken, and "
                + "waits for the drivers that cannot. Jerome Glisse and Matthew Wilcox pointed out "
                + "that many devices cannot stop DMA. Risk: drivers that cannot revoke, for which "
                + "this is a wait, possibly forever.";
    }

    @Override
    public Action onPinnedPage(PageRef page) {
        return Action.REVOKE;
    }
}
