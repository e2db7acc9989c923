package io.flocker.cli;

import io.flocker.node.NodeServer;
import io.flocker.plugin.PluginServer;
import io.flocker.sockets.SocketAccess;
import io.flocker.sockets.SocketFiles;
import io.flocker.volume.VolumeDriver;
import io.flocker.volume.VolumeLocks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code agent}: the resident service of a host, one volume service behind
 * Docker's volume plugin socket and the node socket that other machines'
 * pushes reach through SSH; served until SIGTERM. {@code plugin} is its old
 * name, which serves the node socket only when given one.
 */
@Command(name = "agent", mixinStandardHelpOptions = true, description = {
    "Serve this host's volumes until stopped (SIGTERM or SIGINT: requests in flight finish, the sockets are removed):",
    "Docker's volume plugin API (docker volume create -d NAME, docker run -v VOLUME:/path; NAME is the plugin "
        + "socket's file name without .sock), and the node socket through which pushes from other machines, "
        + "over SSH stream forwarding, reach this node without starting a process here.",
    "On start it mounts every volume that must be mounted, then puts every volume right as repair does (waiting for "
        + "Docker where that needs it), forgetting the plugin users of volumes that no container has (their unmounts "
        + "never came).",
    "Volume options (-o): quota (a size like 10G), recordsize (a power of two from 512 to 1M), compression "
        + "(on, off, lz4, zstd, gzip, gzip-1 to gzip-9, zle, lzjb)."})
class AgentCommand implements Callable<Integer> {
    @ParentCommand
    FlockerVolume root;

    @Option(names = "--socket", paramLabel = "PATH",
        description = "the socket dockerd finds the plugin by (default: ${DEFAULT-VALUE})")
    Path socket = PluginServer.DEFAULT_SOCKET;

    @Option(names = "--socket-group", paramLabel = "GROUP",
        description = "also let members of GROUP (its gid, or listed in /etc/group) call the plugin: the socket is "
            + "made 0660 and owned by GROUP; without it, 0600, for root and the user the agent runs as")
    String socketGroup;

    @Option(names = "--node-socket", paramLabel = "PATH",
        description = "the node socket pushes reach through SSH; 'none' serves none (default: "
            + "/run/flocker/node.sock)")
    String nodeSocket;

    @Option(names = "--node-socket-group", paramLabel = "GROUP",
        description = "also let members of GROUP push to this node through the node socket (0660); without it, "
            + "0600: root and the user the agent runs as, which is whom SSH logins must be")
    String nodeSocketGroup;

    @Option(names = "--control-socket", paramLabel = "PATH",
        description = "the socket through which this host's flocker-volume push and handoff run in the agent (root "
            + "only); 'none' serves none (default: /run/flocker/agent.sock)")
    String controlSocket;

    /** Where the node socket is when no --node-socket is given; null for none. */
    Path defaultNodeSocket() {
        return NodeServer.DEFAULT_SOCKET;
    }

    /** Where the control socket is when no --control-socket is given; null for none. */
    Path defaultControlSocket() {
        return ControlRequests.DEFAULT_SOCKET;
    }

    @Override
    public Integer call() throws InterruptedException {
        // Checked before anything is opened or mounted: a group that does not exist changes nothing.
        SocketAccess access = socketGroup == null ? SocketAccess.ownerOnly() : SocketAccess.withGroup(socketGroup);
        Path node = nodeSocket == null ? defaultNodeSocket() : nodeSocket.equals("none") ? null : Path.of(nodeSocket);
        SocketAccess nodeAccess = nodeSocketGroup == null ? SocketAccess.ownerOnly()
            : SocketAccess.withGroup(nodeSocketGroup);
        if (node == null && nodeSocketGroup != null) {
            throw new io.flocker.volume.VolumeException("--node-socket-group is for a node socket, and there is none");
        }
        if (node != null && nodeSocketGroup != null
            && node.toAbsolutePath().normalize().getParent().equals(VolumeLocks.DEFAULT_DIRECTORY.getParent())) {
            // made 0700 by the first lock taken, whether or not it is there yet
            throw new io.flocker.volume.VolumeException("--node-socket-group " + nodeSocketGroup + ": the group could not "
                + "reach a node socket in " + node.getParent() + ", which is root's alone (the locks live there); give the "
                + "socket a directory of its own, such as /run/flocker-node/" + node.getFileName());
        }
        if (node != null) SocketFiles.requireGroupCanReach(node, nodeAccess, "the node socket");
        Path control = controlSocket == null ? defaultControlSocket() : controlSocket.equals("none") ? null
            : Path.of(controlSocket);
                try (FlockerVolume.Session s = root.open()) {
            // Volumes stay mounted for their whole life: put right what a restart or a broken command left.
            // (each one it mounts is logged)
            s.service().mountAll();
            NodeServer nodeServer = node == null ? null
                : NodeServer.start(node, nodeAccess, new NodeRequests(s, root.verbose));
            NodeServer controlServer = null;
            PluginServer server;
            try {
                controlServer = control == null ? null : NodeServer.start(control, "control socket",
                    SocketAccess.ownerOnly(), new ControlRequests(s, root), NodeServer.IDLE_TIMEOUT);
                server = PluginServer.start(socket, access, new VolumeDriver(s.service()), root.verbose);
            } catch (RuntimeException e) {
                if (controlServer != null) controlServer.close();
                if (nodeServer != null) nodeServer.close();
                throw e;
            }
            NodeServer controlToStop = controlServer;
            // SIGTERM runs shutdown hooks: stopping there lets requests in flight finish.
            // Both stop at once: each lets its own requests in flight finish.
            Thread stop = new Thread(() -> {
                List<Thread> draining = new ArrayList<>();
                for (NodeServer n : java.util.Arrays.asList(nodeServer, controlToStop)) {
                    if (n == null) continue;
                    Thread t = new Thread(n::close, "flocker-node-stop");
                    t.start();
                    draining.add(t);
                }
                try {
                    server.close();
                } finally {
                    for (Thread t : draining) {
                        try {
                            t.join();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }
            }, "flocker-agent-stop");
            Runtime.getRuntime().addShutdownHook(stop);
            StartupRepair.start(s.service());
            if (nodeServer != null) root.err().println("flocker-volume: serving the node socket on " + nodeServer.socket());
            if (controlServer != null) {
                root.err().println("flocker-volume: serving the control socket on " + controlServer.socket());
            }
            root.err().println("flocker-volume: serving the volume plugin on " + server.socket() + " (pool "
                + s.service().pool().name() + ", node " + s.service().node() + ")");
            root.err().flush();
            server.join();
        }
        return 0;
    }

    /** {@code plugin}: the agent under its old name; it serves a node socket only when given one. */
    @Command(name = "plugin", mixinStandardHelpOptions = true, description = {
        "The agent under its old name (see agent), serving Docker's volume plugin API; it serves a node socket only "
            + "when --node-socket names one.",
        "Volume options (-o): quota (a size like 10G), recordsize (a power of two from 512 to 1M), compression "
            + "(on, off, lz4, zstd, gzip, gzip-1 to gzip-9, zle, lzjb)."})
    static final class Plugin extends AgentCommand {
        @Override
        Path defaultNodeSocket() {
            return null;
        }

        @Override
        Path defaultControlSocket() {
            return null;
        }
    }
}
