import io.flocker.ssh.Destination;
import io.flocker.ssh.SshSettings;
import io.flocker.volume.NodeIdentity;
import io.flocker.volume.VolumeName;
import io.flocker.volume.VolumeService;
import io.flocker.volume.docker.DockerDataContainers;
import io.flocker.volume.push.PushOptions;
import io.flocker.volume.push.PushResult;
import io.flocker.volume.push.Pusher;
import io.flocker.volume.push.SshRemoteNode;
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
 * Usage: PushBench CONFIG_A POOL_A MOUNT_A NAME REMOTE_COMMAND [CIPHER]
 * (without CIPHER, the one the library picks for this CPU).
 * FLOCKER_BENCH_NODE_SOCKET names the agent's node socket over there (else
 * the remote command runs by exec); FLOCKER_BENCH_HANDOFF=1 hands the volume
 * over instead, and prints how long writes were stopped: from the end of the
 * handoff's first push until it returned (the other side then owns it).
 */
public final class PushBench {
    public static void main(String[] args) {
        VolumeService a = new VolumeService(NodeIdentity.load(Path.of(args[0])).uuid(),
            ZfsStoragePool.open(args[1], Path.of(args[2])), new DockerDataContainers("busybox"));
        SshSettings ssh = SshSettings.defaults().withIdentities(List.of(Path.of("/root/.ssh/id_ed25519")))
            .withKnownHosts(Path.of("/root/.ssh/known_hosts")).withRemoteCommand(args[4]);
        String socket = System.getenv("FLOCKER_BENCH_NODE_SOCKET");
        ssh = ssh.withNodeSocket(socket == null || socket.isEmpty() ? null : socket);
        boolean handoff = "1".equals(System.getenv("FLOCKER_BENCH_HANDOFF"));
        if (args.length > 5) ssh = ssh.withCiphers(List.of(args[5]));
        System.gc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) p.resetPeakUsage();
        long t0 = System.nanoTime();
        long[] at = new long[3]; // connected, stream started (the receiver has answered), stream done
        List<long[]> streams = new java.util.ArrayList<>(); // each stream's start and end (a handoff sends two)
        TransferListener phases = new TransferListener() {
            @Override public void started(String what, long estimated) {
                at[1] = System.nanoTime();
                streams.add(new long[] {at[1], 0});
            }
            @Override public void finished(long bytes) {
                at[2] = System.nanoTime();
                if (!streams.isEmpty()) streams.get(streams.size() - 1)[1] = at[2];
            }
        };
        String cipher, via;
        PushResult r;
        try (SshRemoteNode b = SshRemoteNode.connect(Destination.parse("root@127.0.0.1"), ssh)) {
            at[0] = System.nanoTime();
            cipher = b.cipher();
            PushOptions o = new PushOptions(2, phases);
            r = handoff ? new Pusher(a).handoff(VolumeName.of(args[3]), b, o) : new Pusher(a).push(VolumeName.of(args[3]), b, o);
            via = b.transport().startsWith("the agent's") ? "agent" : "exec";
        }
        long end = System.nanoTime();
        double secs = (end - t0) / 1e9;
        long peak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) peak += p.getPeakUsage().getUsed();
        }
        System.out.printf("PUSH seconds=%.2f bytes=%d via=%s incremental=%s cipher=%s heap_peak_mib=%.1f%n", secs, r.bytes(),
            via, r.incremental(), cipher, peak / 1048576.0);
        if (handoff && streams.size() >= 2) {
            long[] last = streams.get(streams.size() - 1);
            System.out.printf("HANDOFF writes_stopped_s=%.2f final_incremental_s=%.2f%n",
                (end - streams.get(streams.size() - 2)[1]) / 1e9, (last[1] - last[0]) / 1e9);
        }
        System.out.printf("PHASES connect=%.2f receiver_answer=%.2f stream=%.2f after=%.2f%n", (at[0] - t0) / 1e9,
            (at[1] - at[0]) / 1e9, (at[2] - at[1]) / 1e9, (end - at[2]) / 1e9);
    }
}
