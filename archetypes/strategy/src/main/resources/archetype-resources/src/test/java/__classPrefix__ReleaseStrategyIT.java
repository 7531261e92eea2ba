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
 * pinlab:types lists it with this bundle, and pinlab:compare runs a scenario whose combinations choose it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ${classPrefix}ReleaseStrategyIT extends PinlabExamSupport {

    private static final String SCENARIO = "src/test/resources/${strategyName}-rdma-ext4.yaml";

    @Test
    public void pinlabTypesListsTheStrategyWithItsBundle() throws Exception {
        awaitImplementation("release", "${strategyName}");
        String types = executeCommand("pinlab:types");
        assertTrue(types, types.lines().anyMatch(l -> l.contains("${strategyName}") && l.contains("${groupId}.${artifactId}")));
    }

    @Test
    public void pinlabCompareRunsAScenarioChoosingIt() throws Exception {
        awaitImplementation("release", "${strategyName}");
        String table = executeCommand("pinlab:compare -n 2 " + projectFile(SCENARIO));
        assertTrue(table, table.contains("${strategyName}-rdma-ext4"));
        assertTrue(table, table.contains("tracked"));
    }

    @Test
    public void itsCombinationRunsCleanInsideKaraf() {
        awaitImplementation("release", "${strategyName}");
        RunResult r = run(projectFile(SCENARIO).toString(), "${strategyName}", 1);
        assertEquals(r.findings().toString(), 0, r.findings().size());
    }
}
