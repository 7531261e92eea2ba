package org.pinlab.fs.xfs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pinlab.api.fs.FilesystemType;
import org.pinlab.api.fs.testing.FakeFsKernel;

class XfsTypeTest {

    private final FilesystemType type = new XfsType();
    private final FakeFsKernel kernel = new FakeFsKernel(8);

    private XfsSuperblock mount(Map<String, String> options) {
        return (XfsSuperblock) type.mount(kernel, options);
    }

    @Test
    void theTypeIsNamedXfsAndDescribesItselfInOneParagraph() {
        assertEquals("xfs", type.name());
        assertTrue(type.description().contains("xfs_buffered_write_iomap_begin"), type.description());
        assertTrue(type.description().contains("IOMAP_HOLE"), type.description());
        assertFalse(type.description().contains("\n"));
    }

    @Test
    void defaultsNeedPageMkwriteAndNoStableWrites() {
        XfsSuperblock sb = mount(Map.of());
        assertEquals("xfs", sb.typeName());
        assertTrue(sb.needsPageMkwrite());
        assertTrue(sb.hasBackingStore());
        assertFalse(sb.stableWrites());
        assertEquals(8, sb.freeBlockCount());
    }

    @Test
    void dataCsumOnMakesWritesStable() {
        assertTrue(mount(Map.of("data_csum", "on")).stableWrites());
        assertFalse(mount(Map.of("data_csum", "off")).stableWrites());
    }

    @Test
    void eachMountGetsItsOwnSuperblock() {
        assertNotSame(mount(Map.of()), mount(Map.of()));
    }

    @Test
    void ext4sErrorsOptionIsUnknownHereAndTheValidOptionsAreListed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mount(Map.of("errors", "warn")));
        assertEquals("xfs: unknown mount option 'errors' (valid options: data_csum=off|on)", e.getMessage());
    }

    @Test
    void aBadDataCsumValueIsNamedWithTheValidValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mount(Map.of("data_csum", "crc32c")));
        assertEquals("xfs: bad value 'crc32c' for mount option 'data_csum' (valid values: off, on)", e.getMessage());
    }

    @Test
    void aMissingValueIsABadValueAndOptionsMatchExactly() {
        Map<String, String> options = new HashMap<>();
        options.put("data_csum", null);
        assertThrows(IllegalArgumentException.class, () -> mount(options));
        assertThrows(IllegalArgumentException.class, () -> mount(Map.of("data_csum", "ON")));
        assertThrows(IllegalArgumentException.class, () -> mount(Map.of("DATA_CSUM", "on")));
    }

    @Test
    void aBadOptionIsRejectedEvenNextToAGoodOne() {
        Map<String, String> options = new HashMap<>();
        options.put("data_csum", "on");
        options.put("logbsize", "256k");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mount(options));
        assertTrue(e.getMessage().contains("'logbsize'"), e.getMessage());
    }

    @Test
    void theComponentIsRegisteredAsAFilesystemTypeNamedXfs() throws IOException {
        // bnd writes the descriptor from the @Component annotation before the tests run
        String descriptor = "OSGI-INF/" + XfsType.class.getName() + ".xml";
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(descriptor)) {
            assertNotNull(in, descriptor);
            String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(xml.contains("<provide interface=\"" + FilesystemType.class.getName() + "\"/>"), xml);
            assertTrue(xml.contains("name=\"name\"") && xml.contains("value=\"xfs\""), xml);
        }
    }
}
