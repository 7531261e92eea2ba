package org.pinlab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CostTableTest {

    @Test
    void overridesByKeyChangeOnlyThoseCosts() {
        CostTable t = CostTable.defaults().with(Map.of("block-write", 30_000L));
        assertEquals(30_000, t.ns(Cost.BLOCK_WRITE));
        assertEquals(Cost.BLOCK_READ.defaultNs(), t.ns(Cost.BLOCK_READ));
        assertEquals(Cost.BLOCK_WRITE.defaultNs(), CostTable.defaults().ns(Cost.BLOCK_WRITE), "defaults untouched");
    }

    @Test
    void anUnknownKeyIsNamedWithTheValidOnesAndNothingIsHalfApplied() {
        Map<String, Long> overrides = new LinkedHashMap<>();
        overrides.put("page-copy", 1L);
        overrides.put("nvme-write", 5L);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CostTable.defaults().with(overrides));
        assertTrue(e.getMessage().contains("unknown cost 'nvme-write'") && e.getMessage().contains("block-write"),
                e.getMessage());
        assertEquals(Cost.PAGE_COPY.defaultNs(), CostTable.defaults().ns(Cost.PAGE_COPY));
    }

    @Test
    void negativeCostsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CostTable.defaults().with(Map.of("lock", -1L)));
        assertTrue(e.getMessage().contains("lock"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CostTable.defaults().with(Cost.LOCK, -1));
    }
}
