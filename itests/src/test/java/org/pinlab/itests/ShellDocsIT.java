package org.pinlab.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.pinlab.exam.PinlabExamSupport;

/**
 * docs/shell.md and docs/scenarios.md, line by line: every command a table row of shell.md
 * shows takes exactly the options the row lists (Karaf's own help says which), every command a
 * block shows prints what the block shows, and every scenario file scenarios.md shows loads
 * and meets its own expectations.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ShellDocsIT extends PinlabExamSupport {

    private static final Pattern ROW = Pattern.compile("^\\| `(pinlab:[a-z-]+)([^`]*)` \\|(.*)$", Pattern.MULTILINE);
    private static final Pattern DOC_OPTION = Pattern.compile("(?<![\\w-])(--?[a-zA-Z][\\w-]*)");

    private static String doc(String name) throws Exception {
        return Files.readString(Path.of(System.getProperty("pinlab.readme")).resolveSibling("docs").resolve(name));
    }

    @Test
    public void everyCommandOfShellMdTakesExactlyTheOptionsItsRowsList() throws Exception {
        // the options a command's syntax shows, and every option its rows mention anywhere
        Map<String, Set<String>> documented = new LinkedHashMap<>();
        Map<String, Set<String>> mentioned = new LinkedHashMap<>();
        Matcher rows = ROW.matcher(doc("shell.md"));
        while (rows.find()) {
            Set<String> options = documented.computeIfAbsent(rows.group(1), k -> new LinkedHashSet<>());
            Set<String> anywhere = mentioned.computeIfAbsent(rows.group(1), k -> new LinkedHashSet<>());
            Matcher o = DOC_OPTION.matcher(rows.group(2));
            while (o.find()) {
                options.add(o.group(1));
            }
            Matcher m = Pattern.compile("`(--?[a-zA-Z][\\w-]*)").matcher(rows.group(2) + " `" + rows.group(3));
            while (m.find()) {
                anywhere.add(m.group(1));
            }
            anywhere.addAll(options);
        }
        assertTrue("shell.md lists the commands: " + documented.keySet(), documented.size() >= 12);
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Set<String>> e : documented.entrySet()) {
            String help = executeCommandOrFail(e.getKey() + " --help");
            List<List<String>> accepted = options(help);
            if (accepted.isEmpty() && !e.getValue().isEmpty()) {
                wrong.add(e.getKey() + ": no options read from its help:\n" + help);
            }
            for (String shown : e.getValue()) {
                if (accepted.stream().noneMatch(names -> names.contains(shown))) {
                    wrong.add(e.getKey() + ": shell.md shows " + shown + ", which the command does not take");
                }
            }
            for (List<String> names : accepted) {
                if (!names.contains("--help") && names.stream().noneMatch(mentioned.get(e.getKey())::contains)) {
                    wrong.add(e.getKey() + ": takes " + String.join(", ", names) + ", which shell.md does not show");
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    /** The option names (with aliases) under OPTIONS in Karaf's help of a command. */
    private static List<List<String>> options(String help) {
        List<List<String>> out = new ArrayList<>();
        help = help.replaceAll("\u001B\\[[0-9;]*m", ""); // Karaf's help is bold in places
        int at = help.indexOf("OPTIONS");
        if (at < 0) {
            return out;
        }
        for (String line : help.substring(at).split("\n")) {
            String t = line.strip();
            if (t.matches("--?[a-zA-Z][\\w-]*(, --?[a-zA-Z][\\w-]*)*")) {
                out.add(List.of(t.split(", ")));
            }
        }
        return out;
    }

    @Test
    public void everyCommandBlockOfShellMdPrintsWhatItShows() throws Exception {
        List<DocSteps.Step> steps = DocSteps.parse(doc("shell.md"));
        assertTrue("shell.md shows commands in blocks: " + steps, steps.size() >= 2);
        List<String> missing = new ArrayList<>();
        for (DocSteps.Step step : steps) {
            String out = executeCommandOrFail(step.command());
            for (String line : step.shown()) {
                if (!out.contains(line)) {
                    missing.add("'" + step.command() + "' should print '" + line + "'; printed:\n" + out);
                }
            }
        }
        assertEquals(List.of(), missing);
    }

    /** Both orders of a live command's options work, as shell.md says. */
    @Test
    public void liveTakesItsOptionsBeforeOrAfterTheAction() throws Exception {
        try {
            String after = executeCommandOrFail("pinlab:live start -s 7 -c legacy seed-001-rdma-ext4");
            assertTrue(after, after.contains("started from seed 7"));
            String status = executeCommandOrFail("pinlab:live status --swaps");
            assertTrue(status, status.contains("swaps during the run:"));
            executeCommandOrFail("pinlab:live stop");
            String before = executeCommandOrFail("pinlab:live -s 9 start seed-001-rdma-ext4");
            assertTrue(before, before.contains("started from seed 9"));
        } finally {
            executeCommandOrFail("pinlab:live stop");
        }
        String error = executeCommandExpectingError("pinlab:live start -x seed-001-rdma-ext4");
        assertTrue(error, error.contains("unknown option '-x'"));
        error = executeCommandExpectingError("pinlab:live start -s");
        assertTrue(error, error.contains("-s needs a seed"));
    }

    @Test
    public void everyScenarioFileOfScenariosMdLoadsAndMeetsItsExpectations() throws Exception {
        List<String> files = new ArrayList<>();
        boolean in = false;
        StringBuilder b = null;
        for (String line : doc("scenarios.md").split("\n")) {
            if (line.equals("```yaml")) {
                in = true;
                b = new StringBuilder();
            } else if (in && line.startsWith("```")) {
                in = false;
                files.add(b.toString());
            } else if (in) {
                b.append(line).append('\n');
            }
        }
        assertTrue("scenarios.md shows scenario files: " + files.size(), files.size() >= 2);
        for (String shown : files) {
            // a file the catalog ships (the example) is loaded under a name of its own, as a user's copy would be
            String yaml = shown.replaceFirst("(?m)^name: (\\S+)", "name: $1-from-the-docs");
            Path file = Files.createTempFile("scenarios-md-", ".yaml");
            Files.writeString(file, yaml);
            Matcher name = Pattern.compile("(?m)^name: (\\S+)").matcher(yaml);
            assertTrue(yaml, name.find());
            assertTrue(name.group(1), name.group(1).endsWith("-from-the-docs"));
            String listed = executeCommandOrFail("pinlab:scenarios --load " + file);
            assertTrue(listed, listed.contains(name.group(1)));
            Matcher seeds = Pattern.compile("(?m)^seeds: (\\d+)").matcher(yaml);
            String n = seeds.find() ? seeds.group(1) : "5";
            String compare = executeCommandOrFail("pinlab:compare -n " + n + " " + file);
            Matcher meet = Pattern.compile("(\\d+) of (\\d+) combinations meet").matcher(compare);
            assertTrue(compare, meet.find());
            assertEquals(name.group(1) + ":\n" + compare, meet.group(2), meet.group(1));
        }
    }
}
