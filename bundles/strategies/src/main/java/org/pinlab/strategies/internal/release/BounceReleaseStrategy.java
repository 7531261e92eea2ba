package org.pinlab.strategies.internal.release;

import org.osgi.service.component.annotations.Component;
import org.pinlab.api.policy.ReleaseStrategy;

/** Tracked pins, with device writes into file pages staged in bounce buffers until release. */
@Component(service = ReleaseStrategy.class, property = "name=bounce")
public final class BounceReleaseStrategy implements ReleaseStrategy {

    @Override
    public String name() {
        return "bounce";
    }

    @Override
    public String description() {
        return "Tracked pins (FOLL_PIN, as in Linux 5.7), and the device never writes into a "
                + "file-backed page: its writes land in a kernel bounce buffer that is copied into "
                + "the page cache at release through the filesystem's write path, page_mkwrite "
                + "included. The bounce-page idea Jan Kara and Jerome Glisse put forward for "
                + "writeback (seeds 002, 004), applied at the driver. Risk: a page copy and a page "
                + "of memory per pinned file page, and device data reaches the file only at release.";
    }

    @Override
    public int grabFlags(boolean write, boolean longterm) {
        return TrackedReleaseStrategy.pinFlags(write, longterm);
    }

    @Override
    public boolean bounceFileWrites() {
        return true;
    }
}
