package org.pinlab.scenarios.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pinlab.scenarios.Comparison.Matrix;

/**
 * Pins every report format byte for byte against the files under {@code golden/}: the table,
 * JSON, CSV and HTML ones were written by the reports as they were before the report package
 * existed, the Markdown ones by the first Markdown renderer. A change to a format
 * on purpose re-records them with
 * {@code mvn -pl bundles/scenarios test -Dtest=ReportGoldenTest -Dpinlab.recordGolden=true}
 * and says in its commit message what changed.
 */
class ReportGoldenTest {

    private static final Path DIR = Path.of("src/test/resources/org/pinlab/scenarios/report/golden");

    private static Matrix catalog;

    @BeforeAll
    static void runTheCatalogOnce() throws InterruptedException {
        catalog = ReportFixtures.catalog();
    }

    @ParameterizedTest
    @ValueSource(strings = {"table", "markdown", "json", "csv", "html"})
    void theHandWrittenMatrixRendersAsRecorded(String format) throws IOException {
        check("hand-written", format, ReportFixtures.handWritten());
    }

    @ParameterizedTest
    @ValueSource(strings = {"table", "markdown", "json", "csv", "html"})
    void aCatalogComparisonRendersAsRecorded(String format) throws IOException {
        check("catalog", format, catalog);
    }

    private static void check(String fixture, String format, Matrix m) throws IOException {
        String file = fixture + "." + Format.named(format).extension();
        String now = render(format, m);
        if (Boolean.getBoolean("pinlab.recordGolden")) {
            Files.createDirectories(DIR);
            Files.writeString(DIR.resolve(file), now, StandardCharsets.UTF_8);
            return;
        }
        assertEquals(recorded(file), now, file);
    }

    private static String render(String format, Matrix m) {
        return Format.named(format).reportRenderer().render(Report.of(m));
    }

    private static String recorded(String file) throws IOException {
        try (InputStream in = ReportGoldenTest.class.getResourceAsStream("golden/" + file)) {
            assertNotNull(in, file + " is missing; record it with -Dpinlab.recordGolden=true");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
