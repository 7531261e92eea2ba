package org.pinlab.api.device.testing;

import org.pinlab.api.device.UserBuffer;

/**
 * One call a device made on a {@link FakeDeviceContext}, stamped with the simulated time it was
 * made at. Each kind is a record; {@link #line()} gives a short line for comparing whole runs
 * ({@code pin mr0 0+512 write longterm}, {@code pin dio0 0+32 read fast}). Log lines are not
 * events: they are in {@link FakeDeviceContext#dmesg()}.
 */
public sealed interface Event {

    /** Simulated time of the call, in nanoseconds. */
    long at();

    /**
     * The event without its time: {@code pin mr0 0+512 write longterm}, {@code pin dio0 0+32 read fast},
     * {@code release mr0[0, 512) dirty},
     * {@code fault odp0 3 read}, {@code sleep 5000}, {@code dma-write mr0 5 pfn 1005},
     * {@code dma-read ...}, {@code write-frame 7777}, {@code watch odp0}, {@code charge mr0 -512},
     * {@code charge mr0 1200 refused}, {@code set_page_dirty 1005}.
     */
    default String line() {
        // one place for the format of every kind (a switch on the sealed kinds, before Java 21)
        if (this instanceof Pin p) {
            FakeMap m = p.map();
            return "pin " + m.buffer().name() + " " + m.first() + "+" + m.pages() + (m.write() ? " write" : " read")
                    + (m.longterm() ? " longterm" : "") + (p.fast() ? " fast" : "");
        }
        if (this instanceof Release r) {
            return "release " + r.map() + (r.dirty() ? " dirty" : " clean");
        }
        if (this instanceof Fault f) {
            return "fault " + f.buffer().name() + " " + f.page() + (f.write() ? " write" : " read");
        }
        if (this instanceof Sleep s) {
            return "sleep " + s.ns();
        }
        if (this instanceof Dma d) {
            return (d instanceof DmaWrite ? "dma-write " : "dma-read ") + d.map().buffer().name() + " " + d.page()
                    + " pfn " + d.pfn();
        }
        if (this instanceof WriteFrame w) {
            return "write-frame " + w.pfn();
        }
        if (this instanceof Watch w) {
            return "watch " + w.buffer().name();
        }
        if (this instanceof Charge c) {
            return "charge " + c.buffer().name() + " " + c.pages() + (c.refused() ? " refused" : "");
        }
        return "set_page_dirty " + ((SetPageDirty) this).pfn();
    }

    /**
     * {@code pin}, or {@code pinFast} if {@code fast}: {@code map} is what was asked for; it went
     * live only if the pin succeeded.
     */
    record Pin(long at, FakeMap map, boolean fast) implements Event {
    }

    /** {@code release}, dirtying the pages first if {@code dirty}. */
    record Release(long at, FakeMap map, boolean dirty) implements Event {
    }

    /** {@code fault} ({@code hmm_range_fault}) of one page of a watched buffer. */
    record Fault(long at, UserBuffer buffer, int page, boolean write) implements Event {
    }

    /** {@code sleep}: the device idles for {@code ns} unless woken. */
    record Sleep(long at, long ns) implements Event {
    }

    /** DMA through a live mapping to page {@code page} of the buffer (not of the mapping), in frame {@code pfn}. */
    sealed interface Dma extends Event {
        FakeMap map();

        int page();

        int pfn();
    }

    /** {@code deviceWrite}. */
    record DmaWrite(long at, FakeMap map, int page, int pfn) implements Dma {
    }

    /** {@code deviceRead}. */
    record DmaRead(long at, FakeMap map, int page, int pfn) implements Dma {
    }

    /** {@code deviceWriteFrame}: a write by frame number, as an ODP device does after a fault. */
    record WriteFrame(long at, int pfn) implements Event {
    }

    /** {@code watch} ({@code mmu_interval_notifier_insert}). */
    record Watch(long at, UserBuffer buffer) implements Event {
    }

    /** {@code chargeLocked}: negative {@code pages} uncharge; {@code refused} is the -ENOMEM answer. */
    record Charge(long at, UserBuffer buffer, int pages, boolean refused) implements Event {
    }

    /** {@code Invalidation.setPageDirty}: the device reported a frame it wrote. */
    record SetPageDirty(long at, int pfn) implements Event {
    }
}
