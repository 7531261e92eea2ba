package org.pinlab.allocator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.pinlab.api.mm.MemoryLayout;
import org.pinlab.api.mm.PageAllocator;
import org.pinlab.api.mm.PhysicalMemory;
import org.pinlab.api.mm.Zone;

class BuddyAllocatorServiceTest {

    @Test
    void theServiceIsNamedBuddy() {
        assertEquals("buddy", new BuddyAllocatorService().name());
    }

    @Test
    void eachMachineGetsItsOwnAllocatorState() {
        PageAllocator service = new BuddyAllocatorService();
        MemoryLayout layout = MemoryLayout.normalOnly(2048);
        PhysicalMemory one = service.create(layout);
        PhysicalMemory other = service.create(layout);
        assertSame(layout, one.layout());

        assertEquals(0, one.allocPages(Zone.NORMAL, 0));
        assertEquals(0, other.allocPages(Zone.NORMAL, 0), "the other machine is untouched");
        assertEquals(2047, one.freeFrames(Zone.NORMAL));
    }

    @Test
    void theComponentIsRegisteredAsAPageAllocatorWithTheNameProperty() throws IOException {
        // bnd writes the descriptor from the @Component annotation before the tests run
        String descriptor = "OSGI-INF/" + BuddyAllocatorService.class.getName() + ".xml";
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(descriptor)) {
            assertNotNull(in, descriptor);
            String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(xml.contains("<provide interface=\"" + PageAllocator.class.getName() + "\"/>"), xml);
            assertTrue(xml.contains("name=\"" + "name" + "\"") && xml.contains("value=\"buddy\""),
                    xml);
        }
    }
}
