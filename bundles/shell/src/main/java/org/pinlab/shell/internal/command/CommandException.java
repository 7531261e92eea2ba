package org.pinlab.shell.internal.command;

/**
 * A wrong argument. Karaf prints the message of an exception thrown by a command as one
 * line ("Error executing command: ..."), without a stack trace for this type.
 */
final class CommandException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    CommandException(String message) {
        super(message);
    }

    /** The one line a user sees for a refused input: the scenario error or the bad value. */
    static CommandException of(RuntimeException e) {
        return e instanceof CommandException c ? c : new CommandException(e.getMessage());
    }

    /**
     * Refuses a count, seed or duration outside [{@code min}, {@code max}], naming the option
     * and the range.
     */
    static long inRange(String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw new CommandException(option + " must be "
                    + (max == Long.MAX_VALUE ? "at least " + min : "between " + min + " and " + max) + "; was " + value);
        }
        return value;
    }

    /** A machine seed: any number from 1 up, as every run, replay and comparison counts them. */
    static long seed(String option, long value) {
        return inRange(option, value, 1, Long.MAX_VALUE);
    }

    /** {@code " (did you mean 'x'?)"} for the nearest of {@code valid}, or "". */
    static String suggestion(String given, java.util.List<String> valid) {
        String near = org.pinlab.api.device.Parameters.nearest(given, valid);
        return near != null ? " (did you mean '" + near + "'?)" : "";
    }

    static void check(boolean ok, String message) {
        if (!ok) {
            throw new CommandException(message);
        }
    }
}
