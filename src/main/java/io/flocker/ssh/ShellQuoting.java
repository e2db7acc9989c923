package io.flocker.ssh;

import java.util.List;

/**
 * Quoting for the command an SSH server hands to the remote user's shell.
 * Every argument is single-quoted, so no character in a volume name, path or
 * option can end the argument or start another command.
 */
public final class ShellQuoting {
    private ShellQuoting() {}

    /** {@code arg} as one POSIX shell word: in single quotes, each ' written as '"'"'. */
    public static String quote(String arg) {
        return "'" + arg.replace("'", "'\"'\"'") + "'";
    }

    /**
     * {@code prefix} (the remote command, as the user gave it, e.g. "sudo
     * flocker-volume") followed by every argument quoted.
     */
    public static String command(String prefix, List<String> args) {
        StringBuilder b = new StringBuilder(prefix);
        for (String a : args) b.append(' ').append(quote(a));
        return b.toString();
    }
}
