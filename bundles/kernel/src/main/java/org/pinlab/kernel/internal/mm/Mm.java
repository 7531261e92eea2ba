package org.pinlab.kernel.internal.mm;

import java.util.ArrayList;
import java.util.List;

import org.pinlab.kernel.internal.locking.RwSemaphore;

/** A process's address space ({@code struct mm_struct}): its VMAs and {@code mmap_lock}. */
public final class Mm {

    public final int id;
    public final String owner;
    public final List<Vma> vmas = new ArrayList<>(4);
    public final RwSemaphore mmapLock;
    /** Next free virtual page for {@code do_mmap} ({@code Mmap.mmap}). */
    public long nextVpn = 0x10_000;
    /** {@code mm->pinned_vm}: pages charged by drivers against RLIMIT_MEMLOCK. */
    public long pinnedVm;
    /** RLIMIT_MEMLOCK in pages; unlimited by default. */
    public long memlockLimit = Long.MAX_VALUE;

    public Mm(int id, String owner, RwSemaphore mmapLock) {
        this.id = id;
        this.owner = owner;
        this.mmapLock = mmapLock;
    }

    public int id() {
        return id;
    }

    public String owner() {
        return owner;
    }

    /** Sets RLIMIT_MEMLOCK, in pages ({@code setrlimit(RLIMIT_MEMLOCK)}). */
    public void memlockLimit(long pages) {
        if (pages < 0) {
            throw new IllegalArgumentException("RLIMIT_MEMLOCK of " + pages + " pages");
        }
        memlockLimit = pages;
    }

    /** {@code mm->pinned_vm}. */
    public long pinnedVm() {
        return pinnedVm;
    }

    public RwSemaphore mmapLock() {
        return mmapLock;
    }

    public List<Vma> vmas() {
        return vmas;
    }

    /** {@code find_vma}: the VMA containing a virtual page, or null. */
    public Vma findVma(long vpn) {
        for (Vma v : vmas) {
            if (v.contains(vpn)) {
                return v;
            }
        }
        return null;
    }
}
