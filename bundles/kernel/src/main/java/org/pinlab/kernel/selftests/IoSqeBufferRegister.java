package org.pinlab.kernel.selftests;

import org.pinlab.api.errno.Errno;
import org.pinlab.api.gup.Foll;
import org.pinlab.api.gup.PinRecord;
import org.pinlab.kernel.internal.Kernel;
import org.pinlab.kernel.internal.mm.Mm;
import org.pinlab.kernel.internal.mm.gup.GupFast;
import org.pinlab.sim.Proc;
import org.pinlab.sim.Task;

/**
 * {@code io_uring_register_buffers} of one iovec as the kernel serves it,
 * {@code io_sqe_buffer_register} (io_uring/rsrc.c, v6.12): {@code io_pin_pages}
 * (io_uring/memmap.c) pins the range with {@code pin_user_pages_fast(FOLL_WRITE |
 * FOLL_LONGTERM)}, a long-term GUP user like an RDMA registration; a short count is unpinned
 * and becomes -EFAULT, an error passes through. Then {@code io_buffer_account_pin} charges
 * the pages to {@code mm->pinned_vm}. Departures: the ring, its bvecs and the huge-page
 * coalescing are not modelled, and the RLIMIT_MEMLOCK check of {@code __io_account_mem} is
 * left out, as for a caller with CAP_IPC_LOCK (the selftest runs as root).
 */
final class IoSqeBufferRegister extends Proc {

    /** io_uring always pins fixed buffers writable and long-term. */
    static final int FOLL = Foll.PIN | Foll.WRITE | Foll.LONGTERM;

    private final Kernel k;
    private final Mm mm;
    private final long startVpn;
    private final int nrPages;
    private final String owner;
    private GupFast pin;
    private PinRecord record;
    /** 0 once the buffer is registered, else a negative errno. */
    int result;

    IoSqeBufferRegister(Kernel k, Mm mm, long startVpn, int nrPages, String owner) {
        super("io_sqe_buffer_register");
        this.k = k;
        this.mm = mm;
        this.startVpn = startVpn;
        this.nrPages = nrPages;
        this.owner = owner;
    }

    /** {@code io_pin_pages}, then what it returned. */
    private enum Step implements Proc.State { IO_PIN_PAGES, PINNED }

    private static final Step[] STEPS = byPc(Step.values());

    @Override
    protected int step(Task t) {
        if (STEPS[pc] == Step.IO_PIN_PAGES) {
            pin = new GupFast(k.gup, mm, startVpn, nrPages, FOLL, owner);
            resume(Step.PINNED);
            return t.call(pin);
        }
        if (pin.result == nrPages) {
            record = pin.record();
            mm.pinnedVm += nrPages; // io_buffer_account_pin -> io_account_mem: ctx->mm_account->pinned_vm
            result = 0;
        } else {
            // io_pin_pages (io_uring/memmap.c, v6.12): a short count is unpinned and is -EFAULT:
            // "if (ret >= 0) { if (ret) unpin_user_pages(pages, ret); ret = -EFAULT; }"
            if (pin.record() != null) {
                k.pins.accounting().release(pin.record(), false);
            }
            result = pin.result < 0 ? pin.result : Errno.EFAULT.negative();
        }
        return t.ret();
    }

    /** {@code io_sqe_buffers_unregister} -> {@code io_buffer_unmap}: unpin, and give the charge back. */
    void unregister() {
        if (record != null) {
            k.pins.accounting().release(record, false);
            mm.pinnedVm -= nrPages; // io_unaccount_mem
            record = null;
        }
    }
}
