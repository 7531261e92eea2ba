package org.pinlab.driver.gpu.internal;

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
import org.pinlab.api.device.DeviceType;
import org.pinlab.api.device.Parameter;
import org.pinlab.api.device.testing.FakeBuffer;
import org.pinlab.api.device.testing.FakeDeviceContext;
import org.pinlab.api.device.testing.FakeMap;

class GpuTypeTest {

    private final DeviceType type = new GpuType();
    private final FakeDeviceContext ctx = GpuDeviceTest.host(FakeBuffer.file("bo0", 64));

    private IllegalArgumentException refused(Map<String, String> params) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> type.create(ctx, params));
        assertTrue(ctx.events().isEmpty() && ctx.dmesg().isEmpty(), "nothing was created");
        return e;
    }

    @Test
    void theTypeIsNamedGpuAndDescribesItselfInOneParagraph() {
        assertEquals("gpu", type.name());
        assertTrue(type.description().contains("i915_gem_userptr_get_pages"), type.description());
        assertTrue(type.description().contains("unpin_user_pages_dirty_lock"), type.description());
        assertTrue(type.description().contains("revocable=true"), type.description());
        assertFalse(type.description().contains("\n"));
    }

    @Test
    void everyDefaultIsValidAndJobPinsAreShortTermAndUnrevocableByDefault() {
        Map<String, Parameter> byName = new java.util.HashMap<>();
        type.parameters().forEach(p -> byName.put(p.name(), p));
        assertEquals("false", byName.get("longterm").defaultValue());
        assertEquals("false", byName.get("revocable").defaultValue());
        assertEquals("0", byName.get("jobs").defaultValue());
        GpuDevice d = (GpuDevice) type.create(ctx, Map.of());
        ctx.step(d);
        FakeMap map = ctx.lastMapped();
        assertEquals(16, map.pages(), "16 pages of the 64-page buffer");
        assertTrue(map.first() + 16 <= 64);
        assertTrue(map.write());
        assertFalse(map.longterm());
        assertFalse(ctx.revoke(d, ctx.lastMapped()));
    }

    @Test
    void eachAttachmentGetsItsOwnDevice() {
        assertNotSame(type.create(ctx, Map.of()), type.create(ctx, Map.of()));
    }

    @Test
    void anUnknownParameterIsRefusedWithTheNearestName() {
        IllegalArgumentException e = refused(Map.of("job-lenght", "1ms"));
        assertTrue(e.getMessage().contains("device gpu: unknown parameter 'job-lenght' (did you mean 'job-length'?)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("revocable"), e.getMessage());
    }

    @Test
    void anOutOfRangeValueIsRefusedWithTheRange() {
        IllegalArgumentException e = refused(Map.of("concurrent", "0"));
        assertTrue(e.getMessage().contains("'concurrent' is '0'; expected an integer from 1 to 64"), e.getMessage());
        e = refused(Map.of("dma-interval", "500ns"));
        assertTrue(e.getMessage().contains("'dma-interval' is '500ns'; expected a duration from 1us to 1s"),
                e.getMessage());
    }

    @Test
    void malformedValuesAreRefusedByName() {
        assertTrue(refused(Map.of("job-length", "5")).getMessage().contains("'job-length'"));
        assertTrue(refused(Map.of("write-fraction", "1.5")).getMessage().contains("a number from 0 to 1"));
        assertTrue(refused(Map.of("revocable", "yes")).getMessage().contains("true or false"));
    }

    @Test
    void oneBadValueAmongGoodOnesStillCreatesNothing() {
        refused(Map.of("jobs", "3", "revocable", "true", "burst", "2000"));
    }

    @Test
    void theComponentIsRegisteredAsADeviceTypeNamedGpu() throws IOException {
        // bnd writes the descriptor from the @Component annotation before the tests run
        String descriptor = "OSGI-INF/" + GpuType.class.getName() + ".xml";
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(descriptor)) {
            assertNotNull(in, descriptor);
            String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(xml.contains("<provide interface=\"" + DeviceType.class.getName() + "\"/>"), xml);
            assertTrue(xml.contains("name=\"name\"") && xml.contains("value=\"gpu\""), xml);
        }
    }
}
