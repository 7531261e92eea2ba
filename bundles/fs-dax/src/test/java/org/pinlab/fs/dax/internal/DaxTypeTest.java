package org.pinlab.fs.dax.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pinlab.api.fs.FilesystemType;
import org.pinlab.api.fs.Superblock;
import org.pinlab.api.fs.testing.FakeFsKernel;

class DaxTypeTest {

    private final FilesystemType type = new DaxType();
    private final FakeFsKernel kernel = new FakeFsKernel(8);

    private Superblock mount(Map<String, String> options) {
        return type.mount(kernel, options);
    }

    @Test
    void theTypeIsNamedDaxAndDescribesItselfInOneParagraph() {
        assertEquals("dax", type.name());
        assertTrue(type.description().contains("dax_layout_busy_page_range"), type.description());
        assertTrue(type.description().contains("-EOPNOTSUPP"), type.description());
        assertFalse(type.description().contains("\n"));
    }

    @Test
    void aDaxMountHasNoPageCacheWorkAndRefusesLongtermPinsByDefault() {
        Superblock sb = mount(Map.of());
        assertEquals("dax", sb.typeName());
        assertTrue(sb.dax());
        assertTrue(sb.refusesLongtermPins());
        assertFalse(sb.needsPageMkwrite());
        assertFalse(sb.stableWrites());
        assertTrue(sb.hasBackingStore());
    }

    @Test
    void longtermAllowModelsTheKernelsBeforeV415() {
        assertFalse(mount(Map.of("longterm", "allow")).refusesLongtermPins());
        assertTrue(mount(Map.of("longterm", "refuse")).refusesLongtermPins());
    }

    @Test
    void eachMountGetsItsOwnSuperblock() {
        assertNotSame(mount(Map.of()), mount(Map.of()));
    }

    @Test
    void anUnknownOptionIsRejectedByNameWithTheValidOptions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mount(Map.of("dax", "always")));
        assertTrue(e.getMessage().contains("'dax'"), e.getMessage());
        assertTrue(e.getMessage().contains("longterm=refuse|allow"), e.getMessage());
    }

    @Test
    void aBadLongtermValueIsRejectedWithTheValidValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mount(Map.of("longterm", "ALLOW")));
        assertTrue(e.getMessage().contains("'ALLOW'"), e.getMessage());
        assertTrue(e.getMessage().contains("'longterm'"), e.getMessage());
        assertTrue(e.getMessage().contains("refuse, allow"), e.getMessage());
    }

    @Test
    void theComponentIsRegisteredAsAFilesystemTypeNamedDax() throws IOException {
        // bnd writes the descriptor from the @Component annotation before the tests run
        String descriptor = "OSGI-INF/" + DaxType.class.getName() + ".xml";
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(descriptor)) {
            assertNotNull(in, descriptor);
            String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(xml.contains("<provide interface=\"" + FilesystemType.class.getName() + "\"/>"), xml);
            assertTrue(xml.contains("name=\"name\"") && xml.contains("value=\"dax\""), xml);
        }
    }
}
