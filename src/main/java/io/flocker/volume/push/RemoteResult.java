package io.flocker.volume.push;

import io.flocker.volume.VolumeException;
import java.io.IOException;

/**
 * How a remote flocker-volume command ended.
 *
 * @param exitStatus its exit status; -1 when the connection ended before it said
 * @param stdout what it printed (at most 4 MiB)
 * @param stderr its error output (the last 64 KiB)
 * @param inputFailure why feeding its standard input stopped early, or null
 */
public record RemoteResult(int exitStatus, String stdout, String stderr, IOException inputFailure) {
    /** Whether it exited 0 and took all its input. */
    public boolean ok() {
        return exitStatus == 0 && inputFailure == null;
    }

    /**
     * The remote's own explanation: its last non-empty stderr line, without the program-name prefix, its
     * control characters shown as escapes (a hostile or confused remote cannot drive the terminal).
     */
    public String reason() {
        String[] lines = stderr.strip().split("\n");
        String last = lines.length == 0 ? "" : lines[lines.length - 1].strip();
        if (last.startsWith("flocker-volume: ")) last = last.substring("flocker-volume: ".length());
        if (!last.isEmpty()) return VolumeException.printable(last);
        if (inputFailure != null) return "the stream could not be sent: " + inputFailure.getMessage();
        return exitStatus == -1 ? "the connection ended before the command did" : "it exited with status " + exitStatus;
    }
}
