package org.pinlab.kernel.internal.fs.dax;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

import org.pinlab.api.gup.PinRecord;
import org.pinlab.api.mm.PageFlags;
import org.pinlab.api.mm.Zone;
import org.pinlab.kernel.internal.block.BlockDevice;
import org.pinlab.kernel.internal.frames.FolioPins;
import org.pinlab.kernel.internal.frames.FrameStore;
import org.pinlab.kernel.internal.frames.ZoneDevice;
import org.pinlab.kernel.internal.mm.Inode;
import org.pinlab.kernel.internal.mm.Mount;
import org.pinlab.kernel.internal.mm.filemap.Filemap;
import org.pinlab.kernel.internal.mm.pagealloc.PageAlloc;
import org.pinlab.kernel.internal.mm.swap.PageRefs;
import org.pinlab.kernel.internal.oracles.Oracles;

/**
 * fs/dax.c and the pmem driver. A DAX mount's blocks are the frames of a pmem region, and
 * its file pages are those frames: no page cache page, no LRU, no dirty tag, no writeback.
 * The paths branch on {@code Mount.dax()}: HandleMmFault ({@code dax_iomap_fault}),
 * GetUserPages ({@code vma_is_fsdax}), TruncatePages ({@code dax_layout_busy_page_range}),
 * Fsync ({@code dax_writeback_mapping_range}); the mount, {@code folio_mark_dirty} and a
 * device's DMA write call in here.
 */
public final class Dax {

    private final FrameStore frames;
    private final ZoneDevice zoneDevice;
    private final FolioPins pins;
    private final PageAlloc pageAlloc;
    private final PageRefs refs;
    private final Filemap filemap;
    private final Oracles oracles;
    /** Grabs that held a pmem frame when truncate freed its block anyway (the proceed policy), oldest first. */
    private final List<StaleDaxGrab> staleDaxGrabs = new ArrayList<>();

    /** A grab on a frame whose block was freed under it: its pin record's id, or -1 for a reference no record names. */
    private record StaleDaxGrab(int pfn, long pinId, String owner) {
    }

    public Dax(FrameStore frames, ZoneDevice zoneDevice, FolioPins pins, PageAlloc pageAlloc, PageRefs refs,
               Filemap filemap, Oracles oracles) {
        this.frames = frames;
        this.zoneDevice = zoneDevice;
        this.pins = pins;
        this.pageAlloc = pageAlloc;
        this.refs = refs;
        this.filemap = filemap;
        this.oracles = oracles;
    }

    /**
     * {@code memmap=nn!ss} + {@code devm_memremap_pages}: carves the mount's pmem region out of
     * RAM, one frame per block, each holding the pagemap's own reference (a DAX page is idle at
     * refcount 1, {@code dax_layout_busy_page}). Departures: carved at mount rather than at
     * boot, one frame at a time (not contiguous), and from ZONE_NORMAL, as pmem is ZONE_DEVICE
     * and never movable, so long-term pins need no migration; the watermarks still count it.
     *
     * @throws IllegalArgumentException if free memory cannot hold a region of that many blocks
     *         (a mount request too big for the machine); nothing is kept then
     */
    public void mount(Mount m) {
        if (frames.zeroPage() < 0) {
            int z = pageAlloc.allocPage(Zone.NORMAL);
            if (z < 0) {
                throw new IllegalArgumentException(m.path + ": no memory for the zero page");
            }
            frames.setToken(z, BlockDevice.ZERO);
            frames.set(z, PageFlags.UPTODATE);
            frames.setZeroPage(z);
        }
        int[] region = new int[(int) m.device.size()];
        for (int b = 0; b < region.length; b++) {
            int p = pageAlloc.allocPage(Zone.NORMAL);
            if (p < 0) {
                for (int i = 0; i < b; i++) {
                    zoneDevice.remove(region[i]);
                    refs.putPage(region[i]);
                }
                throw new IllegalArgumentException(m.path + ": " + region.length
                        + " blocks of pmem do not fit in free memory");
            }
            region[b] = p;
            zoneDevice.add(p);
            frames.setToken(p, BlockDevice.ZERO);
        }
        m.pmem = region;
    }

    /** {@code dax_load_hole}: the shared zero page a read of a DAX hole maps read-only. */
    public int zeroPage() {
        return frames.zeroPage();
    }

    /** {@code dax_insert_entry} + {@code dax_associate_entry}: the frame becomes file page {@code index}. */
    public void insertEntry(Inode inode, int index, int pfn) {
        inode.mapping.insert(index, pfn);
        frames.setOwner(pfn, inode.ino, index);
    }

    /** {@code dax_delete_mapping_entry} + {@code dax_disassociate_entry}: the frame leaves the file. */
    public void deleteEntry(Inode inode, int index, int pfn) {
        inode.mapping.delete(index);
        frames.setOwner(pfn, FrameStore.NO_MAPPING, 0);
        frames.clear(pfn, PageFlags.DIRTY);
    }

    /**
     * {@code dax_busy_page}: referenced beyond the pagemap's own reference and its PTEs. Once
     * {@code unmap_mapping_range} ran, that is the kernel's {@code page_ref_count(page) > 1}:
     * any GUP reference counts, FOLL_GET or FOLL_PIN, short-term or long-term.
     */
    public boolean busy(int pfn) {
        return frames.refcount(pfn) > 1 + frames.mapcount(pfn);
    }

    /**
     * Truncate frees the block of a busy pmem frame anyway (the proceed policy, as before
     * v4.17's dax_layout_busy_page): every grab holding the frame now points into a free
     * block that the filesystem may hand to another file.
     */
    public void freedWhileBusy(int pfn) {
        boolean named = false;
        if (pins.hasTracker()) {
            for (PinRecord r : pins.accounting().outstanding()) {
                for (int p : r.pfns()) {
                    if (p == pfn) {
                        staleDaxGrabs.add(new StaleDaxGrab(pfn, r.id(), "pin#" + r.id() + " of " + r.owner()));
                        named = true;
                        break;
                    }
                }
            }
        }
        if (!named) {
            staleDaxGrabs.add(new StaleDaxGrab(pfn, -1, "an untracked reference"));
        }
    }

    /**
     * A device writes a pmem frame ({@code freeDeferred}: whether defer-free still keeps its block): into a free block, or into a block the filesystem gave
     * away while a grab from before the truncate still held it, is a use after free. Departure:
     * the model cannot tell which grab a DMA write comes through, so while a stale grab
     * lasts, a write through a new pin of the reallocated block is reported too.
     */
    public void checkDmaWrite(int pfn, IntPredicate freeDeferred) {
        if (!zoneDevice.isPmem(pfn)) {
            return;
        }
        StaleDaxGrab stale = staleDaxGrab(pfn);
        Inode now = filemap.fileOf(pfn);
        if (stale != null) {
            oracles.useAfterFree(pfn, "DMA write through " + stale.owner() + ", held across the truncate that freed"
                    + " its block" + (now != null ? " (now inode " + now.ino + " page " + frames.index(pfn) + ")" : ""));
        } else if (now == null && !freeDeferred.test(pfn)) {
            oracles.useAfterFree(pfn, "DMA write into a free pmem block");
        }
    }

    /** The oldest stale grab still outstanding on {@code pfn}, dropping the ones released meanwhile. */
    private StaleDaxGrab staleDaxGrab(int pfn) {
        StaleDaxGrab found = null;
        for (int i = staleDaxGrabs.size() - 1; i >= 0; i--) {
            StaleDaxGrab g = staleDaxGrabs.get(i);
            boolean live = g.pinId() >= 0 ? outstandingPin(g.pinId()) : busy(g.pfn());
            if (!live) {
                staleDaxGrabs.remove(i);
            } else if (g.pfn() == pfn) {
                found = g;
            }
        }
        return found;
    }

    private boolean outstandingPin(long id) {
        for (PinRecord r : pins.accounting().outstanding()) {
            if (r.id() == id) {
                return true;
            }
        }
        return false;
    }
}
