package org.pinlab.fs.tmpfs.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pinlab.api.fs.FilesystemType;
import org.pinlab.api.fs.Superblock;

class TmpfsTypeTest {

    @Test
    void aTmpfsMountNeedsNoPageMkwriteAndHasNoBackingStore() {
        Superblock sb = new TmpfsType().mount(null, Map.of());
        assertFalse(sb.needsPageMkwrite());
        assertFalse(sb.hasBackingStore());
        assertFalse(sb.stableWrites());
        assertTrue(sb.mappedBlock(1, 0) < 0);
    }

    @Test
    void anyMountOptionIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TmpfsType().mount(null, Map.of("size", "1g")));
        assertTrue(e.getMessage().contains("size"), e.getMessage());
    }

    @Test
    void theComponentIsRegisteredAsTheTmpfsFilesystemType() throws IOException {
        String descriptor = "OSGI-INF/" + TmpfsType.class.getName() + ".xml";
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(descriptor)) {
            assertNotNull(in, descriptor);
            String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(xml.contains("<provide interface=\"" + FilesystemType.class.getName() + "\"/>"), xml);
            assertTrue(xml.contains("value=\"tmpfs\""), xml);
        }
    }
}
