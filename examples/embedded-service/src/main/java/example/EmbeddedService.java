package example;

import io.flocker.ssh.Destination;
import io.flocker.ssh.SshSettings;
import io.flocker.volume.NodeIdentity;
import io.flocker.volume.Volume;
import io.flocker.volume.VolumeName;
import io.flocker.volume.VolumeService;
import io.flocker.volume.docker.DockerDataContainers;
import io.flocker.volume.push.PushOptions;
import io.flocker.volume.push.PushResult;
import io.flocker.volume.push.Pusher;
import io.flocker.volume.push.SshRemoteNode;
import io.flocker.volume.zfs.ZfsStoragePool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service that keeps one volume of its own: creates it, writes to it,
 * lists the pool, snapshots it, pushes it to another node over SSH, and
 * destroys it. What the library does shows in this service's log.
 *
 * <p>Arguments: identity file, pool, mount root, SSH destination, the
 * command that runs flocker-volume there, an SSH key, a known_hosts file.
 */
public final class EmbeddedService {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedService.class);

    public static void main(String[] args) throws Exception {
        if (args.length != 7) {
            System.err.println("usage: EmbeddedService IDENTITY POOL MOUNTROOT DESTINATION REMOTE_COMMAND KEY KNOWN_HOSTS");
            System.exit(2);
        }
        NodeIdentity me = NodeIdentity.load(Path.of(args[0]));
        try (DockerDataContainers docker = new DockerDataContainers("busybox")) {
            VolumeService volumes = new VolumeService(me.uuid(), ZfsStoragePool.open(args[1], Path.of(args[2])), docker);
            VolumeName name = VolumeName.of("example-db");
            Volume v = volumes.create(name, Path.of("/var/lib/db"));
            Files.writeString(v.mountpoint().resolve("table"), "first row\n");
            for (Volume each : volumes.list()) LOG.info("in the pool: {} of node {}", each.name().value(), each.owner());
            volumes.pool().snapshot(v.id(), "nightly");
            LOG.info("snapshots of {}: {}", name.value(), volumes.snapshots(me.uuid(), name));

            SshSettings ssh = SshSettings.defaults().withRemoteCommand(args[4])
                .withIdentities(List.of(Path.of(args[5]))).withKnownHosts(Path.of(args[6]));
            try (SshRemoteNode there = SshRemoteNode.connect(Destination.parse(args[3]), ssh)) {
                PushResult r = new Pusher(volumes).push(name, there, PushOptions.defaults());
                LOG.info("the service pushed snapshot {} ({} bytes)", r.snapshot(), r.bytes());
            }
            volumes.destroy(name);
        }
    }
}
