package org.pinlab.itests;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.pinlab.exam.PinlabExamSupport;

/**
 * The README's tour, read from the README itself: every {@code karaf@root()>} line runs in
 * order, every output line shown under it must appear in what it printed, and the lines
 * with a point to make get a check of their own.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TourIT extends PinlabExamSupport {

    static List<DocSteps.Step> tour(String readme) {
        return DocSteps.parse(DocSteps.section(readme, "## A tour"));
    }

    @Test
    public void everyLineOfTheReadmeTourWorksAsShown() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("pinlab.readme")));
        List<DocSteps.Step> steps = tour(readme);
        assertTrue("the tour has its commands: " + steps, steps.size() >= 10);
        String exploreHash = null;
        int labRuns = 0;
        // every line the README shows and the run did not print, reported together at the end
        List<String> missing = new ArrayList<>();
        for (DocSteps.Step step : steps) {
            String out = executeCommand(step.command());
            System.out.println("=== " + step.command() + "\n" + out); // in the IT's output file, to update the README
            for (String line : step.shown()) {
                if (!out.contains(line)) {
                    missing.add("'" + step.command() + "' should print '" + line + "'");
                }
            }
            String cmd = step.command();
            if (cmd.startsWith("pinlab:run -c legacy")) {
                assertTrue(out, out.contains("BUG: kernel BUG at fs/ext4/inode.c"));
            } else if (cmd.startsWith("pinlab:explore")) {
                Matcher replay = Pattern.compile("replay: (.*)").matcher(out);
                assertTrue(out, replay.find());
                int next = steps.indexOf(step) + 1;
                assertTrue("the tour replays what explore printed", next < steps.size()
                        && steps.get(next).command().equals(replay.group(1).strip()));
                Matcher hash = Pattern.compile("trace hash ([0-9a-f]{16})").matcher(out);
                assertTrue(out, hash.find());
                exploreHash = hash.group(1);
            } else if (cmd.startsWith("pinlab:replay")) {
                assertTrue(out, out.contains("BUG: kernel BUG") && out.contains("trace hash " + exploreHash));
            } else if (cmd.startsWith("pinlab:run --lab")) {
                labRuns++;
                if (labRuns == 1) {
                    assertTrue("under the default (legacy) lab: the BUG\n" + out, out.contains("BUG: kernel BUG"));
                } else {
                    assertTrue("after the swap: gone\n" + out, out.contains("no findings"));
                }
            } else if (cmd.equals("pinlab:live stop")) {
                assertTrue(out, out.contains("counter checks failed 0") && out.contains("findings: none"));
            } else if (cmd.startsWith("pinlab:compare --html")) {
                Path report = Path.of(cmd.substring(cmd.lastIndexOf(' ') + 1)).toAbsolutePath();
                String html = Files.readString(report);
                assertTrue(html.contains("<svg") && html.contains("seed-001-rdma-ext4"));
                assertFalse(html.contains("src=\"http"));
            }
        }
        assertTrue("the README's tour shows what the commands no longer print (their output is in this IT's"
                + " output file):\n" + String.join("\n", missing), missing.isEmpty());
        assertTrue("the tour swaps to tracked and runs under the lab twice", labRuns == 2);
        executeCommand("pinlab:use release legacy");
        executeCommand("pinlab:use reclaim legacy");
        executeCommand("pinlab:use writeback write");
    }
}
