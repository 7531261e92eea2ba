package org.pinlab.kernel.internal.locking;

/**
 * A lockdep lock class ({@code struct lock_class}): every lock initialised at the same
 * place shares one class, so all {@code mm->mmap_lock}s are the one class
 * {@code &mm->mmap_lock}, and an order taken on one mm is an order for all of them.
 * Obtain classes from {@link LockValidator#lockClass}; ids index the validator's tables.
 */
public final class LockClass {

    private final String name;
    private final int id;
    /** Non-null if instances are numbers (pfns) printed with this prefix, not registered names. */
    final String instancePrefix;
    /** The class a nesting subclass belongs to (itself if it is no subclass): a release matches on it. */
    final LockClass base;

    LockClass(String name, int id, String instancePrefix, LockClass base) {
        this.name = name;
        this.id = id;
        this.instancePrefix = instancePrefix;
        this.base = base == null ? this : base;
    }

    public String name() {
        return name;
    }

    public int id() {
        return id;
    }

    @Override
    public String toString() {
        return name;
    }
}
