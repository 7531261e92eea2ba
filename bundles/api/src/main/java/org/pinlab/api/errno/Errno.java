package org.pinlab.api.errno;

/**
 * The Linux errnos the model uses, with the numbers of {@code include/uapi/asm-generic/errno-base.h}
 * and {@code errno.h} (the generic table x86 and arm64 use; alpha, mips, parisc and sparc number
 * some differently). Kernel paths return {@link #negative()} (the {@code return -EFAULT;}
 * convention: 0 or a count for success, a negative errno for failure), and whatever a user sees
 * prints by name through {@link #describe(int)}.
 */
public enum Errno {

    /** Operation not permitted. */
    EPERM(1),
    /** I/O error. */
    EIO(5),
    /** Try again. */
    EAGAIN(11),
    /** Out of memory; also what {@code try_grab_folio} returns when a count would overflow. */
    ENOMEM(12),
    /** Bad address; also the v6.5 {@code check_vma_flags} refusal of a long-term file-backed write pin. */
    EFAULT(14),
    /** Device or resource busy. */
    EBUSY(16),
    /** File exists. */
    EEXIST(17),
    /** Invalid argument. */
    EINVAL(22),
    /** File too large: a write past what the file may hold. */
    EFBIG(27),
    /** No space left on device. */
    ENOSPC(28),
    /** Value too large for defined data type. */
    EOVERFLOW(75),
    /** Structure needs cleaning: filesystem corruption (btrfs refusing an out-of-band dirty folio). */
    EUCLEAN(117),
    /** Operation not supported (FOLL_LONGTERM on fsdax). */
    EOPNOTSUPP(95),
    /** Memory page has hardware error. */
    EHWPOISON(133);

    private static final Errno[] BY_NUMBER = new Errno[EHWPOISON.number + 1];

    static {
        for (Errno e : values()) {
            BY_NUMBER[e.number] = e;
        }
    }

    private final int number;

    Errno(int number) {
        this.number = number;
    }

    /** The positive errno, as {@code errno} holds it in user space. */
    public int number() {
        return number;
    }

    /** What a kernel function returns for this error: {@code -number}. */
    public int negative() {
        return -number;
    }

    /**
     * The errno with a positive number.
     *
     * @throws IllegalArgumentException if the number is not one the model knows (a negative
     *                                  return value goes to {@link #ofReturn(int)})
     */
    public static Errno of(int number) {
        Errno e = known(number);
        if (e == null) {
            throw new IllegalArgumentException(number + " is not an errno the model knows"
                    + (number < 0 ? " (a negative return value: use ofReturn)" : ""));
        }
        return e;
    }

    /**
     * The errno a failed kernel function returned.
     *
     * @throws IllegalArgumentException if {@code ret} is not negative, or not an errno the model knows
     */
    public static Errno ofReturn(int ret) {
        if (ret >= 0) {
            throw new IllegalArgumentException(ret + " is not an error return (errors are negative)");
        }
        return of(-ret);
    }

    /**
     * A kernel function's return value as users read it: {@code 0} or a count as the number,
     * an error by name with its value, {@code -EFAULT (-14)}. A number the model does not know
     * (a plug-in's {@code -EROFS}) prints as {@code -30 (unknown errno)}: printing must not fail
     * the run it reports on.
     */
    public static String describe(int ret) {
        if (ret >= 0) {
            return Integer.toString(ret);
        }
        Errno e = known(-ret);
        return e != null ? e.describe() : ret + " (unknown errno)";
    }

    /** The errno with this number, or null ({@code -Integer.MIN_VALUE} is negative too). */
    private static Errno known(int number) {
        return number > 0 && number < BY_NUMBER.length ? BY_NUMBER[number] : null;
    }

    /** This error as a kernel return value, {@code -EFAULT (-14)}. */
    public String describe() {
        return "-" + name() + " (" + negative() + ")";
    }
}
