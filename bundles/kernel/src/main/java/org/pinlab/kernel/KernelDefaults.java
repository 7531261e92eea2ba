package org.pinlab.kernel;

import java.util.Map;

import org.pinlab.api.families.Families;
import org.pinlab.api.gup.Foll;
import org.pinlab.api.lab.Family;
import org.pinlab.api.lab.Pluggable;
import org.pinlab.api.policy.AdmissionPolicy;
import org.pinlab.api.policy.ReclaimPolicy;
import org.pinlab.api.policy.ReleaseStrategy;
import org.pinlab.api.policy.TruncatePolicy;
import org.pinlab.api.policy.WritebackPolicy;

/**
 * The kernel's own behaviour for each family, before any fix: drivers use get_user_pages
 * and put_page, writeback writes pinned pages, reclaim strips them, truncate proceeds,
 * every pin is admitted. This is the documented fallback when the bundle providing the
 * chosen implementation goes away; the strategies bundle offers the same behaviours as
 * {@code legacy}, {@code write}, {@code legacy}, {@code proceed} and {@code allow}.
 */
public final class KernelDefaults {

    private KernelDefaults() {
    }

    public static final ReleaseStrategy RELEASE = new ReleaseStrategy() {
        @Override
        public int grabFlags(boolean write, boolean longterm) {
            return Foll.GET | (write ? Foll.WRITE : 0);
        }

        @Override
        public boolean bounceFileWrites() {
            return false;
        }

        @Override
        public String name() {
            return "legacy";
        }

        @Override
        public String description() {
            return "built-in fallback: get_user_pages, then set_page_dirty_lock + put_page";
        }
    };

    public static final WritebackPolicy WRITEBACK = new WritebackPolicy() {
        @Override
        public Action onPinnedDirtyPage(org.pinlab.api.fs.PageRef page, boolean sync) {
            return Action.WRITE;
        }

        @Override
        public String name() {
            return "write";
        }

        @Override
        public String description() {
            return "built-in fallback: write pinned pages like any other";
        }
    };

    public static final ReclaimPolicy RECLAIM = new ReclaimPolicy() {
        @Override
        public Action onPinnedPage(org.pinlab.api.fs.PageRef page) {
            return Action.RECLAIM;
        }

        @Override
        public String name() {
            return "legacy";
        }

        @Override
        public String description() {
            return "built-in fallback: release private data, then back out on the extra reference";
        }
    };

    public static final TruncatePolicy TRUNCATE = new TruncatePolicy() {
        @Override
        public Action onPinnedPage(org.pinlab.api.fs.PageRef page) {
            return Action.PROCEED;
        }

        @Override
        public String name() {
            return "proceed";
        }

        @Override
        public String description() {
            return "built-in fallback: truncate removes pinned pages like any other";
        }
    };

    public static final AdmissionPolicy ADMISSION = new AdmissionPolicy() {
        @Override
        public int admit(int foll, Mapping mapping) {
            return 0;
        }

        @Override
        public String name() {
            return "allow";
        }

        @Override
        public String description() {
            return "built-in fallback: every pin is admitted";
        }
    };

    private static final Map<Family<?>, Pluggable> BUILT_IN = Map.of(Families.RELEASE, RELEASE,
            Families.WRITEBACK, WRITEBACK, Families.RECLAIM, RECLAIM, Families.TRUNCATE, TRUNCATE,
            Families.ADMISSION, ADMISSION);

    static final Choices CHOICES = Choices.fixed(BUILT_IN);

    /**
     * The kernel's own behaviour for a family machines decide with while running.
     *
     * @throws IllegalArgumentException for a family the kernel has no behaviour of its own for
     */
    public static <T extends Pluggable> T builtIn(Family<T> family) {
        T t = builtInOrNull(family);
        if (t == null) {
            throw new IllegalArgumentException("the kernel has no built-in " + family.name());
        }
        return t;
    }

    /** As {@link #builtIn}, or null for a family without one (allocators, pin layouts, types). */
    public static <T extends Pluggable> T builtInOrNull(Family<T> family) {
        Pluggable p = BUILT_IN.get(family);
        return p == null ? null : family.cast(p);
    }
}
