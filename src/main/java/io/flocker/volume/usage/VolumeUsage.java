package io.flocker.volume.usage;

import io.flocker.volume.docker.RunningContainers;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may write to a volume besides its own mount: what an operation that
 * must stop every writer (the last push of a handoff, destroy) refuses.
 *
 * @param containers running containers with the volume's mountpoint (or a directory in it) mounted
 * @param pluginUsers the mount IDs Docker's volume plugin recorded for it
 * @param mounts mounts of its dataset other than its own mount, in mount
 *     namespaces that no listed container runs in and that an unmount here
 *     does not reach
 */
public record VolumeUsage(List<RunningContainers.Container> containers, Set<String> pluginUsers,
                          List<NamespaceMount> mounts) {
    public VolumeUsage {
        containers = List.copyOf(containers);
        pluginUsers = Set.copyOf(pluginUsers);
        mounts = List.copyOf(mounts);
    }

    /** Nobody but the volume's own mount. */
    public boolean isEmpty() {
        return containers.isEmpty() && pluginUsers.isEmpty() && mounts.isEmpty();
    }

    /** The users, named: "running container web (3f2a...); plugin mount ID 8c1d...; mount namespace ...". */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (!containers.isEmpty()) {
            parts.add((containers.size() == 1 ? "running container " : "running containers ")
                + containers.stream().map(RunningContainers.Container::describe).collect(Collectors.joining(", ")));
        }
        if (!pluginUsers.isEmpty()) {
            parts.add((pluginUsers.size() == 1 ? "Docker plugin mount ID " : "Docker plugin mount IDs ")
                + pluginUsers.stream().sorted().map(u -> u.length() > 12 ? u.substring(0, 12) : u)
                    .collect(Collectors.joining(", ")));
        }
        for (NamespaceMount m : mounts) parts.add(m.describe());
        return String.join("; ", parts);
    }
}
