package org.pinlab.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.pinlab.exam.PinlabExamSupport;

/**
 * The kernel selftests as shell commands in the distribution: {@code pinlab:gup-longterm}
 * runs the whole gup_longterm matrix on the registered filesystem types and prints TAP,
 * and {@code pinlab:gup-test -c} dumps pages to the kernel log it prints.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class GupLongtermIT extends PinlabExamSupport {

    private static final Pattern PLAN = Pattern.compile("(?m)^1\\.\\.(\\d+)$");
    private static final Pattern OK = Pattern.compile("(?m)^ok \\d+ ");
    private static final Pattern NOT_OK = Pattern.compile("(?m)^not ok \\d+ ");

    private static int count(Pattern p, String out) {
        Matcher m = p.matcher(out);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static int plan(String out) {
        Matcher m = PLAN.matcher(out);
        assertTrue(out, m.find());
        return Integer.parseInt(m.group(1));
    }

    @Test
    public void everyGupLongtermTestIsOkUnderTheLinux65AdmissionRule() throws Exception {
        String out = executeCommand("pinlab:gup-longterm");
        assertTrue(out, out.startsWith("TAP version 13\n"));
        int plan = plan(out);
        assertTrue(out, plan >= 60);
        assertEquals(out, plan, count(OK, out));
        assertEquals(out, 0, count(NOT_OK, out));
        assertFalse(out, out.contains("# SKIP"));
        assertTrue(out, out.contains("# pinlab: admission no-longterm-file-write, pin-layout merged;"));
        assertTrue(out, out.contains("# [RUN] R/W longterm GUP pin in MAP_SHARED file mapping ... with local tmpfile"
                + " (ext4)\n"));
        assertTrue(out, out.endsWith("# Totals: pass:" + plan + " fail:0 xfail:0 xpass:0 skip:0 error:0\n"));
    }

    @Test
    public void underTheLabsDefaultAdmissionThePreLinux65KernelFailsTheSharedWritableFileTests() throws Exception {
        String out = executeCommand("pinlab:gup-longterm --lab");
        assertTrue(out, out.contains("# pinlab: admission allow,"));
        assertEquals(out, out, executeCommand("pinlab:gup-longterm -a allow"));
        assertEquals(out, 9, count(NOT_OK, out));
        assertTrue(out, out.contains("Bail out! 9 out of " + plan(out) + " tests failed\n"));
    }

    @Test
    public void aFilterPicksTestsAndBadArgumentsAreNamed() throws Exception {
        String ext4 = executeCommand("pinlab:gup-longterm -a no-longterm-file-write ext4 MAP_PRIVATE");
        assertEquals(ext4, 5, plan(ext4));
        assertEquals(ext4, 5, count(OK, ext4));
        String list = executeCommand("pinlab:gup-longterm -l io_uring");
        assertTrue(list, list.startsWith("1 io_uring fixed buffer with MAP_SHARED file mapping ... with memfd\n"));
        String error = executeCommandExpectingError("pinlab:gup-longterm -a allw");
        assertTrue(error, error.contains("-a: no admission policy named 'allw' (did you mean 'allow'?)"));
        error = executeCommandExpectingError("pinlab:gup-longterm --lab -a allow");
        assertTrue(error, error.contains("-a and --lab both choose the admission policy; give one of them"));
        error = executeCommandExpectingError("pinlab:gup-longterm zfs");
        assertTrue(error, error.contains("no test matches 'zfs'"));
    }

    @Test
    public void gupTestDumpsTheChosenPagesLikeDumpPage() throws Exception {
        String out = executeCommand("pinlab:gup-test -m 1 -c -p 0 5");
        assertTrue(out, out.contains("# DUMP_USER_PAGES_TEST: done\n"));
        assertTrue(out, out.contains("] ---- page #5, starting from user virt addr: 0x"));
        assertTrue(out, out.contains("] page: refcount:1025 mapcount:1 mapping:0000000000000000 index:0x"));
        assertTrue(out, out.contains("] page dumped because: gup_test: dump_pages() test\n"));
        assertTrue(out, out.contains("ok 1 ioctl status 0"));
        String error = executeCommandExpectingError("pinlab:gup-test -a 3");
        assertTrue(error, error.contains("page numbers go with -c"));
    }
}
