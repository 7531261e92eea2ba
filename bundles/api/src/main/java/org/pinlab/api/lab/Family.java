package org.pinlab.api.lab;

import java.util.Objects;

/**
 * One pluggable family described once: its name (which is also how the lab's configuration,
 * a scenario's combinations and the shell name it), the service interface its
 * implementations register under, its default and when a swap takes effect. Every listing of
 * families in pinlab reads these descriptors (see {@code org.pinlab.api.families.Families});
 * adding a family is one descriptor and its implementations.
 *
 * @param <T> the service interface of the family's implementations
 */
public final class Family<T extends Pluggable> {

    /** How many of a family's implementations a machine uses. */
    public enum Kind {
        /** One at a time, chosen in the lab or by a scenario's combination (release, writeback...). */
        CHOSEN,
        /** Any number, each named where it is used (filesystem types by mounts, device types by devices). */
        NAMED
    }

    /** When a change of a {@link Kind#CHOSEN} family's choice reaches a running machine. */
    public enum Swap {
        /** At the machine's next decision of that family: the next safe point between steps. */
        NEXT_DECISION,
        /** At the next boot: the choice is fixed for a machine's life (allocator, pin layout). */
        NEXT_BOOT
    }

    private final String name;
    private final Class<T> type;
    private final Kind kind;
    private final String defaultChoice;
    private final Swap swap;
    private final String title;
    private final String description;

    private Family(String name, Class<T> type, Kind kind, String defaultChoice, Swap swap, String title,
                   String description) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.kind = kind;
        this.defaultChoice = defaultChoice;
        this.swap = swap;
        this.title = Objects.requireNonNull(title, "title");
        this.description = Objects.requireNonNull(description, "description");
    }

    /**
     * A family with one active implementation.
     *
     * @param defaultChoice the implementation used when nothing else is chosen, or when the
     *                      chosen one is not registered
     */
    public static <T extends Pluggable> Family<T> chosen(String name, Class<T> type, String defaultChoice, Swap swap,
                                                         String title, String description) {
        return new Family<>(name, type, Kind.CHOSEN, Objects.requireNonNull(defaultChoice, "defaultChoice"),
                Objects.requireNonNull(swap, "swap"), title, description);
    }

    /** A family whose implementations are used by name, many at once. */
    public static <T extends Pluggable> Family<T> named(String name, Class<T> type, String title,
                                                        String description) {
        return new Family<>(name, type, Kind.NAMED, null, null, title, description);
    }

    /** The family's name: the lab's configuration key, a combination's key, the shell's word. */
    public String name() {
        return name;
    }

    /** The service interface implementations register under. */
    public Class<T> type() {
        return type;
    }

    public Kind kind() {
        return kind;
    }

    public boolean isChosen() {
        return kind == Kind.CHOSEN;
    }

    /** The default implementation's name; {@code null} for a {@link Kind#NAMED} family. */
    public String defaultChoice() {
        return defaultChoice;
    }

    /** When a swap takes effect; {@code null} for a {@link Kind#NAMED} family. */
    public Swap swap() {
        return swap;
    }

    /** The ConfigAdmin PID holding the choice ({@link Lab#PID}); {@code null} for a named family. */
    public String pid() {
        return isChosen() ? Lab.PID : null;
    }

    /** A short title, e.g. {@code Release strategy}. */
    public String title() {
        return title;
    }

    /** One sentence for users: what the family decides and what its choices are. */
    public String description() {
        return description;
    }

    /** Casts an implementation found under this family's interface. */
    public T cast(Pluggable p) {
        return type.cast(p);
    }

    @Override
    public String toString() {
        return name;
    }
}
