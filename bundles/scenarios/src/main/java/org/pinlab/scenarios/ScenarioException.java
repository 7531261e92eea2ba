package org.pinlab.scenarios;

/**
 * A scenario that cannot run as written: which file, where in it, and what was expected.
 * Nothing of the scenario has run or been set up when this is thrown.
 */
public final class ScenarioException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final int column;
    private final String problem;

    public ScenarioException(String source, int line, int column, String problem) {
        super(source + ":" + line + ":" + column + ": " + problem);
        this.source = source;
        this.line = line;
        this.column = column;
        this.problem = problem;
    }

    /** The file (or catalog entry) the scenario came from. */
    public String source() {
        return source;
    }

    /** 1-based line, or 0 when the problem is the file as a whole. */
    public int line() {
        return line;
    }

    /** 1-based column. */
    public int column() {
        return column;
    }

    /** The problem without its location. */
    public String problem() {
        return problem;
    }
}
