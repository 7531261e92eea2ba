package org.pinlab.kernel.internal.mm;

import java.util.Arrays;
import java.util.BitSet;

import org.pinlab.api.mm.MemoryLayout;
import org.pinlab.kernel.internal.frames.FrameStore;

/**
 * A virtual memory area ({@code struct vm_area_struct}) with its slice of the page table:
 * for each page, the frame it maps and the PTE bits.
 *
 * <p>Departure from the kernel: page tables are flat arrays per VMA rather than a radix of
 * PGD/PUD/PMD/PTE pages; the walk costs the same simulated time either way.
 */
public final class Vma {

    public static final byte PTE_PRESENT = 1;
    public static final byte PTE_WRITE = 2;
    public static final byte PTE_DIRTY = 4;
    public static final byte PTE_YOUNG = 8;
    /** Not present: a hwpoison swap entry ({@code make_hwpoison_entry}) left by {@code memory_failure}. */
    public static final byte PTE_HWPOISON = 16;
    /** Every bit: what each PTE under a PMD leaf has. */
    public static final byte PTE_PMD_LEAF = PTE_PRESENT | PTE_WRITE | PTE_DIRTY | PTE_YOUNG;
    /** Slots a PMD leaf spans: {@code HPAGE_PMD_NR}. */
    public static final int PMD_NR = 1 << MemoryLayout.HPAGE_PMD_ORDER;

    public final Mm mm;
    public final long startVpn;
    public final int pages;
    /** VM_SHARED: writes reach the file (a MAP_SHARED file mapping). */
    public final boolean shared;
    /** VM_WRITE; {@code mprotect} may take it away ({@code Mmap.mprotect}). */
    public boolean writable;
    /** The mapped file, or null for anonymous memory. */
    public final Inode file;
    /** {@code vm_pgoff}: the file page mapped at {@code startVpn}. */
    public final int pgoff;
    public final int[] pfn;
    public final byte[] pte;
    /** Device buffers over this VMA with MMU interval notifiers, or null. */
    public java.util.List<UserRange> watched;
    /**
     * PMD leaves ({@code pmd_trans_huge}): bit {@code f} set means slots {@code f .. f + 511}
     * map the subpages of one order-9 folio in order, every PTE present, writable, dirty and
     * young, as one huge PMD maps a THP. A walk that meets one takes the folio's subpages
     * without reading their PTEs ({@code gup_fast_pmd_leaf}, {@code follow_huge_pmd}).
     * Setting PTE bits under a leaf changes nothing, as it has them all; whatever else writes
     * {@link #pte} or {@link #pfn} calls {@link #splitPmds} first, as the kernel splits a huge
     * PMD before it touches one subpage's entry ({@code __split_huge_pmd}).
     *
     * <p>Departure: the 512 PTE slots stay filled under a leaf and the folio keeps the counts
     * of a PTE-mapped THP (a reference and a mapcount per PTE); the leaf only lets walks skip
     * the slots, and a split leaves the same PTEs in place.
     */
    private final BitSet pmdLeaves = new BitSet();

    public Vma(Mm mm, long startVpn, int pages, boolean shared, boolean writable, Inode file, int pgoff) {
        this.mm = mm;
        this.startVpn = startVpn;
        this.pages = pages;
        this.shared = shared;
        this.writable = writable;
        this.file = file;
        this.pgoff = pgoff;
        pfn = new int[pages];
        Arrays.fill(pfn, AddressSpace.NONE);
        pte = new byte[pages];
    }

    public boolean contains(long vpn) {
        return vpn >= startVpn && vpn < startVpn + pages;
    }

    public boolean isAnon() {
        return file == null;
    }

    public Inode file() {
        return file;
    }

    public long startVpn() {
        return startVpn;
    }

    public int pages() {
        return pages;
    }

    /** The frame the PTE at slot {@code s} maps, or {@link AddressSpace#NONE}: a page-table lookup. */
    public int pfnAt(int s) {
        return pfn[s];
    }

    /** The file index mapped at a virtual page. */
    public int fileIndex(long vpn) {
        return pgoff + (int) (vpn - startVpn);
    }

    /** The virtual page mapping file index {@code index}, or -1 if outside this VMA. */
    public long vpnOf(int index) {
        long off = (long) index - pgoff;
        return off >= 0 && off < pages ? startVpn + off : -1;
    }

    /**
     * The slot of the present PTE mapping file page {@code index} to {@code pfn}, or -1: one
     * step of the reverse-map walk through {@code i_mmap} ({@code page_vma_mapped_walk}).
     */
    public int slotOf(int index, int pfn) {
        long vpn = vpnOf(index);
        if (vpn < 0) {
            return -1;
        }
        int s = slot(vpn);
        return pfn == this.pfn[s] && (pte[s] & PTE_PRESENT) != 0 ? s : -1;
    }

    public int slot(long vpn) {
        return (int) (vpn - startVpn);
    }

    /**
     * {@code set_pmd_at} of a huge PMD: makes slots {@code f .. f + 511}, which must already
     * map one order-9 folio whole as a leaf promises, a PMD leaf.
     *
     * @throws IllegalStateException if they do not
     */
    public void mapPmdLeaf(int f, FrameStore frames) {
        if (!pmdLeafHolds(f, frames)) {
            throw new IllegalStateException("slots " + f + ".." + (f + PMD_NR - 1) + " of the VMA at " + startVpn
                    + " do not map one order-9 folio whole");
        }
        pmdLeaves.set(f);
    }

    /** Whether a PMD leaf starts at slot {@code f}: a look at one entry instead of 512. */
    public boolean isPmdLeaf(int f) {
        return f >= 0 && pmdLeaves.get(f);
    }

    /**
     * {@code __split_huge_pmd} of every PMD leaf that spans a slot in {@code [from, to)}: the
     * walks read those PTEs again. Called before anything but setting PTE bits writes a slot.
     */
    public void splitPmds(int from, int to) {
        if (!pmdLeaves.isEmpty()) {
            pmdLeaves.clear(Math.max(0, from - PMD_NR + 1), to);
        }
    }

    /** {@link #splitPmds} for one slot. */
    public void splitPmd(int s) {
        splitPmds(s, s + 1);
    }

    /**
     * What a PMD leaf at slot {@code f} promises: slots {@code f .. f + 511} map one order-9
     * folio whole, in order, with every PTE bit.
     */
    public boolean pmdLeafHolds(int f, FrameStore frames) {
        if (f < 0 || f > pages - PMD_NR) {
            return false;
        }
        int head = pfn[f];
        if (head < 0 || frames.compoundHead(head) != head || frames.folioOrder(head) != MemoryLayout.HPAGE_PMD_ORDER) {
            return false;
        }
        for (int j = 0; j < PMD_NR; j++) {
            if (pfn[f + j] != head + j || pte[f + j] != PTE_PMD_LEAF) {
                return false;
            }
        }
        return true;
    }
}
