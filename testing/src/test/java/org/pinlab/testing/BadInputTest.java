package org.pinlab.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pinlab.testing.Seeds.seed;
import static org.pinlab.testing.Seeds.seeds;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pinlab.scenarios.ScenarioException;

/** Every way to hand the scenario API something wrong, and what it says. */
class BadInputTest {

    private static final Path FILE = Path.of("src/test/resources/scenarios/author-rdma-ext4.yaml");

    @TempDir
    Path dir;

    @Test
    void aMissingFileNamesThePathItLookedFor() {
        Path missing = dir.resolve("nope.yaml");
        String message = assertThrows(IllegalArgumentException.class, () -> Scenarios.load(missing)).getMessage();
        assertTrue(message.startsWith("no scenario file " + missing + " (looked for " + missing.toAbsolutePath()),
                message);
    }

    @Test
    void aDirectoryIsNotAScenarioFile() {
        assertEquals(dir + " is a directory; give a scenario's YAML file",
                assertThrows(IllegalArgumentException.class, () -> Scenarios.load(dir)).getMessage());
    }

    @Test
    void anUnreadableFileIsTheLoadersErrorForTheWholeFile() throws IOException {
        Path latin1 = dir.resolve("latin1.yaml");
        Files.write(latin1, new byte[] {'n', 'a', 'm', 'e', ':', ' ', (byte) 0xe9, '\n'});
        ScenarioException e = assertThrows(ScenarioException.class, () -> Scenarios.load(latin1));
        assertEquals(latin1.toString(), e.source());
        assertEquals(0, e.line());
        assertTrue(e.problem().startsWith("cannot read the file: "), e.getMessage());
    }

    @Test
    void anInvalidFileIsTheLoadersErrorWithLineAndColumn() throws IOException {
        Path typo = dir.resolve("typo.yaml");
        Files.writeString(typo, Files.readString(FILE).replace("duration: 15ms", "duraton: 15ms"));
        ScenarioException e = assertThrows(ScenarioException.class, () -> Scenarios.load(typo));
        assertTrue(e.getMessage().startsWith(typo + ":" + e.line() + ":1: unknown key 'duraton' in the scenario"
                + " (did you mean 'duration'?)"), e.getMessage());
        assertTrue(e.line() > 1);
    }

    @Test
    void aFileNamingAnImplementationThatIsNotThereListsTheOnesThatAre() throws IOException {
        Path typo = dir.resolve("impl.yaml");
        Files.writeString(typo, Files.readString(FILE).replace("release: tracked", "release: trackd"));
        ScenarioException e = assertThrows(ScenarioException.class, () -> Scenarios.load(typo));
        assertTrue(e.problem().startsWith("no release named 'trackd' (did you mean 'tracked'?); available: bounce,"
                + " legacy, tracked"), e.getMessage());
    }

    @Test
    void anUnknownCatalogNameSuggestsTheNearestAndListsTheCatalog() {
        String message = assertThrows(IllegalArgumentException.class, () -> Scenarios.catalog("seed-001-rdma-ext"))
                .getMessage();
        assertTrue(message.startsWith("no catalog scenario named 'seed-001-rdma-ext' (did you mean"
                + " 'seed-001-rdma-ext4'?); catalog: seed-001-rdma-ext4, gpu-memory-pressure, "), message);
    }

    @Test
    void anUnknownCombinationSuggestsTheNearestAndListsTheScenarios() {
        ScenarioUnderTest s = Scenarios.load(FILE);
        assertEquals("scenario author-rdma-ext4 has no combination 'fixd' (did you mean 'fixed'?); combinations:"
                + " legacy, fixed", assertThrows(IllegalArgumentException.class, () -> s.run("fixd", seed(1)))
                .getMessage());
        assertEquals("scenario author-rdma-ext4 has no combination 'tracked'; combinations: legacy, fixed",
                assertThrows(IllegalArgumentException.class, () -> s.run("tracked", seed(1))).getMessage());
    }

    @Test
    void anEmptySeedRangeIsRefused() {
        assertEquals("the seed range 5..3 is empty; give from <= to, as in seeds(1, 20)",
                assertThrows(IllegalArgumentException.class, () -> seeds(5, 3)).getMessage());
    }

    @Test
    void aSeedBelowOneIsRefused() {
        String zero = assertThrows(IllegalArgumentException.class, () -> seed(0)).getMessage();
        assertEquals("seeds start at 1 (as pinlab:run -s and a scenario's seeds 1..N do); was 0", zero);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> seeds(-2, 4)).getMessage().endsWith("was -2"));
    }

    @Test
    void aNegativeNumberOfSeedsIsRefused() {
        assertEquals("a number of seeds is at least 0; was -1",
                assertThrows(IllegalArgumentException.class, () -> Occurrence.atLeast(-1)).getMessage());
    }
}
