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
}
