package org.pinlab.testing;

import java.util.Map;
import java.util.stream.IntStream;

import org.pinlab.api.gup.PinTracker;
import org.pinlab.fs.tmpfs.internal.TmpfsType;
import org.pinlab.kernel.internal.Script;
import org.pinlab.kernel.internal.drivers.DmaMapping;
import org.pinlab.kernel.internal.mm.Inode;
import org.pinlab.kernel.internal.mm.Mm;
import org.pinlab.kernel.internal.mm.Mount;
import org.pinlab.kernel.internal.mm.Vma;
import org.pinlab.kernel.internal.mm.memory.UserAccess;

/**
 * The scene of a release strategy contract test: one process with three kinds of memory a
 * driver pins, all faulted in before any pin: a shared mapping of a tmpfs file (small file
 * pages), small anonymous pages, and one anonymous THP (an order-9 folio, whose pins the
 * layouts count in {@code _pincount} or in the head's refcount).
 */
final class StrategyRig {

    static final int SMALL = 8;
    static final int THP = 512;

    final ContractMachine cm;
    final SwappableChoices choices;
    final Mm mm;
    final Vma file;
    final Vma anon;
    final Vma thp;

    StrategyRig(PinTracker layout, SwappableChoices choices) {
        this.choices = choices;
        cm = new ContractMachine(layout, choices);
        Mount shm = cm.k.mounts.mount("/dev/shm", new TmpfsType(), Map.of(), 1024);
        Inode inode = cm.k.filemap.createFile(shm, SMALL);
        mm = cm.k.mmap.newMm("app");
        file = cm.k.mmap.mmap(mm, SMALL, true, true, inode, 0);
        anon = cm.k.mmap.mmap(mm, SMALL, false, true, null, 0);
        cm.k.mmap.populateAnon(mm, anon, false);
        thp = cm.k.mmap.mmap(mm, THP, false, true, null, 0);
        cm.k.mmap.populateAnon(mm, thp, true);
    }

    /** Stores to every file page, so each is in the page cache and mapped before the pins. */
    Script faultInFile(Script s) {
        for (int i = 0; i < SMALL; i++) {
            long vpn = file.startVpn() + i;
            s.call(() -> new UserAccess(cm.k.memory, mm, vpn, true));
        }
        return s;
    }

    /** Every frame the three mappings map now. */
    int[] mappedFrames() {
        return IntStream.concat(IntStream.concat(IntStream.of(file.pfn), IntStream.of(anon.pfn)),
                IntStream.of(thp.pfn)).filter(p -> p >= 0).toArray();
    }

    /** A driver's DMA mapping ({@code ib_umem_get}) of pages [from, from + pages) of a mapping. */
    DmaMapping dma(String owner, Vma v, int from, int pages, boolean write, boolean longterm) {
        return new DmaMapping(cm.k.devices, owner, mm, v.startVpn() + from, pages, write, longterm);
    }

    /** Maps, writes page 0 by DMA if writable, and releases dirty if writable. */
    Script pinUseRelease(Script s, DmaMapping dma, boolean write) {
        s.call(dma::map);
        if (write) {
            s.then(() -> dma.deviceWrite(0));
        }
        return s.call(() -> dma.unmap(write));
    }
}
