package org.pinlab.kernel.internal.mm.rmap;

import org.pinlab.api.mm.PageFlags;
import org.pinlab.kernel.internal.frames.FrameStore;
import org.pinlab.kernel.internal.mm.AddressSpace;
import org.pinlab.kernel.internal.mm.Inode;
import org.pinlab.kernel.internal.mm.UserRange;
import org.pinlab.kernel.internal.mm.Vma;
import org.pinlab.kernel.internal.mm.filemap.Filemap;
import org.pinlab.kernel.internal.mm.swap.PageRefs;

/**
 * mm/rmap.c: from a page to the PTEs that map it, through the file's {@code i_mmap}, to
 * unmap, write-protect or age them; with {@code zap_pte_range} (mm/memory.c), which every
 * unmap path ends in and which the fault path sits above, and the MMU notifiers the PTE
 * changes call.
 */
public final class Rmap {

    private final FrameStore frames;
    private final Filemap filemap;
    private final PageRefs refs;

    public Rmap(FrameStore frames, Filemap filemap, PageRefs refs) {
        this.frames = frames;
        this.filemap = filemap;
        this.refs = refs;
    }

    /** {@code folio_mkclean} -> {@code page_mkclean_one}: write-protect and clean every mapping PTE. */
    public void pageMkclean(Inode inode, int pfn) {
        int index = frames.index(pfn);
        for (Vma v : inode.mapping.mappers) {
            int s = v.slotOf(index, pfn);
            if (s >= 0) {
                notifyInvalidate(v, s, false);
                v.splitPmd(s); // split_huge_pmd before one subpage's entry changes
                v.pte[s] &= ~(Vma.PTE_WRITE | Vma.PTE_DIRTY);
            }
        }
    }

    /**
     * {@code try_to_unmap}: removes every PTE mapping the page (reverse map through
     * {@code i_mmap} for file pages, the owning VMA for anonymous ones). A dirty PTE passes
     * its dirt to the page ({@code folio_mark_dirty} in {@code try_to_unmap_one}).
     *
     * @return true if the page is no longer mapped
     */
    public boolean tryToUnmap(int pfn) {
        Inode inode = filemap.fileOf(pfn);
        if (inode != null) {
            int index = frames.index(pfn);
            for (Vma v : inode.mapping.mappers) {
                int s = v.slotOf(index, pfn);
                if (s >= 0) {
                    zapPte(v, v.startVpn + s, pfn);
                }
            }
        }
        return frames.mapcount(pfn) == 0;
    }

    /** {@code zap_pte_range} for one PTE that maps {@code pfn}. */
    public void zapPte(Vma v, long vpn, int pfn) {
        int s = v.slot(vpn);
        if (v.pfn[s] != pfn || (v.pte[s] & Vma.PTE_PRESENT) == 0) {
            return;
        }
        notifyInvalidate(v, s, true);
        if ((v.pte[s] & Vma.PTE_DIRTY) != 0) {
            filemap.setPageDirty(pfn);
        }
        if ((v.pte[s] & Vma.PTE_YOUNG) != 0) {
            frames.set(pfn, PageFlags.REFERENCED);
        }
        v.splitPmd(s); // __split_huge_pmd (zap_pmd_range zaps a wholly covered huge PMD at once)
        v.pfn[s] = AddressSpace.NONE;
        v.pte[s] = 0;
        frames.addMapcount(frames.compoundHead(pfn), -1); // a PTE-mapped THP counts on its head
        refs.putPage(pfn);
    }

    /** {@code folio_referenced}: clears and reports the young bits of the page's PTEs. */
    public boolean clearYoungPtes(int pfn) {
        boolean young = false;
        Inode inode = filemap.fileOf(pfn);
        if (inode != null) {
            int index = frames.index(pfn);
            for (Vma v : inode.mapping.mappers) {
                int s = v.slotOf(index, pfn);
                if (s >= 0 && (v.pte[s] & Vma.PTE_YOUNG) != 0) {
                    v.splitPmd(s); // split_huge_pmd before one subpage's entry changes
                    v.pte[s] &= ~Vma.PTE_YOUNG;
                    young = true;
                }
            }
        }
        return young;
    }

    /** {@code mmu_notifier_invalidate_range_start} for one PTE of a VMA about to change. */
    private void notifyInvalidate(Vma v, int slot, boolean unmap) {
        if (v.watched == null) {
            return;
        }
        for (UserRange r : v.watched) {
            for (int i = 0; i < r.watchers.size(); i++) {
                r.watchers.get(i).invalidate(r, slot, unmap);
            }
        }
    }
}
