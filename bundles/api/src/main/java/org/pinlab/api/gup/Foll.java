package org.pinlab.api.gup;

/** The {@code FOLL_*} flags of the GUP calls the model has (include/linux/mm_types.h). */
public final class Foll {

    private Foll() {
    }

    /** FOLL_WRITE: the caller will write to the pages; read-only PTEs are faulted writable. */
    public static final int WRITE = 1;
    /** FOLL_GET: take a plain page reference, released with put_page. */
    public static final int GET = 1 << 1;
    /** FOLL_PIN: take a pin, released only with unpin_user_page(s). Never mixed with GET. */
    public static final int PIN = 1 << 2;
    /** FOLL_LONGTERM: the pin may last indefinitely (RDMA, VFIO); requires PIN. */
    public static final int LONGTERM = 1 << 3;
    /** The {@code *_fast} entry points: lockless walk, falls back to the slow path. */
    public static final int FAST = 1 << 4;
    /**
     * FOLL_HWPOISON: a hardware-poisoned page fails the call with -EHWPOISON instead of
     * -EFAULT ({@code vm_fault_to_errno}); asked by {@code get_dump_page} and KVM.
     */
    public static final int HWPOISON = 1 << 5;

    /**
     * Checks a flag combination the way {@code is_valid_gup_args()} does.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static void validate(int foll) {
        if ((foll & GET) != 0 && (foll & PIN) != 0) {
            throw new IllegalArgumentException("FOLL_GET and FOLL_PIN never mix in one call");
        }
        if ((foll & (GET | PIN)) == 0) {
            throw new IllegalArgumentException("a GUP call takes either FOLL_GET or FOLL_PIN");
        }
        if ((foll & LONGTERM) != 0 && (foll & PIN) == 0) {
            throw new IllegalArgumentException("FOLL_LONGTERM requires FOLL_PIN");
        }
    }

    /** The flags as the kernel would print them, e.g. {@code FOLL_WRITE|FOLL_PIN|FOLL_LONGTERM}. */
    public static String describe(int foll) {
        StringBuilder sb = new StringBuilder();
        String[] names = {"FOLL_WRITE", "FOLL_GET", "FOLL_PIN", "FOLL_LONGTERM", "FOLL_FAST", "FOLL_HWPOISON"};
        for (int i = 0; i < names.length; i++) {
            if ((foll & (1 << i)) != 0) {
                sb.append(sb.length() == 0 ? "" : "|").append(names[i]);
            }
        }
        return sb.length() == 0 ? "0" : sb.toString();
    }
}
