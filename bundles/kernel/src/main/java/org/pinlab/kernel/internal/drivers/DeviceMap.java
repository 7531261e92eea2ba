package org.pinlab.kernel.internal.drivers;

import org.pinlab.api.device.DmaMap;
import org.pinlab.api.device.UserBuffer;
import org.pinlab.kernel.internal.mm.UserRange;

/** A device's view of one {@link DmaMapping}: which buffer pages it covers, and its state. */
final class DeviceMap implements DmaMap {

    final DmaMapping dma;
    private final UserRange buffer;
    private final int first;
    private final boolean write;
    private final boolean longterm;
    boolean live = true;
    boolean revoked;
    /** The device was asked once already (it answers each mapping once). */
    boolean revokeAsked;

    DeviceMap(DmaMapping dma, UserRange buffer, int first, boolean write, boolean longterm) {
        this.dma = dma;
        this.buffer = buffer;
        this.first = first;
        this.write = write;
        this.longterm = longterm;
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
        return dma.pages();
    }

    @Override
    public int pfn(int i) {
        return dma.pfn(i);
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

    /** Whether the mapping holds {@code pfn}. */
    boolean holds(int pfn) {
        if (!live || !dma.mapped()) {
            return false;
        }
        for (int i = 0; i < dma.pages(); i++) {
            if (dma.pfn(i) == pfn) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return buffer.name() + "[" + first + ", " + (first + pages()) + ")" + (write ? " rw" : " ro")
                + (longterm ? " longterm" : "") + (live ? "" : " released");
    }
}
