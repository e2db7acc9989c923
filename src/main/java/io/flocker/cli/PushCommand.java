package io.flocker.cli;

import io.flocker.ssh.Destination;
import io.flocker.volume.VolumeName;
import io.flocker.volume.push.PushOptions;
import io.flocker.volume.push.PushResult;
import io.flocker.volume.push.Pusher;
import io.flocker.volume.push.SshRemoteNode;
import io.flocker.volume.push.TransferListener;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code push NAME DESTINATION}: send this node's volume to another machine over SSH. */
@Command(name = "push", mixinStandardHelpOptions = true, description = {
    "Send a copy of this node's volume NAME to DESTINATION ([user@]host[:port]) over SSH: a snapshot, sent",
    "incrementally from the newest snapshot both sides have. The copy there is read-only."})
final class PushCommand implements Callable<Integer> {
    @ParentCommand
    FlockerVolume root;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", paramLabel = "DESTINATION")
    String destination;

    @Mixin
    SshOptions ssh;

    @Override
    public Integer call() {
        VolumeName n = VolumeName.of(name);
        Destination d = Destination.parse(destination);
        try (FlockerVolume.Session s = root.open(); SshRemoteNode remote = SshRemoteNode.connect(d, ssh.settings(root))) {
            if (root.verbose) root.err().println("flocker-volume: connected to " + d + ", cipher " + remote.cipher());
            PushResult r = new Pusher(s.service()).push(n, remote, new PushOptions(ssh.keep, progress(root)));
            root.out().println(describe(r));
            if (root.verbose) root.err().println("flocker-volume: " + d + " was reached through " + remote.transport());
        }
        return 0;
    }

    /** A bar on this process's terminal; none when the agent runs the command for a CLI. */
    static TransferListener progress(FlockerVolume root) {
        return root.caller == null && ProgressBar.stderrIsTerminal() ? new ProgressBar(System.err) : TransferListener.NONE;
    }

    static String describe(PushResult r) {
        return r.snapshot() + (r.incremental() ? " (incremental from " + r.from() + ")" : " (full)") + ", " + r.bytes()
            + " bytes" + (r.resumedBytes() > 0 ? ", after finishing a broken push with " + r.resumedBytes() + " bytes" : "");
    }
}
