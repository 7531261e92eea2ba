package org.pinlab.api.errno;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ErrnoTest {

    @Test
    void numbersAreThoseOfTheGenericLinuxErrnoHeaders() {
        Map<Errno, Integer> linux = new LinkedHashMap<>();
        linux.put(Errno.EPERM, 1);
        linux.put(Errno.EIO, 5);
        linux.put(Errno.EAGAIN, 11);
        linux.put(Errno.ENOMEM, 12);
        linux.put(Errno.EFAULT, 14);
        linux.put(Errno.EBUSY, 16);
        linux.put(Errno.EEXIST, 17);
        linux.put(Errno.EINVAL, 22);
        linux.put(Errno.EFBIG, 27);
        linux.put(Errno.ENOSPC, 28);
        linux.put(Errno.EOVERFLOW, 75);
        linux.put(Errno.EUCLEAN, 117);
        linux.put(Errno.EOPNOTSUPP, 95);
        linux.put(Errno.EHWPOISON, 133);
        assertEquals(Errno.values().length, linux.size(), "every errno of the model is checked here");
        linux.forEach((e, n) -> assertEquals(n, e.number(), e.name()));
    }

    @Test
    void kernelFunctionsReturnTheNegativeNumber() {
        assertEquals(-14, Errno.EFAULT.negative());
        assertEquals(Errno.EFAULT, Errno.ofReturn(-14));
        assertEquals(Errno.EHWPOISON, Errno.of(133));
    }

    @Test
    void returnValuesPrintByNameWithTheirValueAndSuccessAsItsNumber() {
        assertEquals("-EFAULT (-14)", Errno.describe(-14));
        assertEquals("-EOPNOTSUPP (-95)", Errno.describe(Errno.EOPNOTSUPP.negative()));
        assertEquals("0", Errno.describe(0));
        assertEquals("512", Errno.describe(512), "a count of pages is a success, printed as it is");
    }

    @Test
    void anUnknownNumberFailsTheLookupNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Errno.ofReturn(-4));
        assertTrue(e.getMessage().contains("4 is not an errno the model knows"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Errno.of(1000));
        assertThrows(IllegalArgumentException.class, () -> Errno.of(0));
    }

    @Test
    void anUnknownNumberStillPrintsSoThatAReportNeverFails() {
        assertEquals("-30 (unknown errno)", Errno.describe(-30));
        assertEquals("-1000 (unknown errno)", Errno.describe(-1000));
        assertEquals("-2147483648 (unknown errno)", Errno.describe(Integer.MIN_VALUE));
    }

    @Test
    void aNegativeNumberGivenAsAnErrnoPointsToTheReturnLookup() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Errno.of(-14));
        assertTrue(e.getMessage().contains("use ofReturn"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Errno.ofReturn(14));
    }
}
