package io.flocker.cli;

import io.flocker.node.NodeServer;
import io.flocker.volume.VolumeException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;

/**
 * What the agent's node socket serves: the lines a pushing node would run
 * here over SSH exec (receive-state, receive, acquire, and none, which asks
 * the node's UUID), read by {@link ProtocolLine} and run by the very
 * commands the CLI runs, on the agent's one volume service, so that the
 * checks, errors and locks are the CLI's. Nothing else: no other command,
 * and no option before the command (the agent serves its own pool and node).
 */
final class NodeRequests implements NodeServer.Handler {
    private final FlockerVolume.Session session;
    private final boolean verbose;

    NodeRequests(FlockerVolume.Session session, boolean verbose) {
        this.session = session;
        this.verbose = verbose;
    }

    @Override
    public int handle(List<String> args, InputStream stdin, PrintWriter stdout, PrintWriter stderr) {
        if (args.isEmpty()) {
            stdout.println(session.service().node());
            return 0;
        }
        if (args.get(0).startsWith("-")) {
            return refuse(stderr, "the node socket takes no option before the command (it serves its own pool and "
                + "node): " + VolumeException.quote(args.get(0)));
        }
        Integer status = ProtocolLine.runShared(session, verbose, stdin, stdout, stderr, args.toArray(String[]::new));
        if (status == null) {
            return refuse(stderr, "the node socket serves receive-state, receive and acquire, as a push sends them, "
                + "not " + VolumeException.quote(String.join(" ", args)));
        }
        return status;
    }

    private static int refuse(PrintWriter err, String why) {
        err.println("flocker-volume: " + why);
        return 2;
    }
}
