package ${package}.internal;

import static org.pinlab.testing.Occurrence.atLeast;
import static org.pinlab.testing.Seeds.seeds;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.testing.Scenarios;

/**
 * The project's scenario on the plain class path: this bundle's component is found from the
 * descriptor bnd wrote into target/classes, the shipped ones from their jars.
 */
class ${classPrefix}ScenarioTest {

    private static final Path SCENARIO = Path.of("src/test/resources/${fsName}-rdma.yaml");

    @Test
    void theFixedCombinationRunsCleanOnEverySeed() {
        Scenarios.load(SCENARIO).run("fixed", seeds(1, 5)).assertNoFindings().assertExpectations();
    }

    @Test
    void legacyGupDirtiesPagesBehindTheFilesystemsBack() {
        Scenarios.load(SCENARIO).run("legacy", seeds(1, 5)).assertFindings(FindingKind.DIRTY_WITHOUT_MKWRITE, atLeast(1));
    }
}
