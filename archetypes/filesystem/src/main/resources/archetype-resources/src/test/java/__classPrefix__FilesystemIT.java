package ${package};

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.pinlab.exam.PinlabExamSupport;
import org.pinlab.scenarios.RunResult;

/**
 * Boots the pinlab distribution with this bundle installed (pinlab-bundle-parent's failsafe
 * configuration names the jar) and checks it the way a user would: the lab binds the type,
 * pinlab:types lists it with this bundle, and pinlab:compare runs a scenario that mounts it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ${classPrefix}FilesystemIT extends PinlabExamSupport {

    private static final String SCENARIO = "src/test/resources/${fsName}-rdma.yaml";

    @Test
    public void pinlabTypesListsTheFilesystemWithItsBundle() throws Exception {
        awaitImplementation("filesystem", "${fsName}");
        String types = executeCommand("pinlab:types");
        assertTrue(types, types.lines().anyMatch(l -> l.contains("${fsName}") && l.contains("${groupId}.${artifactId}")));
    }

    @Test
    public void pinlabCompareRunsAScenarioMountingIt() throws Exception {
        awaitImplementation("filesystem", "${fsName}");
        String table = executeCommand("pinlab:compare -n 2 " + projectFile(SCENARIO));
        assertTrue(table, table.contains("${fsName}-rdma"));
        assertTrue(table, table.contains("fixed"));
    }

    @Test
    public void theFixedCombinationRunsCleanInsideKaraf() {
        awaitImplementation("filesystem", "${fsName}");
        RunResult r = run(projectFile(SCENARIO).toString(), "fixed", 1);
        assertEquals(r.findings().toString(), 0, r.findings().size());
    }
}
