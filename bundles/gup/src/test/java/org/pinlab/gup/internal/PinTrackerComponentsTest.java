package org.pinlab.gup.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.pinlab.api.gup.Foll;
import org.pinlab.api.gup.PinAccounting;
import org.pinlab.api.gup.PinTracker;

class PinTrackerComponentsTest {

    @Test
    void theComponentsAreNamedAfterTheirSeriesAndDescribeThemselves() {
        PinTracker merged = new MergedPinTracker();
        PinTracker follPin = new FollPin2019PinTracker();
        PinTracker rfc = new Rfc2019PinTracker();
        assertEquals("merged", merged.name());
        assertEquals("foll-pin-2019", follPin.name());
        assertEquals("rfc-2019", rfc.name());
        assertTrue(merged.description().contains("try_grab_folio"), merged.description());
        assertTrue(follPin.description().contains("try_get_compound_head"), follPin.description());
        assertTrue(rfc.description().contains("get_gup_pin_page"), rfc.description());
        for (PinTracker t : new PinTracker[] {merged, follPin, rfc}) {
            assertFalse(t.description().contains("\n"), t.name());
        }
    }

    @Test
    void eachMachineGetsItsOwnAccountingState() {
        PinTracker tracker = new MergedPinTracker();
        PinAccounting one = tracker.create(new FakeFolioCounters());
        PinAccounting other = tracker.create(new FakeFolioCounters());
        one.record("a", new int[] {1}, Foll.GET);
        assertEquals(0, one.tryGrab(3, Foll.PIN));
        assertTrue(other.outstanding().isEmpty());
        assertEquals(0, other.pinsAcquired());
    }

    @Test
    void theMergedComponentIsRegisteredAsAPinTrackerNamedMerged() throws IOException {
        assertDescriptor(MergedPinTracker.class, "merged");
    }

    @Test
    void the2019ComponentsAreRegisteredAsPinTrackersNamedAfterTheirSeries() throws IOException {
        assertDescriptor(FollPin2019PinTracker.class, "foll-pin-2019");
        assertDescriptor(Rfc2019PinTracker.class, "rfc-2019");
    }

    private void assertDescriptor(Class<?> component, String name) throws IOException {
        // bnd writes the descriptor from the @Component annotation before the tests run
        String descriptor = "OSGI-INF/" + component.getName() + ".xml";
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(descriptor)) {
            assertNotNull(in, descriptor);
            String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(xml.contains("<provide interface=\"" + PinTracker.class.getName() + "\"/>"), xml);
            assertTrue(xml.contains("name=\"name\"") && xml.contains("value=\"" + name + "\""), xml);
        }
    }
}
