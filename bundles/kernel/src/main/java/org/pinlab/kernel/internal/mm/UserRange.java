package org.pinlab.kernel.internal.mm;

import java.util.ArrayList;
import java.util.List;

import org.pinlab.api.device.UserBuffer;

/** A device's buffer: a slice of one VMA of one process, as a scenario hands it out. */
public final class UserRange implements UserBuffer {

    private final String name;
    public final Mm mm;
    public final Vma vma;
    /** The first page of the VMA the buffer starts at. */
    public final int offset;
    private final int pages;
    /** Devices that registered an MMU interval notifier on the range. */
    public final List<MmuNotifier> watchers = new ArrayList<>(1);

    public UserRange(String name, Mm mm, Vma vma, int offset, int pages) {
        if (offset < 0 || pages < 1 || offset + pages > vma.pages) {
            throw new IllegalArgumentException("buffer " + name + ": pages [" + offset + ", " + (offset + pages)
                    + ") do not fit a mapping of " + vma.pages + " pages");
        }
        this.name = name;
        this.mm = mm;
        this.vma = vma;
        this.offset = offset;
        this.pages = pages;
        if (vma.watched == null) {
            vma.watched = new ArrayList<>(1);
        }
        vma.watched.add(this);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String process() {
        return mm.owner;
    }

    @Override
    public int pages() {
        return pages;
    }

    @Override
    public boolean fileBacked() {
        return vma.file != null;
    }

    /** The virtual page of buffer page {@code i}. */
    public long vpn(int i) {
        return vma.startVpn + offset + i;
    }

    /** The buffer page a VMA slot is, or -1 outside the buffer. */
    public int pageOfSlot(int slot) {
        int i = slot - offset;
        return i >= 0 && i < pages ? i : -1;
    }

    @Override
    public String toString() {
        return name + " (" + mm.owner + ", " + pages + " pages" + (fileBacked() ? ", file" : ", anonymous") + ")";
    }
}
