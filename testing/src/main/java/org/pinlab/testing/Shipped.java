package org.pinlab.testing;

import java.util.List;

import org.pinlab.allocator.internal.BuddyAllocatorService;
import org.pinlab.api.gup.PinTracker;
import org.pinlab.api.mm.PageAllocator;
import org.pinlab.api.policy.ReleaseStrategy;
import org.pinlab.gup.internal.FollPin2019PinTracker;
import org.pinlab.gup.internal.MergedPinTracker;
import org.pinlab.gup.internal.Rfc2019PinTracker;
import org.pinlab.strategies.internal.release.LegacyReleaseStrategy;
import org.pinlab.strategies.internal.release.TrackedReleaseStrategy;

/**
 * The shipped implementations a contract suite runs the implementation under test beside, as
 * Karaf would offer them as services: on the plain classpath they are simply constructed.
 */
final class Shipped {

    private Shipped() {
    }

    static PageAllocator allocator() {
        return new BuddyAllocatorService();
    }

    /** The {@code merged} pin layout (Linux 5.7 onwards). */
    static PinTracker merged() {
        return new MergedPinTracker();
    }

    /** Every shipped implementation of the {@code layout} family. */
    static List<PinTracker> pinLayouts() {
        return List.of(new MergedPinTracker(), new FollPin2019PinTracker(), new Rfc2019PinTracker());
    }

    /** {@code tracked}: pin_user_pages, then unpin_user_pages_dirty_lock. */
    static ReleaseStrategy tracked() {
        return new TrackedReleaseStrategy();
    }

    /** {@code legacy}: get_user_pages, then set_page_dirty_lock + put_page. */
    static ReleaseStrategy legacy() {
        return new LegacyReleaseStrategy();
    }
}
