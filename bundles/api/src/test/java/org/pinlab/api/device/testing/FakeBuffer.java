package org.pinlab.api.device.testing;

import org.pinlab.api.device.UserBuffer;

/** A buffer a test gives a device: a name, its process, its length and what backs it. */
public record FakeBuffer(String name, String process, int pages, boolean fileBacked) implements UserBuffer {

    /** A shared file mapping of process {@code app}: the case the pin and writeback races need. */
    public static FakeBuffer file(String name, int pages) {
        return new FakeBuffer(name, "app", pages, true);
    }

    /** Anonymous memory of process {@code app}. */
    public static FakeBuffer anonymous(String name, int pages) {
        return new FakeBuffer(name, "app", pages, false);
    }
}
