package io.flocker.volume.docker;

import io.flocker.volume.VolumeName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The running containers of a Docker daemon, as far as the volume manager
 * needs them: which of them write to a volume (a running container with a
 * mount of the volume's mountpoint, or of a directory inside it), and
 * stopping those on request. Containers that are created but not running
 * (a data container, a stopped consumer) are no writers and are not listed:
 * they write nothing until started, and once the volume is gone from its
 * path, starting them fails (their mounts are binds that Docker does not
 * create).
 */
public interface RunningContainers {
    /** A running container: its ID, its name (without Docker's leading '/') and its main process on this host. */
    record Container(String id, String name, long pid) {
        /** For messages: the name and the short ID. */
        public String describe() {
            return name + " (" + (id.length() > 12 ? id.substring(0, 12) : id) + ")";
        }
    }

    /**
     * The running containers that have {@code hostPath}, or a path inside
     * it, mounted.
     *
     * @throws DockerUnavailable when the daemon cannot be reached
     */
    List<Container> using(Path hostPath);

    /**
     * Stops a container: SIGTERM, then SIGKILL after {@code grace}; a
     * container that is not running any more is no error.
     *
     * @throws DockerUnavailable when the daemon cannot be reached
     */
    void stop(Container container, Duration grace);

    /**
     * Whether some container the daemon knows, running or stopped, has a
     * volume named {@code volume} among its mounts: a volume plugin's mount
     * can only be for such a container, so a recorded user of a volume that
     * none has is one whose unmount never came (the plugin was down). The
     * default cannot tell, so it rules nothing out.
     *
     * @throws DockerUnavailable when the daemon cannot be reached
     */
    default boolean anyHasVolume(VolumeName volume) {
        return true;
    }

    /** No daemon: nothing runs. For volume services built on data containers that are not Docker's. */
    RunningContainers NONE = new RunningContainers() {
        @Override
        public List<Container> using(Path hostPath) {
            return List.of();
        }

        @Override
        public void stop(Container container, Duration grace) {}
    };
}
