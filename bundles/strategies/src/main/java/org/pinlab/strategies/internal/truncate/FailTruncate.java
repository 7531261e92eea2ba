package org.pinlab.strategies.internal.truncate;

import org.osgi.service.component.annotations.Component;
import org.pinlab.api.fs.PageRef;
import org.pinlab.api.policy.TruncatePolicy;

/** Jason Gunthorpe, seed 002: truncate fails with -EBUSY while the range is pinned. */
@Component(service = TruncatePolicy.class, property = "name=fail")
public final class FailTruncate implements TruncatePolicy {

    @Override
    public String name() {
        return "fail";
    }

    @Override
    public String description() {
        return "Jason Gunthorpe's proposal (seed 002), which Matthew Wilcox had long advocated: "
                + "truncate and hole punch fail with -EBUSY while a page in the range is pinned "
                + "for DMA. Nothing is freed under the device. Risk: applications that expect "
                + "truncate to succeed, and other kernel developers \"will not allow it\".";
    }

    @Override
    public Action onPinnedPage(PageRef page) {
        return Action.FAIL;
    }
}
