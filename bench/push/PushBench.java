import io.flocker.volume.NodeIdentity;
import io.flocker.volume.VolumeName;
import io.flocker.volume.VolumeService;
import io.flocker.volume.docker.DockerDataContainers;
import io.flocker.volume.push.Destination;
import io.flocker.volume.push.PushOptions;
import io.flocker.volume.push.PushResult;
import io.flocker.volume.push.Pusher;
import io.flocker.volume.push.SshRemoteNode;
import io.flocker.volume.push.SshSettings;
import io.flocker.volume.push.TransferListener;
import io.flocker.volume.zfs.ZfsStoragePool;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.List;

/**
 * The Java side of bench/push: pushes volume NAME (already filled) from pool
 * A to node B over the guest's sshd, and prints the time, the cipher and the
 * heap's peak during the push.
 * Usage: PushBench CONFIG_A POOL_A MOUNT_A NAME REMOTE_COMMAND
 */
public final class PushBench {
    public static void main(String[] args) {
        VolumeService a = new VolumeService(NodeIdentity.load(Path.of(args[0])).uuid(),
            ZfsStoragePool.open(args[1], Path.of(args[2])), new DockerDataContainers("busybox"));
        SshSettings ssh = SshSettings.defaults().withIdentities(List.of(Path.of("/root/.ssh/id_ed25519")))
            .withKnownHosts(Path.of("/root/.ssh/known_hosts")).withRemoteCommand(args[4]);
        System.gc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) p.resetPeakUsage();
        long t0 = System.nanoTime();
        String cipher;
        PushResult r;
        try (SshRemoteNode b = SshRemoteNode.connect(Destination.parse("root@127.0.0.1"), ssh)) {
            cipher = b.cipher();
            r = new Pusher(a).push(VolumeName.of(args[3]), b, new PushOptions(2, TransferListener.NONE));
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        long peak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) peak += p.getPeakUsage().getUsed();
        }
        System.out.printf("PUSH seconds=%.2f bytes=%d cipher=%s heap_peak_mib=%.1f%n", secs, r.bytes(), cipher,
            peak / 1048576.0);
    }
}
