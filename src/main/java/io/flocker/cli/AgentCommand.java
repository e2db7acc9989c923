package io.flocker.cli;

import io.flocker.plugin.PluginServer;
import io.flocker.sockets.SocketAccess;
import io.flocker.volume.VolumeDriver;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code plugin [--socket PATH]}: Docker's volume plugin, served until SIGTERM. */
@Command(name = "plugin", mixinStandardHelpOptions = true, description = {
    "Serve Docker's volume plugin API on a unix socket until stopped (SIGTERM or SIGINT: requests in flight finish, "
        + "the socket is removed), so that docker volume create -d NAME and docker run -v VOLUME:/path use this "
        + "node's volumes. NAME is the socket's file name without .sock.",
    "Volume options (-o): quota (a size like 10G), recordsize (a power of two from 512 to 1M), compression "
        + "(on, off, lz4, zstd, gzip, gzip-1 to gzip-9, zle, lzjb)."})
final class PluginCommand implements Callable<Integer> {
    @ParentCommand
    FlockerVolume root;

    @Option(names = "--socket", paramLabel = "PATH",
        description = "the socket dockerd finds the plugin by (default: ${DEFAULT-VALUE})")
    Path socket = PluginServer.DEFAULT_SOCKET;

    @Option(names = "--socket-group", paramLabel = "GROUP",
        description = "also let members of GROUP (its gid, or listed in /etc/group) call: the socket is made 0660 "
            + "and owned by GROUP; without it, 0600, for root and the user the plugin runs as")
    String socketGroup;

    @Override
    public Integer call() throws InterruptedException {
        // Checked before anything is opened or mounted: a group that does not exist changes nothing.
        SocketAccess access = socketGroup == null ? SocketAccess.ownerOnly() : SocketAccess.withGroup(socketGroup);
        try (FlockerVolume.Session s = root.open()) {
            // Volumes stay mounted for their whole life: put right what a restart or a broken command left.
            // (each one it mounts is logged)
            s.service().mountAll();
            VolumeDriver driver = new VolumeDriver(s.service());
            PluginServer server = PluginServer.start(socket, access, driver, root.verbose);
            // SIGTERM runs shutdown hooks: stopping there lets requests in flight finish.
            Thread stop = new Thread(server::close, "flocker-plugin-stop");
            Runtime.getRuntime().addShutdownHook(stop);
            root.err().println("flocker-volume: serving the volume plugin on " + server.socket() + " (pool "
                + s.service().pool().name() + ", node " + driver.node() + ")");
            root.err().flush();
            server.join();
        }
        return 0;
    }
}
