package org.pinlab.scenarios.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pinlab.api.families.Families;
import org.pinlab.scenarios.Comparison.Matrix;
import org.pinlab.scenarios.Comparison.Row;

/** The console table fits in 120 columns, whatever its cells hold, and never cuts a word. */
class TableWidthTest {

    @Test
    void everyLineFitsIn120ColumnsAndEveryWordOfEveryCellIsWhole() throws Exception {
        Map<String, String> choices = new LinkedHashMap<>(Families.defaults());
        choices.put(Families.RELEASE.name(), "tracked");
        choices.put(Families.WRITEBACK.name(), "snapshot");
        choices.put(Families.RECLAIM.name(), "keep-private-early");
        List<String> violations = List.of("expected truncate: ftruncate -EBUSY on every seed; missing on seeds 1, 2, 3,"
                + " 4, 5, 6, 7, 8, 9, 10 and 40 more", "expected BUG on no seed; saw it on seeds 1, 2, 4, 5");
        Row wide = new Row("seed-000-rfc-negative-refcount-with-a-long-name", "keep-private-early-and-more", choices, 50,
                Map.of(), Map.of(), 812.5, 1_250_000, 48_000_000, 2_000_000, 95_000_000, 340, 4096, 1024, 150_000_000,
                violations, Map.of("mlx5_0: ibv_reg_mr -ENOMEM", 50, "truncate: ftruncate -EBUSY", 49), 120);
        StringWriter out = new StringWriter();
        new TableRenderer().render(Report.of(new Matrix(List.of(wide), 50, 8, 1234)), out);
        String text = out.toString();
        for (String line : text.split("\n")) {
            assertTrue(line.length() <= TableRenderer.MAX_WIDTH, line.length() + " columns: " + line);
        }
        List<String> words = new ArrayList<>();
        for (String v : violations) {
            words.addAll(List.of(v.split(" ")));
        }
        words.addAll(List.of("ibv_reg_mr", "-ENOMEM", "50/50", "keep-private-early-and-more", "reclaim=keep-private-early"));
        List<String> printed = List.of(text.split("\\s+"));
        for (String w : words) {
            assertTrue(printed.contains(w), "'" + w + "' printed whole in:\n" + text);
        }
    }

    @Test
    void aCellWrapsAtSpacesAndAWordLongerThanTheColumnStaysWhole() {
        assertEquals(List.of("expected BUG", "on no seed"), TableRenderer.wrap(List.of("expected BUG on no seed"), 12));
        assertEquals(List.of("a", "unbreakable-word", "b"), TableRenderer.wrap(List.of("a unbreakable-word b"), 5));
    }
}
