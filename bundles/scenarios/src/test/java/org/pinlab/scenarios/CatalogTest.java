package org.pinlab.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Every catalog scenario meets the findings it declares, per combination, over its own seeds. */
class CatalogTest {

    private final Implementations impls = TestImplementations.all();

    @Test
    void everyCatalogScenarioMeetsItsExpectations() throws InterruptedException {
        List<Scenario> catalog = Catalog.load(impls);
        assertEquals(Catalog.names().size(), catalog.size());
        for (Scenario s : catalog) {
            assertFalse(s.cites().isBlank(), s.name() + " must cite its seed");
            assertFalse(s.expectations().isEmpty(), s.name() + " must declare expectations");
            Comparison.Matrix m = new Comparison(impls).run(List.of(s), s.seeds(), 2, null);
            for (Comparison.Row row : m.rows()) {
                assertTrue(row.meetsExpectations(), s.name() + "/" + row.combination() + ": " + row.violations());
            }
        }
    }

    @Test
    void anUnknownCatalogNameIsRefusedWithTheNearestName() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Catalog.yaml("gpu-memory-presure"));
        assertTrue(e.getMessage().contains("did you mean 'gpu-memory-pressure'?"), e.getMessage());
    }
}
