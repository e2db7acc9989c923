package io.flocker.volume.usage;

import io.flocker.volume.StoragePool;
import io.flocker.volume.Volume;
import io.flocker.volume.docker.RunningContainers;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Finds a volume's users ({@link VolumeUsage}) from three places: Docker's
 * running containers, the users the volume plugin recorded with the volume,
 * and the mount table of every mount namespace.
 *
 * <p>A mount of the dataset counts unless it is the volume's own (this
 * process's namespace, at the volume's mountpoint), or a peer or slave of
 * it (an unmount here reaches it too: systemd services with private mounts
 * hold such copies), or in the namespace of a container already listed (a
 * container is named once, by its name, not by its namespace).
 */
public final class UsageProbe {
    private final StoragePool pool;
    private final RunningContainers docker;
    private final MountTable mounts;

    public UsageProbe(StoragePool pool, RunningContainers docker, MountTable mounts) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.docker = Objects.requireNonNull(docker, "docker");
        this.mounts = Objects.requireNonNull(mounts, "mounts");
    }

    /** The users of {@code v} now. */
    public VolumeUsage of(Volume v) {
        List<RunningContainers.Container> containers = v.mountpoint() == null ? List.of() : docker.using(v.mountpoint());
        Set<String> pluginUsers = pool.users(v.id());
        List<NamespaceMount> all = mounts.mountsOf(v.dataset());
        long own = all.isEmpty() ? 0 : mounts.ownNamespace();
        int ownGroup = 0;
        for (NamespaceMount m : all) {
            if (isOwn(m, own, v)) ownGroup = m.sharedGroup();
        }
        Set<Long> containerNamespaces = new HashSet<>();
        for (RunningContainers.Container c : containers) {
            for (NamespaceMount m : all) {
                if (m.processes().stream().anyMatch(p -> p.pid() == c.pid())) containerNamespaces.add(m.namespace());
            }
        }
        int group = ownGroup;
        List<NamespaceMount> others = all.stream()
            .filter(m -> !isOwn(m, own, v) && !m.follows(group) && !containerNamespaces.contains(m.namespace()))
            .toList();
        return new VolumeUsage(containers, pluginUsers, others);
    }

    private static boolean isOwn(NamespaceMount m, long own, Volume v) {
        return m.namespace() == own && m.root().equals("/") && m.mountpoint().equals(v.mountpoint());
    }
}
