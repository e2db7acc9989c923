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
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code handoff NAME DESTINATION}: push, then make the other machine the volume's owner. */
@Command(name = "handoff", mixinStandardHelpOptions = true, description = {
    "Hand this node's volume NAME over to DESTINATION: push it, stop writes here, push what changed,",
    "and have the other machine take it over. This node keeps a read-only copy.",
    "A volume in use (running containers, plugin users, mounts in other namespaces) is refused, naming them.",
    "If a step fails, exactly one node owns the volume and the error says where it stopped."})
final class HandoffCommand implements Callable<Integer> {
    @ParentCommand
    FlockerVolume root;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", paramLabel = "DESTINATION")
    String destination;

    @Mixin
    SshOptions ssh;

    @Option(names = "--stop-containers", description = {
        "stop the running containers that use the volume before the final push (by default a volume in use is",
        "refused, naming its users); other users (the plugin's, mounts in other namespaces) are refused all the same"})
    boolean stopContainers;

    @Override
    public Integer call() {
        VolumeName n = VolumeName.of(name);
        Destination d = Destination.parse(destination);
        try (FlockerVolume.Session s = root.open(); SshRemoteNode remote = SshRemoteNode.connect(d, ssh.settings(root))) {
            if (root.verbose) root.err().println("flocker-volume: connected to " + d + ", cipher " + remote.cipher());
            TransferListener bar = PushCommand.progress(root);
            TransferListener told = new TransferListener() {
                @Override public void started(String what, long estimated) { bar.started(what, estimated); }
                @Override public void progress(long bytes) { bar.progress(bytes); }
                @Override public void finished(long bytes) { bar.finished(bytes); }
                @Override public void note(String message) {
                    root.err().println("flocker-volume: " + message);
                    root.err().flush();
                }
            };
            PushResult r = new Pusher(s.service()).handoff(n, remote, new PushOptions(ssh.keep, told, stopContainers));
            root.out().println("handed over to " + remote.nodeId() + ": " + PushCommand.describe(r));
            if (root.verbose) root.err().println("flocker-volume: " + d + " was reached through " + remote.transport());
        }
        return 0;
    }
}
