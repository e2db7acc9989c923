package io.flocker.volume;

import java.nio.file.Path;

/** The node's identity file cannot be read, written or understood; the message names the file. */
public class ConfigException extends VolumeException {
    private static final long serialVersionUID = 1L;

    private final Path file;

    public ConfigException(Path file, String why, Throwable cause) {
        super("node identity file " + file + ": " + why, cause);
        this.file = file;
    }

    /** The identity file. */
    public Path file() {
        return file;
    }
}
