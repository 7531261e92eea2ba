package org.pinlab.api.families;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.pinlab.api.lab.Family;
import org.pinlab.api.lab.Implementations;
import org.pinlab.api.lab.Lab;
import org.pinlab.api.policy.ReleaseStrategy;

class FamiliesTest {

    @Test
    void everyFamilyHasItsOwnNameAndItsOwnServiceInterface() {
        Set<String> names = new HashSet<>();
        Set<Class<?>> types = new HashSet<>();
        for (Family<?> f : Families.ALL) {
            assertTrue(names.add(f.name()), "two families named " + f.name());
            assertTrue(types.add(f.type()), "two families registered under " + f.type());
            assertTrue(f.type().isInterface(), f + " must be a service interface");
        }
    }

    @Test
    void aChosenFamilyHasADefaultASwapRuleAndTheLabsPidAndANamedOneHasNone() {
        for (Family<?> f : Families.ALL) {
            if (f.isChosen()) {
                assertNotNull(f.defaultChoice(), f.name());
                assertNotNull(f.swap(), f.name());
                assertEquals(Lab.PID, f.pid(), f.name());
            } else {
                assertNull(f.defaultChoice(), f.name());
                assertNull(f.pid(), f.name());
            }
        }
        assertEquals(Families.chosen().size(), Families.defaults().size());
        assertEquals("legacy", Families.defaults().get("release"));
    }

    @Test
    void everyChosenFamilyIsSwappedEitherAtTheNextDecisionOrAtTheNextBoot() {
        java.util.List<Family<?>> both = new java.util.ArrayList<>(Families.swappedAt(Family.Swap.NEXT_DECISION));
        both.addAll(Families.swappedAt(Family.Swap.NEXT_BOOT));
        assertEquals(new HashSet<>(Families.chosen()), new HashSet<>(both));
        assertEquals(Families.chosen().size(), both.size(), "no family in both");
        assertTrue(Families.swappedAt(Family.Swap.NEXT_BOOT).contains(Families.ALLOCATOR));
        assertFalse(Families.swappedAt(Family.Swap.NEXT_DECISION).contains(Families.PIN_LAYOUT));
    }

    @Test
    void aFamilyIsFoundByNameAndByTheInterfaceItsServicesRegisterUnder() {
        assertSame(Families.PIN_LAYOUT, Families.byName("pin-layout").orElseThrow());
        assertSame(Families.RELEASE, Families.byInterface(ReleaseStrategy.class.getName()).orElseThrow());
        assertFalse(Families.byName("pagemap-read").isPresent(), "kernel code, not a service family");
    }

    @Test
    void implementationsAreKeptPerFamilyAndAMissingOneIsNamedWithWhatIsThere() {
        ReleaseStrategy tracked = new ReleaseStrategy() {
            @Override
            public int grabFlags(boolean write, boolean longterm) {
                return 0;
            }

            @Override
            public boolean bounceFileWrites() {
                return false;
            }

            @Override
            public String name() {
                return "tracked";
            }

            @Override
            public String description() {
                return "test";
            }
        };
        Implementations impls = new Implementations().add(Families.RELEASE, tracked);
        assertSame(tracked, impls.get(Families.RELEASE, "tracked"));
        assertTrue(impls.names(Families.WRITEBACK).isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> impls.get(Families.RELEASE, "legacy"));
        assertEquals("no release named 'legacy'; available: tracked", e.getMessage());
    }
}
