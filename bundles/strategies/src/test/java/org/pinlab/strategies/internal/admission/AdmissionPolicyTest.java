package org.pinlab.strategies.internal.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pinlab.api.errno.Errno;
import org.pinlab.api.gup.Foll;
import org.pinlab.api.policy.AdmissionPolicy;
import org.pinlab.api.policy.AdmissionPolicy.Mapping;

class AdmissionPolicyTest {

    private final AdmissionPolicy allow = new AdmitAllPins();
    private final AdmissionPolicy noLongtermFileWrite = new RefuseLongtermFileWritePins();

    /** Every flag combination a GUP call may carry. */
    private static int[] validCalls() {
        int all = Foll.WRITE | Foll.GET | Foll.PIN | Foll.LONGTERM | Foll.FAST;
        return IntStream.rangeClosed(0, all).filter(AdmissionPolicyTest::isValid).toArray();
    }

    private static boolean isValid(int foll) {
        try {
            Foll.validate(foll);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @ParameterizedTest
    @EnumSource(Mapping.class)
    void allowAdmitsEveryCall(Mapping mapping) {
        for (int foll : validCalls()) {
            assertEquals(0, allow.admit(foll, mapping), Foll.describe(foll));
        }
    }

    @ParameterizedTest
    @EnumSource(Mapping.class)
    void noLongtermFileWriteRefusesExactlyLongtermWritePinsOfFileMappings(Mapping mapping) {
        for (int foll : validCalls()) {
            boolean refused = mapping == Mapping.FILE && (foll & Foll.LONGTERM) != 0 && (foll & Foll.WRITE) != 0;
            assertEquals(refused ? Errno.EFAULT.negative() : 0, noLongtermFileWrite.admit(foll, mapping),
                    Foll.describe(foll) + " on " + mapping);
        }
    }

    @Test
    void noLongtermFileWriteRefusesWithEfaultOnTheSlowAndFastPaths() {
        assertEquals(-14, noLongtermFileWrite.admit(Foll.PIN | Foll.LONGTERM | Foll.WRITE, Mapping.FILE));
        assertEquals(-14,
                noLongtermFileWrite.admit(Foll.PIN | Foll.LONGTERM | Foll.WRITE | Foll.FAST, Mapping.FILE));
    }

    @Test
    void noLongtermFileWriteAdmitsReadOnlyLongtermFilePins() {
        assertEquals(0, noLongtermFileWrite.admit(Foll.PIN | Foll.LONGTERM, Mapping.FILE));
    }

    @Test
    void noLongtermFileWriteAdmitsShortTermFileWritePinsLikeODirect() {
        assertEquals(0, noLongtermFileWrite.admit(Foll.PIN | Foll.WRITE, Mapping.FILE));
        assertEquals(0, noLongtermFileWrite.admit(Foll.GET | Foll.WRITE, Mapping.FILE));
    }

    @ParameterizedTest
    @EnumSource(value = Mapping.class, names = {"ANONYMOUS", "SHMEM", "HUGETLB", "PRIVATE_FILE"})
    void noLongtermFileWriteAdmitsLongtermWritePinsOfMemoryWithoutDirtyTracking(Mapping mapping) {
        assertEquals(0, noLongtermFileWrite.admit(Foll.PIN | Foll.LONGTERM | Foll.WRITE, mapping));
    }

    @Test
    void noLongtermFileWriteLeavesDaxToTheFilesystem() {
        assertEquals(0, noLongtermFileWrite.admit(Foll.PIN | Foll.LONGTERM | Foll.WRITE, Mapping.DAX));
    }
}
