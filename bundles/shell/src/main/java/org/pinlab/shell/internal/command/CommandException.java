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

    static void check(boolean ok, String message) {
        if (!ok) {
            throw new CommandException(message);
        }
    }
}
