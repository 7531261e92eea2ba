package org.pinlab.kernel.internal.mm.memory;

import org.pinlab.api.mm.PageFlags;
import org.pinlab.kernel.Cost;
import org.pinlab.kernel.internal.mm.Mm;
import org.pinlab.kernel.internal.mm.Vma;
import org.pinlab.sim.Proc;
import org.pinlab.sim.Task;

/**
 * A load or store by a user task to one virtual page: the MMU goes through a present PTE
 * (writable, for a store); otherwise the task faults ({@code exc_page_fault} ->
 * {@code do_user_addr_fault}: {@code mmap_read_lock}, {@code handle_mm_fault}, unlock) and
 * retries. A store stamps a fresh content token into the frame.
 */
public final class UserAccess extends Proc {

    private final Memory k;
    private final Mm mm;
    private final long vpn;
    private final boolean write;
    private HandleMmFault fault;
    /** The fault's result if the store failed (SIGSEGV, SIGBUS, OOM), else OK. */
    public int result = HandleMmFault.OK;

    public UserAccess(Memory k, Mm mm, long vpn, boolean write) {
        super(write ? "user_store" : "user_load");
        this.k = k;
        this.mm = mm;
        this.vpn = vpn;
        this.write = write;
    }

    /** Through a present PTE, else {@code do_user_addr_fault}: lock, fault, unlock and retry. */
    private enum Step implements Proc.State { ACCESS, HANDLE_MM_FAULT, FAULT_RETURNED }

    private static final Step[] STEPS = byPc(Step.values());

    @Override
    protected int step(Task t) {
        switch (STEPS[pc]) {
            case ACCESS: {
                // __might_fault: any user access may fault and take mmap_lock (seed 003)
                k.lockdep.mightFault(t, k.mmapLockClass, mm.mmapLock.instance());
                Vma v = mm.findVma(vpn);
                if (v != null) {
                    int s = v.slot(vpn);
                    int need = write ? Vma.PTE_PRESENT | Vma.PTE_WRITE : Vma.PTE_PRESENT;
                    if ((v.pte[s] & need) == need) {
                        if (write) {
                            store(v, s);
                        } else {
                            v.pte[s] |= Vma.PTE_YOUNG;
                        }
                        return t.ret();
                    }
                }
                resume(Step.HANDLE_MM_FAULT);
                return t.call(mm.mmapLock.downRead());
            }
            case HANDLE_MM_FAULT:
                fault = new HandleMmFault(k, mm, vpn, write);
                resume(Step.FAULT_RETURNED);
                return t.call(fault);
            case FAULT_RETURNED:
                mm.mmapLock.upRead(t);
                if (fault.result != HandleMmFault.OK) {
                    result = fault.result;
                    return t.ret();
                }
                resume(Step.ACCESS); // retry the store: the PTE may already be gone again
                return t.next(k.cost(Cost.CPU_STEP));
            default:
                throw new IllegalStateException(function() + ": bad pc " + pc);
        }
    }

    private void store(Vma v, int s) {
        int pfn = v.pfn[s];
        long token = k.tokens.newToken();
        k.frames.setToken(pfn, token);
        v.pte[s] |= Vma.PTE_DIRTY | Vma.PTE_YOUNG;
        // a writable PTE of a private file mapping maps its own anonymous COW copy, not the file
        if (!v.isAnon() && v.shared) {
            k.oracles.fileDataWritten(v.file, v.fileIndex(vpn), token);
        } else {
            k.frames.set(pfn, PageFlags.DIRTY);
        }
        k.engine.mix(token ^ ((long) pfn << 20));
    }
}
