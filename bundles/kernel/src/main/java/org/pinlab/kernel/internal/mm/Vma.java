package org.pinlab.kernel.internal.mm;

import java.util.Arrays;

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

    final Mm mm;
    final long startVpn;
    final int pages;
    /** VM_SHARED: writes reach the file (a MAP_SHARED file mapping). */
    final boolean shared;
    /** VM_WRITE. */
    final boolean writable;
    /** The mapped file, or null for anonymous memory. */
    final Inode file;
    /** {@code vm_pgoff}: the file page mapped at {@code startVpn}. */
    final int pgoff;
    final int[] pfn;
    final byte[] pte;
    /** Device buffers over this VMA with MMU interval notifiers, or null. */
    java.util.List<UserRange> watched;

    Vma(Mm mm, long startVpn, int pages, boolean shared, boolean writable, Inode file, int pgoff) {
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
    int fileIndex(long vpn) {
        return pgoff + (int) (vpn - startVpn);
    }

    /** The virtual page mapping file index {@code index}, or -1 if outside this VMA. */
    long vpnOf(int index) {
        long off = (long) index - pgoff;
        return off >= 0 && off < pages ? startVpn + off : -1;
    }

    /**
     * The slot of the present PTE mapping file page {@code index} to {@code pfn}, or -1: one
     * step of the reverse-map walk through {@code i_mmap} ({@code page_vma_mapped_walk}).
     */
    int slotOf(int index, int pfn) {
        long vpn = vpnOf(index);
        if (vpn < 0) {
            return -1;
        }
        int s = slot(vpn);
        return pfn == this.pfn[s] && (pte[s] & PTE_PRESENT) != 0 ? s : -1;
    }

    int slot(long vpn) {
        return (int) (vpn - startVpn);
    }
}
