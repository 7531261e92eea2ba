package org.pinlab.itests;

import java.util.ArrayList;
import java.util.List;

/**
 * The commands a Markdown document shows, in order, for the ITs that check documents: in a
 * fenced block, a line starting {@code karaf@root()> } is a Karaf command and the lines
 * under it (but "...") are output it must print; a line starting {@code $ } is a shell
 * command.
 */
final class DocSteps {

    static final String KARAF = "karaf@root()> ";
    static final String SHELL = "$ ";

    enum Kind { KARAF, SHELL }

    /** One command of a document and the output lines it shows for it. */
    record Step(Kind kind, String command, List<String> shown) {
    }

    private DocSteps() {
    }

    /** The section of {@code markdown} under the heading {@code heading}, up to the next of its level. */
    static String section(String markdown, String heading) {
        int start = markdown.indexOf("\n" + heading + "\n");
        if (start < 0) {
            throw new AssertionError("the document has no '" + heading + "' section");
        }
        String level = heading.substring(0, heading.indexOf(' ') + 1);
        int end = markdown.indexOf("\n" + level, start + 1);
        return markdown.substring(start, end < 0 ? markdown.length() : end);
    }

    static List<Step> parse(String markdown) {
        List<Step> steps = new ArrayList<>();
        boolean inBlock = false;
        for (String line : markdown.split("\n")) {
            if (line.startsWith("```")) {
                inBlock = !inBlock;
            } else if (inBlock && line.startsWith(KARAF)) {
                steps.add(new Step(Kind.KARAF, line.substring(KARAF.length()).strip(), new ArrayList<>()));
            } else if (inBlock && line.startsWith(SHELL)) {
                steps.add(new Step(Kind.SHELL, line.substring(SHELL.length()).strip(), new ArrayList<>()));
            } else if (inBlock && !steps.isEmpty() && !line.isBlank() && !line.strip().equals("...")) {
                steps.get(steps.size() - 1).shown().add(line.strip());
            }
        }
        return steps;
    }
}
