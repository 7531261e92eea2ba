package org.pinlab.api.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class MountOptionsTest {

    private final MountOptions options = MountOptions.of("ext4").choice("errors", "bug", "warn")
            .choice("data_csum", "off", "on");

    @Test
    void optionsNotGivenTakeTheirFirstValue() {
        assertEquals(Map.of("errors", "bug", "data_csum", "off"), options.parse(Map.of()));
        assertEquals(Map.of("errors", "warn", "data_csum", "off"), options.parse(Map.of("errors", "warn")));
    }

    @Test
    void anUnknownKeyIsNamedWithEveryValidOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> options.parse(Map.of("journal", "ordered")));
        assertEquals("ext4: unknown mount option 'journal' (valid options: errors=bug|warn, data_csum=off|on)",
                e.getMessage());
    }

    @Test
    void aBadValueIsNamedWithItsOptionAndTheValidValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> options.parse(Map.of("data_csum", "ON")));
        assertEquals("ext4: bad value 'ON' for mount option 'data_csum' (valid values: off, on)", e.getMessage());
    }

    @Test
    void aMissingValueOrKeyIsRejectedNotDefaulted() {
        Map<String, String> noValue = new HashMap<>();
        noValue.put("errors", null);
        assertThrows(IllegalArgumentException.class, () -> options.parse(noValue));
        Map<String, String> noKey = new HashMap<>();
        noKey.put(null, "warn");
        assertThrows(IllegalArgumentException.class, () -> options.parse(noKey));
    }

    @Test
    void declaringAnOptionTwiceOrWithoutValuesIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> options.choice("errors", "panic"));
        assertThrows(IllegalArgumentException.class, () -> MountOptions.of("xfs").choice("data_csum"));
    }

    @Test
    void addingAnOptionLeavesTheOriginalAlone() {
        MountOptions more = options.choice("dax", "never", "always");
        assertEquals("errors=bug|warn, data_csum=off|on", options.describe());
        assertEquals("errors=bug|warn, data_csum=off|on, dax=never|always", more.describe());
    }
}
