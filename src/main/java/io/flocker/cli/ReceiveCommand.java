package io.flocker.cli;

import io.flocker.volume.MountPaths;
import io.flocker.volume.NodeIds;
import io.flocker.volume.VolumeName;
import io.flocker.volume.push.PushOptions;
import io.flocker.volume.push.RemoteProtocol;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code receive UUID NAME}: the receiving end of a push; the stream comes on standard input. */
@Command(name = "receive", mixinStandardHelpOptions = true, description = {
    "Receive a send stream of volume NAME of node UUID on standard input, as a read-only, mounted copy.",
    "A bad, truncated or mismatched stream changes nothing here (a broken one leaves a resumable part)."})
final class ReceiveCommand implements Callable<Integer> {
    @ParentCommand
    FlockerVolume root;

    @Parameters(index = "0", paramLabel = "UUID", description = "the owner node's UUID")
    String owner;

    @Parameters(index = "1", paramLabel = "NAME")
    String name;

    @Option(names = "--mount-path", paramLabel = "PATH", description = "where containers see the volume (default: /NAME)")
    String mountPath;

    @Option(names = "--no-mount-path",
        description = "record no mount path: the copy of a volume Docker's plugin made (no data container when acquired)")
    boolean noMountPath;

    @Option(names = "--keep", paramLabel = "N", converter = KeepCount.class,
        description = "push snapshots to keep (default: ${DEFAULT-VALUE})")
    int keep = PushOptions.DEFAULT_KEEP;

    @Option(names = "--epoch", paramLabel = "N",
        description = "the sender's epoch of the volume: recorded with the copy; a former owner's push is refused")
    long epoch = -1;

    @Option(names = "--announce",
        description = "first print, as one line of JSON, what this node holds of the volume (as receive-state does)")
    boolean announce;

    @Override
    public Integer call() {
        var o = NodeIds.parse(owner);
        VolumeName n = VolumeName.of(name);
        if (noMountPath && mountPath != null) {
            throw new io.flocker.volume.VolumeException("--mount-path and --no-mount-path exclude each other");
        }
        Path p = noMountPath ? null : MountPaths.of(mountPath != null ? mountPath : "/" + n.value());
        try (FlockerVolume.Session s = root.open()) {
            // The sender may be this very node (its lock is this lock): say who this is, and refuse, unlocked.
            if (announce && o.equals(s.service().node())) announce(s, o, n);
            s.service().checkReceivable(o, n);
            receive(s, o, n, p);
        }
        return 0;
    }

    private void announce(FlockerVolume.Session s, java.util.UUID o, VolumeName n) {
        // The sender reads this line, then chooses the stream: one process, one start-up.
        root.out().println(RemoteProtocol.frame(ReceiveStateCommand.json(s.service().receiveState(o, n), s.service().node())));
        root.out().flush();
    }

    private void receive(FlockerVolume.Session s, java.util.UUID o, VolumeName n, Path p) {
        try (var held = s.service().lock(n, "receive from node " + o)) {
            // Held from the announcement to the end: what the sender plans from stays true.
            if (announce) announce(s, o, n);
            // Over SSH exec the kernel reads the stream straight from descriptor 0; from the agent's socket, pumped.
            String snap = s.service().receive(o, n, p, root.stdin(), keep, epoch);
            root.out().println(snap);
        }
    }
}
