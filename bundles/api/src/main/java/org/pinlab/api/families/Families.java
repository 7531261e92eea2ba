package org.pinlab.api.families;

import java.util.List;

import org.pinlab.api.device.DeviceType;
import org.pinlab.api.fs.FilesystemType;
import org.pinlab.api.gup.PinTracker;
import org.pinlab.api.lab.Family.Swap;
import org.pinlab.api.lab.Family;
import org.pinlab.api.mm.PageAllocator;
import org.pinlab.api.policy.AdmissionPolicy;
import org.pinlab.api.policy.ReclaimPolicy;
import org.pinlab.api.policy.ReleaseStrategy;
import org.pinlab.api.policy.TruncatePolicy;
import org.pinlab.api.policy.WritebackPolicy;

/**
 * Every pluggable family of pinlab, described once. This is the only list of families: the
 * lab, the shell's commands and completers, the scenario loader, the live driver and the
 * reports all read {@link #ALL}. Adding a family is one descriptor here and its implementations.
 */
public final class Families {

    private Families() {
    }

    public static final Family<ReleaseStrategy> RELEASE = Family.chosen("release", ReleaseStrategy.class, "legacy",
            Swap.NEXT_DECISION, "Release strategy",
            "How drivers take and release user pages: legacy, tracked or bounce.");

    public static final Family<WritebackPolicy> WRITEBACK = Family.chosen("writeback", WritebackPolicy.class, "write",
            Swap.NEXT_DECISION, "Writeback policy",
            "What writeback does with a pinned dirty page: write, skip, wait or snapshot.");

    public static final Family<ReclaimPolicy> RECLAIM = Family.chosen("reclaim", ReclaimPolicy.class, "legacy",
            Swap.NEXT_DECISION, "Reclaim policy",
            "What reclaim does with a pinned page: legacy, keep-private or isolate-lru.");

    public static final Family<TruncatePolicy> TRUNCATE = Family.chosen("truncate", TruncatePolicy.class, "proceed",
            Swap.NEXT_DECISION, "Truncate policy",
            "What truncate does with a pinned page: proceed, fail, wait, revoke or defer-free.");

    public static final Family<AdmissionPolicy> ADMISSION = Family.chosen("admission", AdmissionPolicy.class, "allow",
            Swap.NEXT_DECISION, "Pin admission policy",
            "Which pins are admitted: allow, or no-longterm-file-write (Linux 6.5).");

    public static final Family<PageAllocator> ALLOCATOR = Family.chosen("allocator", PageAllocator.class, "buddy",
            Swap.NEXT_BOOT, "Page allocator", "The page allocator new machines use.");

    public static final Family<PinTracker> PIN_LAYOUT = Family.chosen("pin-layout", PinTracker.class, "merged",
            Swap.NEXT_BOOT, "Pin layout",
            "How pins are counted (merged: Linux 5.7+; foll-pin-2019: the Nov 2019 FOLL_PIN series; rfc-2019: the Feb 2019 tracking RFC). Fixed per machine.");

    public static final Family<FilesystemType> FILESYSTEM = Family.named("filesystem", FilesystemType.class,
            "Filesystem type", "The filesystem types a scenario may mount.");

    public static final Family<DeviceType> DEVICE = Family.named("device", DeviceType.class,
            "Device type", "The device types a scenario may attach.");

    /** Every family, in display order: the chosen ones first, then the named ones. */
    public static final List<Family<?>> ALL = List.of(RELEASE, WRITEBACK, RECLAIM, TRUNCATE, ADMISSION, PIN_LAYOUT,
            ALLOCATOR, FILESYSTEM, DEVICE);

    /** The families with one active implementation, in display order. */
    public static List<Family<?>> chosen() {
        return ALL.stream().filter(Family::isChosen).toList();
    }

    /**
     * The chosen families whose swaps reach a machine at {@code swap}: the ones a running
     * machine decides with ({@link Swap#NEXT_DECISION}), or the ones fixed per boot.
     */
    public static List<Family<?>> swappedAt(Swap swap) {
        return chosen().stream().filter(f -> f.swap() == swap).toList();
    }

    /** Each chosen family's default, by family name, in display order: the unmodified kernel. */
    public static java.util.Map<String, String> defaults() {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        for (Family<?> f : chosen()) {
            out.put(f.name(), f.defaultChoice());
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    /** A family by name. */
    public static java.util.Optional<Family<?>> byName(String name) {
        return ALL.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /** The family whose service interface is {@code type}'s name, if any. */
    public static java.util.Optional<Family<?>> byInterface(String interfaceName) {
        return ALL.stream().filter(f -> f.type().getName().equals(interfaceName)).findFirst();
    }
}
