package org.pinlab.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pinlab.api.device.DeviceType;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.strategies.internal.truncate.RevokePins;
import org.pinlab.testing.DeviceLedger.Breach;
import org.pinlab.testing.DeviceLedger.Taken;

/**
 * The contract of the device SPI ({@link org.pinlab.api.device.Device}), run inside the model
 * kernel: extend it and return your type from {@link #deviceType()}.
 * <pre>
 * class MyDeviceContractTest extends DeviceContract {
 *     &#64;Override protected DeviceType deviceType() { return new MyDeviceType(); }
 * }
 * </pre>
 * Each test attaches one device named {@code dev0} with {@link #parameters()} to a buffer of
 * {@link #bufferPages()} pages (a shared mapping of a tmpfs file), runs it for
 * {@link #workloadNanos()} of simulated time, detaches it ({@code ->remove}) and shuts the
 * machine down cleanly, then checks what the device did with its pins. Pins are taken the
 * {@code tracked} way (FOLL_PIN), so the vmstat pin counters count them.
 */
public abstract class DeviceContract {

    private static final long MS = ContractMachine.MS;

    /** The device type under test. */
    protected abstract DeviceType deviceType();

    /** The parameters the device is attached with; none (every default) by default. */
    protected Map<String, String> parameters() {
        return Map.of();
    }

    /** Pages of the device's one buffer; 16 by default. The workload should pin ranges of more than one page. */
    protected int bufferPages() {
        return 16;
    }

    /** How long the workload runs before the device is detached; 20 ms of simulated time by default. */
    protected long workloadNanos() {
        return 20 * MS;
    }

    private String who() {
        return "device " + deviceType().name() + " with " + parameters();
    }

    private DeviceRig rig(int filePages, boolean revoke) {
        return new DeviceRig(deviceType(), parameters(), bufferPages(), filePages, revoke ? new RevokePins() : null);
    }

    /**
     * Every pin the device took is given back by the end: after its workload and its
     * {@code ->remove}, {@code nr_foll_pin_acquired} equals {@code nr_foll_pin_released}
     * (mm/gup.c, v6.12), no grab is outstanding and no pin or reference count went wrong.
     */
    @Test
    public void pinsAcquiredEqualPinsReleasedAfterTheWorkloadAndDetach() {
        DeviceRig r = rig(bufferPages(), false);
        r.runDetachAndFinish(workloadNanos());
        assertNoBreaches(r, Breach.DOUBLE_RELEASE);
        long acquired = r.vmstat("nr_foll_pin_acquired");
        assumeTrue(acquired > 0, who() + " took no pin in " + workloadNanos() + " ns (an on-demand-paging device"
                + " pins nothing): there is no pin balance to check");
        assertEquals(acquired, r.vmstat("nr_foll_pin_released"), () -> who() + ": nr_foll_pin_acquired must equal"
                + " nr_foll_pin_released once the device is gone (unpin_user_pages for every pin_user_pages); "
                + r.cm.describeFindings());
        assertTrue(r.cm.machine.outstandingPins().isEmpty(), () -> who() + ": grabs still outstanding after"
                + " ->remove: " + r.cm.machine.outstandingPins());
        assertNoFindings(r, ContractMachine.ACCOUNTING);
    }

    /**
     * A pin that stops part-way ({@code pin_user_pages} returns how many pages it pinned: here
     * the mapping runs past the end of its file, where the fault is {@code VM_FAULT_SIGBUS}) maps
     * only the pages before; the device uses no page past them and releases exactly that
     * mapping, once.
     */
    @Test
    public void aShortPinIsReleasedExactlyAsItCameBack() {
        int eof = bufferPages() / 2;
        DeviceRig r = rig(eof, false);
        r.runDetachAndFinish(workloadNanos());
        List<Taken> shortPins = r.ledger.all().stream().filter(Taken::shortPin).toList();
        assumeTrue(!shortPins.isEmpty(), who() + " never asked GUP for a range crossing page " + eof + " (the"
                + " file's end) within " + workloadNanos() + " ns, so no pin came back short: give it a workload"
                + " that pins more than one page at a time");
        assertNoBreaches(r, Breach.PAST_END, Breach.DOUBLE_RELEASE);
        for (Taken t : shortPins) {
            assertTrue(t.map.first() + t.map.pages() <= eof, who() + ": GUP past EOF mapped " + t);
            assertFalse(t.map.live(), who() + ": the short pin " + t + " is still live after ->remove");
            assertTrue(t.releasedByDevice <= 1, who() + ": the short pin " + t + " was released "
                    + t.releasedByDevice + " times");
        }
        assertEquals(r.vmstat("nr_foll_pin_acquired"), r.vmstat("nr_foll_pin_released"), () -> who() + ": after"
                + " short pins, unpin must give back exactly the pages pinned; " + r.cm.describeFindings());
        assertTrue(r.cm.machine.outstandingPins().isEmpty(), () -> who() + ": grabs still outstanding: "
                + r.cm.machine.outstandingPins());
        assertNoFindings(r, ContractMachine.ACCOUNTING);
    }

    /**
     * Device DMA by physical address ({@code deviceWrite}, {@code deviceRead}) may target only a
     * page the device holds pinned at that moment, through a live mapping; {@code deviceWriteFrame}
     * only a frame it holds pinned or found through {@code hmm_range_fault} since the last MMU
     * notifier invalidation. Anything else is DMA into memory the kernel may have freed.
     */
    @Test
    public void everyDmaTargetsAPageTheDeviceHoldsPinned() {
        DeviceRig r = rig(bufferPages(), false);
        r.runDetachAndFinish(workloadNanos());
        assumeTrue(r.ledger.dmaAccesses > 0 || !r.ledger.breaches.isEmpty(), who() + " did no DMA in "
                + workloadNanos() + " ns: nothing to check");
        assertNoBreaches(r, Breach.DMA_OUTSIDE_PIN, Breach.PAST_END, Breach.AFTER_REVOKE);
        assertNoFindings(r, java.util.EnumSet.of(FindingKind.USE_AFTER_FREE));
    }

    /**
     * Where the device supports it, a revoke ({@code Device.revoke}, asked by a truncate under the
     * {@code revoke} policy, {@code truncate_inode_pages_range} in mm/truncate.c, v6.12) that it
     * agrees to stops DMA to the mapping and gives it back before the device is removed.
     */
    @Test
    public void aRevokedMappingIsGivenBackAndNoLongerAccessed() {
        DeviceRig r = rig(bufferPages(), true);
        r.truncateWhilePinned(workloadNanos() / 4);
        r.cm.runUntil(workloadNanos());
        long truncateAt = r.truncatedAt;
        List<Taken> agreed = r.ledger.all().stream().filter(t -> t.revokeAgreed).toList();
        assumeTrue(r.ledger.revokesAsked > 0, who() + " was asked no revoke: from " + workloadNanos() / 4
                + " ns on it never held a pin of its buffer's file when the truncate looked (every 10 us), so"
                + " there was nothing to revoke; give parameters() that keep pins live to check revocation");
        assumeTrue(!agreed.isEmpty(), who() + " does not support revocation: its revoke returned false for all "
                + r.ledger.revokesAsked + " mappings asked");
        for (Taken t : agreed) {
            assertFalse(t.map.live(), () -> who() + " agreed to revoke " + t + " but still held it "
                    + (workloadNanos() - truncateAt) + " ns later; " + r.cm.describeFindings());
            assertEquals(1, t.releasedByDevice, who() + " agreed to revoke " + t + " and must release it itself,"
                    + " once, at its next step (Device.revoke)");
        }
        assertNoBreaches(r, Breach.AFTER_REVOKE, Breach.DOUBLE_RELEASE);
        r.runDetachAndFinish(workloadNanos());
        assertTrue(r.cm.machine.outstandingPins().isEmpty(), () -> who() + ": grabs still outstanding: "
                + r.cm.machine.outstandingPins());
        assertNoFindings(r, ContractMachine.ACCOUNTING);
    }

    private void assertNoBreaches(DeviceRig r, Breach... kinds) {
        List<String> found = r.ledger.breaches(kinds);
        assertTrue(found.isEmpty(), () -> who() + " broke the device contract:\n  " + String.join("\n  ", found));
    }

    private void assertNoFindings(DeviceRig r, java.util.Set<FindingKind> kinds) {
        assertTrue(r.cm.findings(kinds).isEmpty(), () -> who() + ": the run raised " + kinds + " findings; "
                + r.cm.describeFindings());
    }
}
