package org.pinlab.fs.btrfs.internal;

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

class BtrfsTypeTest {

    private final FilesystemType type = new BtrfsType();
    private final FakeFsKernel kernel = new FakeFsKernel(8);

    private BtrfsSuperblock mount(Map<String, String> options) {
        return (BtrfsSuperblock) type.mount(kernel, options);
    }

    private String mountError(Map<String, String> options) {
        return assertThrows(IllegalArgumentException.class, () -> mount(options)).getMessage();
    }

    @Test
    void theTypeIsNamedBtrfsAndDescribesItselfInOneParagraph() {
        assertEquals("btrfs", type.name());
        for (String path : new String[] {"btrfs_page_mkwrite", "cow_file_range", "btrfs_csum_one_bio",
            "btrfs_writepage_cow_fixup", "v6.15"}) {
            assertTrue(type.description().contains(path), path + " in: " + type.description());
        }
        assertFalse(type.description().contains("\n"));
    }

    @Test
    void defaultsNeedPageMkwriteAndStablePagesForChecksummedData() {
        BtrfsSuperblock sb = mount(Map.of());
        assertEquals("btrfs", sb.typeName());
        assertTrue(sb.needsPageMkwrite());
        assertTrue(sb.hasBackingStore());
        assertTrue(sb.stableWrites());
        assertFalse(sb.dax());
        assertEquals(8, sb.freeBlockCount());
    }

    @Test
    void nodatasumAndNodatacowClearStableWrites() {
        assertFalse(mount(Map.of("datasum", "off")).stableWrites());
        assertFalse(mount(Map.of("datacow", "off")).stableWrites());
        assertTrue(mount(Map.of("datacow", "on", "datasum", "on")).stableWrites());
    }

    @Test
    void datasumOnWithDatacowOffIsRefusedBecauseNodatacowImpliesNodatasum() {
        assertEquals("btrfs: datasum=on needs datacow=on (nodatacow implies nodatasum)",
                mountError(Map.of("datacow", "off", "datasum", "on")));
        assertFalse(mount(Map.of("datacow", "off", "datasum", "off")).stableWrites());
    }

    @Test
    void ext4sErrorsOptionIsUnknownHereAndTheValidOptionsAreListed() {
        assertEquals("btrfs: unknown mount option 'errors' (valid options: datacow=on|off, datasum=on|off, "
                + "experimental=off|on)", mountError(Map.of("errors", "warn")));
    }

    @Test
    void btrfsFlagSpellingIsNotAKeyHere() {
        assertTrue(mountError(Map.of("nodatacow", "on")).startsWith("btrfs: unknown mount option 'nodatacow'"));
    }

    @Test
    void aBadValueIsNamedWithTheValidValues() {
        assertEquals("btrfs: bad value 'crc32c' for mount option 'datasum' (valid values: on, off)",
                mountError(Map.of("datasum", "crc32c")));
        assertEquals("btrfs: bad value 'yes' for mount option 'experimental' (valid values: off, on)",
                mountError(Map.of("experimental", "yes")));
    }

    @Test
    void aMissingValueIsABadValueAndOptionsMatchExactly() {
        Map<String, String> options = new HashMap<>();
        options.put("datacow", null);
        assertThrows(IllegalArgumentException.class, () -> mount(options));
        assertThrows(IllegalArgumentException.class, () -> mount(Map.of("datasum", "OFF")));
        assertThrows(IllegalArgumentException.class, () -> mount(Map.of("DATASUM", "off")));
    }

    @Test
    void aBadOptionIsRejectedEvenNextToAGoodOne() {
        Map<String, String> options = new HashMap<>();
        options.put("datasum", "off");
        options.put("compress", "zstd");
        assertTrue(mountError(options).contains("'compress'"));
    }

    @Test
    void eachMountGetsItsOwnSuperblock() {
        assertNotSame(mount(Map.of()), mount(Map.of()));
    }

    @Test
    void theComponentIsRegisteredAsAFilesystemTypeNamedBtrfs() throws IOException {
        // bnd writes the descriptor from the @Component annotation before the tests run
        String descriptor = "OSGI-INF/" + BtrfsType.class.getName() + ".xml";
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(descriptor)) {
            assertNotNull(in, descriptor);
            String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(xml.contains("<provide interface=\"" + FilesystemType.class.getName() + "\"/>"), xml);
            assertTrue(xml.contains("name=\"name\"") && xml.contains("value=\"btrfs\""), xml);
        }
    }
}
