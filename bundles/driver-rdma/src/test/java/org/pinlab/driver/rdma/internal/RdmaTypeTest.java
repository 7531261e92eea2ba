package org.pinlab.driver.rdma.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pinlab.api.device.testing.FakeBuffer.file;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pinlab.api.device.DeviceType;
import org.pinlab.api.device.Parameter;
import org.pinlab.api.device.Parameters;
import org.pinlab.api.device.testing.FakeDeviceContext;

/** The service face of the NIC: its name, description, parameters and their validation. */
class RdmaTypeTest {

    private final DeviceType type = new RdmaType();
    private final FakeDeviceContext ctx = new FakeDeviceContext(1, file("mr0", 64));

    private IllegalArgumentException rejected(Map<String, String> params) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> type.create(ctx, params));
        assertTrue(ctx.events().isEmpty() && ctx.dmesg().isEmpty(),
                "a refused attach touches nothing: " + ctx.events() + " " + ctx.dmesg());
        return e;
    }

    @Test
    void theTypeIsNamedRdmaAndDescribesItselfInOneParagraph() {
        assertEquals("rdma", type.name());
        for (String fn : new String[] {"ib_umem_get", "RLIMIT_MEMLOCK", "pin_user_pages_fast",
                "unpin_user_pages_dirty_lock", "hmm_range_fault", "mmu_interval_notifier_insert"}) {
            assertTrue(type.description().contains(fn), fn + " in " + type.description());
        }
        assertFalse(type.description().contains("\n"));
    }

    @Test
    void everyDefaultParsesAndTheBatchIsWhatIbUmemGetPinsPerCall() {
        Parameters p = Parameters.parse("device rdma", type.parameters(), Map.of());
        assertEquals(512, p.integer(RdmaConfig.BATCH));
        assertEquals(0, p.integer(RdmaConfig.PAGES), "whole buffer by default");
        assertFalse(p.bool(RdmaConfig.ODP));
        assertFalse(p.bool(RdmaConfig.REVOCABLE));
        assertEquals(0, p.integer(RdmaConfig.REGISTRATIONS), "register forever by default");
        for (Parameter spec : type.parameters()) {
            assertFalse(spec.description().isBlank(), spec.name());
        }
    }

    @Test
    void anUnknownParameterIsRejectedWithTheNearestValidName() {
        IllegalArgumentException e = rejected(Map.of("bach", "64"));
        assertTrue(e.getMessage().contains("unknown parameter 'bach' (did you mean 'batch'?)"), e.getMessage());
        assertTrue(e.getMessage().contains("lifetime, lifetime-spread"), e.getMessage());
    }

    @Test
    void anOutOfRangeValueIsRejectedWithTheRange() {
        IllegalArgumentException e = rejected(Map.of("batch", "0"));
        assertTrue(e.getMessage().contains("'batch' is '0'; expected an integer from 1 to 1048576"), e.getMessage());
        e = rejected(Map.of("write-fraction", "1.5"));
        assertTrue(e.getMessage().contains("'write-fraction' is '1.5'; expected a number from 0 to 1"),
                e.getMessage());
    }

    @Test
    void aDurationNeedsItsUnitAndABooleanIsTrueOrFalse() {
        IllegalArgumentException e = rejected(Map.of("lifetime", "5"));
        assertTrue(e.getMessage().contains("'lifetime' is '5'; expected a duration from 1us to 3600s"),
                e.getMessage());
        e = rejected(Map.of("odp", "yes"));
        assertTrue(e.getMessage().contains("'odp' is 'yes'; expected true or false"), e.getMessage());
        e = rejected(Map.of("gaps", "poisson"));
        assertTrue(e.getMessage().contains("expected one of exponential, uniform"), e.getMessage());
    }

    @Test
    void aWindowLargerThanABufferIsRejectedNamingTheBuffer() {
        IllegalArgumentException e = rejected(Map.of("pages", "65"));
        assertTrue(e.getMessage().contains("buffer mr0 has only 64 pages"), e.getMessage());
    }

    @Test
    void aNicWithoutBuffersIsRejected() {
        FakeDeviceContext none = new FakeDeviceContext(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> type.create(none, Map.of()));
        assertTrue(e.getMessage().contains("no buffer"), e.getMessage());
    }

    @Test
    void eachAttachmentGetsItsOwnNic() {
        assertNotSame(type.create(ctx, Map.of()), type.create(ctx, Map.of()));
    }

    @Test
    void theComponentIsRegisteredAsADeviceTypeNamedRdma() throws IOException {
        // bnd writes the descriptor from the @Component annotation before the tests run
        String descriptor = "OSGI-INF/" + RdmaType.class.getName() + ".xml";
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(descriptor)) {
            assertNotNull(in, descriptor);
            String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(xml.contains("<provide interface=\"" + DeviceType.class.getName() + "\"/>"), xml);
            assertTrue(xml.contains("name=\"name\"") && xml.contains("value=\"rdma\""), xml);
        }
    }
}
