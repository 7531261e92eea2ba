package org.pinlab.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.pinlab.exam.PinlabExamSupport;

/**
 * docs/writing-a-bundle.md, read from the document itself and done as a user does it: its
 * shell commands run in a fresh directory (standing for the guide's {@value #WORK}), with the
 * Maven that runs this build, offline, against the same local repository; its Karaf commands
 * run in this distribution, and every output line the guide shows must be printed. So each
 * archetype is generated, its project builds and passes its own unit and Pax Exam tests, is
 * installed, deployed with feature:install or bundle:install, and shows in pinlab:types and
 * in a pinlab:compare table.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WritingABundleIT extends PinlabExamSupport {

    /** The directory the guide's commands work in; replaced by a temporary one. */
    static final String WORK = "/home/me/work";

    @Test
    public void everyCommandOfTheGuideWorksAsShown() throws Exception {
        String guide = Files.readString(Path.of(required("pinlab.guide")));
        List<DocSteps.Step> steps = DocSteps.parse(guide);
        for (String archetype : List.of("filesystem", "device", "strategy")) {
            assertTrue("the guide generates from pinlab-archetype-" + archetype, steps.stream().anyMatch(
                    s -> s.kind() == DocSteps.Kind.SHELL && s.command().contains("-DarchetypeArtifactId=pinlab-archetype-"
                            + archetype)));
        }
        Path base = Files.createDirectories(Path.of(required("pinlab.guide.work")));
        Path work = Files.createTempDirectory(base, "work");
        Path cwd = work;
        List<String> missing = new ArrayList<>();
        List<Path> generated = new ArrayList<>();
        for (DocSteps.Step step : steps) {
            String command = step.command().replace(WORK, work.toString());
            if (step.kind() == DocSteps.Kind.SHELL) {
                if (command.startsWith("cd ")) {
                    cwd = cwd.resolve(command.substring(3).strip()).normalize();
                    assertTrue("'" + step.command() + "': no such directory " + cwd, Files.isDirectory(cwd));
                    continue;
                }
                String out = shell(cwd, command);
                if (command.contains(":generate ")) {
                    generated.add(cwd.resolve(argument(command, "-DartifactId=")));
                }
                if (command.contains(" verify")) {
                    assertTrue("'" + step.command() + "' ran the project's Pax Exam test:\n" + out,
                            out.contains("IT") && out.contains("Tests run:") && out.contains("BUILD SUCCESS"));
                }
                continue;
            }
            String out = executeCommand(command);
            System.out.println("=== " + command + "\n" + out); // in the IT's output file, to update the guide
            for (String line : step.shown()) {
                if (!out.contains(line.replace(WORK, work.toString()))) {
                    missing.add("'" + step.command() + "' should print '" + line + "'");
                }
            }
        }
        assertTrue("the guide shows what its commands no longer print (their output is in this IT's output "
                + "file):\n" + String.join("\n", missing), missing.isEmpty());
        assertEquals("one project per archetype", 3, generated.size());
        for (Path project : generated) {
            List<String> pom = Files.readAllLines(project.resolve("pom.xml"));
            assertTrue(project + "/pom.xml has " + pom.size() + " lines; a generated bundle pom is at most 30",
                    pom.size() <= 30);
        }
        String types = executeCommand("pinlab:types");
        for (String bundle : List.of("com.example.ext9", "com.example.cam9", "com.example.pinwrites")) {
            assertTrue("pinlab:types shows " + bundle + ":\n" + types, types.contains(bundle));
        }
    }

    /** Runs one of the guide's shell commands; Maven is this build's, offline, on its local repository. */
    private static String shell(Path cwd, String command) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(Arrays.asList(command.split("\\s+")));
        assertEquals("the guide's shell commands are Maven commands: " + command, "mvn", argv.get(0));
        argv.set(0, Path.of(required("pinlab.maven.home"), "bin", "mvn").toString());
        assertTrue("the guide builds offline: " + command, argv.contains("-o"));
        argv.add(1, "-Dmaven.repo.local=" + required("pinlab.maven.repo.local"));
        File log = Files.createTempFile(cwd.getParent() == null ? cwd : cwd, "mvn", ".log").toFile();
        Process p = new ProcessBuilder(argv).directory(cwd.toFile()).redirectErrorStream(true)
                .redirectOutput(log).start();
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("'" + command + "' did not finish in 15 minutes; its output: " + log);
        }
        String out = Files.readString(log.toPath(), StandardCharsets.UTF_8);
        assertEquals("'" + command + "' in " + cwd + " failed:\n" + tail(out), 0, p.exitValue());
        return out;
    }

    private static String argument(String command, String prefix) {
        for (String word : command.split("\\s+")) {
            if (word.startsWith(prefix)) {
                return word.substring(prefix.length());
            }
        }
        throw new AssertionError("'" + command + "' has no " + prefix);
    }

    private static String tail(String out) {
        String[] lines = out.split("\n");
        return String.join("\n", Arrays.copyOfRange(lines, Math.max(0, lines.length - 60), lines.length));
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set: run the itests through "
                    + "Maven (mvn verify)");
        }
        return value;
    }
}
