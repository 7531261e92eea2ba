package org.pinlab.kernel.internal.mm;

import java.util.ArrayList;
import java.util.List;

import org.pinlab.kernel.internal.lock.RwSemaphore;

/** A process's address space ({@code struct mm_struct}): its VMAs and {@code mmap_lock}. */
public final class Mm {

    final int id;
    final String owner;
    final List<Vma> vmas = new ArrayList<>(4);
    final RwSemaphore mmapLock;
    /** Next free virtual page for {@link Kernel#mmap}. */
    long nextVpn = 0x10_000;

    Mm(int id, String owner, RwSemaphore mmapLock) {
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
