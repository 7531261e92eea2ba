package org.pinlab.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;
import org.pinlab.api.families.Families;
import org.pinlab.api.lab.Lab;
import org.pinlab.exam.PinlabExamSupport;

/** pinlab:strategies and pinlab:use against the live lab component and ConfigAdmin. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LabCommandsIT extends PinlabExamSupport {

    @Test
    public void strategiesListsTheBuddyAllocatorAsActive() throws Exception {
        String out = executeCommand("pinlab:strategies");
        assertTrue(out, out.matches("(?s).*allocator\\s*\\|\\s*buddy\\s*\\|\\s*\\*.*"));
    }

    @Test
    public void useStoresTheChoiceInConfigAdmin() throws Exception {
        String out = executeCommand("pinlab:use allocator buddy");
        assertTrue(out, out.contains("allocator: buddy -> buddy"));
        ConfigurationAdmin cm = service(ConfigurationAdmin.class);
        assertEquals("buddy", cm.getConfiguration(Lab.PID, null).getProperties().get(Families.ALLOCATOR.name()));
    }

    @Test
    public void useRejectsAnUnknownNameAndSaysWhatIsValid() {
        String error = executeCommandExpectingError("pinlab:use allocator slab");
        assertTrue(error, error.contains("no allocator named 'slab'") && error.contains("available: buddy"));
        assertEquals("buddy", service(Lab.class).configured(Families.ALLOCATOR));
    }

    @Test
    public void strategiesRejectsAnUnknownFamily() {
        String error = executeCommandExpectingError("pinlab:strategies nosuch");
        assertTrue(error, error.contains("unknown family 'nosuch'") && error.contains("allocator"));
    }

    @Test
    public void typesListsEverySpiTypeWithEachImplementationsBundle() throws Exception {
        String out = executeCommand("pinlab:types");
        assertTrue(out, out.matches("(?s).*org\\.pinlab\\.api\\.policy\\.ReleaseStrategy\\s*\\|\\s*release\\s*\\|"
                + "\\s*tracked\\s*\\|\\s*\\|\\s*org\\.pinlab\\.strategies\\s*\\|\\s*\\d+\\.\\d+\\.\\d+.*"));
        assertTrue(out, out.matches("(?s).*org\\.pinlab\\.api\\.fs\\.FilesystemType\\s*\\|\\s*filesystem\\s*\\|"
                + "\\s*ext4\\s*\\|\\s*\\|\\s*org\\.pinlab\\.fs-ext4\\s*\\|.*"));
        assertTrue(out, out.matches("(?s).*allocator\\s*\\|\\s*buddy\\s*\\|\\s*\\*\\s*\\|\\s*org\\.pinlab\\.allocator.*"));
    }

    @Test
    public void useSuggestsTheNearestNameOfAMisspeltImplementation() {
        String error = executeCommandExpectingError("pinlab:use release trackd");
        assertTrue(error, error.contains("no release named 'trackd' (did you mean 'tracked'?)"));
    }
}
