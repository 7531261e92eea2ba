package org.pinlab.api.device.testing;

import org.pinlab.api.device.DmaMap;
import org.pinlab.api.device.UserBuffer;

/**
 * A mapping {@link FakeDeviceContext#pin} made. It exists from the pin call, so a failed pin's
 * {@link Event.Pin} still names what was asked; it is live from the pin's completion until the
 * release's. Its frames are those of its pages when the pin completed.
 */
public final class FakeMap implements DmaMap {

    private final UserBuffer buffer;
    private final int first;
    private final int pages;
    private final boolean write;
    private final boolean longterm;
    private int[] pfns;
    private long mappedAt = -1;
    private boolean live;
    private boolean revoked;

    FakeMap(UserBuffer buffer, int first, int pages, boolean write, boolean longterm) {
        this.buffer = buffer;
        this.first = first;
        this.pages = pages;
        this.write = write;
        this.longterm = longterm;
    }

    void mapped(long at, int[] frames) {
        pfns = frames;
        mappedAt = at;
        live = true;
    }

    void released() {
        live = false;
    }

    void revoke() {
        revoked = true;
    }

    /** When the pin completed (the device could use the mapping from then on), or -1 if it never did. */
    public long mappedAt() {
        return mappedAt;
    }

    @Override
    public UserBuffer buffer() {
        return buffer;
    }

    @Override
    public int first() {
        return first;
    }

    @Override
    public int pages() {
        return pages;
    }

    @Override
    public int pfn(int i) {
        if (pfns == null) {
            throw new IllegalStateException(this + " was never mapped");
        }
        return pfns[i];
    }

    @Override
    public boolean write() {
        return write;
    }

    @Override
    public boolean longterm() {
        return longterm;
    }

    @Override
    public boolean live() {
        return live;
    }

    @Override
    public boolean revoked() {
        return revoked && live;
    }

    /** {@code mr0[0, 512)}: the buffer and the pages mapped. */
    @Override
    public String toString() {
        return buffer.name() + "[" + first + ", " + (first + pages) + ")";
    }
}
