package org.pinlab.fs.ext4.internal;

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

class Ext4TypeTest {

    private final FilesystemType type = new Ext4Type();
    private final FakeFsKernel kernel = new FakeFsKernel(8);

    private Ext4Superblock mount(Map<String, String> options) {
        return (Ext4Superblock) type.mount(kernel, options);
    }

    @Test
    void theTypeIsNamedExt4AndDescribesItselfInOneParagraph() {
        assertEquals("ext4", type.name());
        assertTrue(type.description().contains("ext4_writepage"), type.description());
        assertTrue(type.description().contains("does not have buffers attached"), type.description());
        assertFalse(type.description().contains("\n"));
    }

    @Test
    void defaultsAreTheBugOnAndNoDataChecksums() {
        Ext4Superblock sb = mount(Map.of());
        assertEquals("ext4", sb.typeName());
        assertFalse(sb.warnsOnMissingBuffers());
        assertFalse(sb.stableWrites());
        assertTrue(sb.needsPageMkwrite());
        assertTrue(sb.hasBackingStore());
    }

    @Test
    void kernelSixOneAndSixTwelveHaveTheV518WarningAndFourFourTheBug() {
        assertTrue(mount(Map.of("kernel", "6.1")).warnsOnMissingBuffers());
        assertTrue(mount(Map.of("kernel", "6.12")).warnsOnMissingBuffers());
        assertFalse(mount(Map.of("kernel", "4.4")).warnsOnMissingBuffers());
    }

    @Test
    void dataJournalIsAMountChoiceAndOrderedTheDefault() {
        assertTrue(mount(Map.of("data", "journal")).journalsData());
        assertFalse(mount(Map.of()).journalsData());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mount(Map.of("data", "writeback")));
        assertTrue(e.getMessage().contains("'data'") && e.getMessage().contains("ordered, journal"), e.getMessage());
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
    void anUnknownOptionIsRejectedByNameWithTheValidOptions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mount(Map.of("journal", "ordered")));
        assertTrue(e.getMessage().contains("'journal'"), e.getMessage());
        assertTrue(e.getMessage().contains("kernel=4.4|6.1|6.12, data=ordered|journal"), e.getMessage());
        assertTrue(e.getMessage().contains("data_csum=off|on"), e.getMessage());
    }

    @Test
    void aBadKernelValueIsRejectedWithTheValidValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mount(Map.of("kernel", "5.10")));
        assertTrue(e.getMessage().contains("'5.10'"), e.getMessage());
        assertTrue(e.getMessage().contains("'kernel'"), e.getMessage());
        assertTrue(e.getMessage().contains("4.4, 6.1, 6.12"), e.getMessage());
    }

    @Test
    void aBadDataCsumValueIsRejectedWithTheValidValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mount(Map.of("data_csum", "true")));
        assertTrue(e.getMessage().contains("'data_csum'"), e.getMessage());
        assertTrue(e.getMessage().contains("off, on"), e.getMessage());
    }

    @Test
    void aMissingValueIsABadValue() {
        Map<String, String> options = new HashMap<>();
        options.put("kernel", null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mount(options));
        assertTrue(e.getMessage().contains("'kernel'"), e.getMessage());
    }

    @Test
    void optionsAreMatchedExactly() {
        assertThrows(IllegalArgumentException.class, () -> mount(Map.of("Kernel", "6.12")));
        assertThrows(IllegalArgumentException.class, () -> mount(Map.of("data", "Journal")));
    }

    @Test
    void theComponentIsRegisteredAsAFilesystemTypeNamedExt4() throws IOException {
        // bnd writes the descriptor from the @Component annotation before the tests run
        String descriptor = "OSGI-INF/" + Ext4Type.class.getName() + ".xml";
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(descriptor)) {
            assertNotNull(in, descriptor);
            String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(xml.contains("<provide interface=\"" + FilesystemType.class.getName() + "\"/>"), xml);
            assertTrue(xml.contains("name=\"name\"") && xml.contains("value=\"ext4\""), xml);
        }
    }
}
