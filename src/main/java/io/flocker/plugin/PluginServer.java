package io.flocker.plugin;

import io.flocker.volume.VolumeDriver;
import io.flocker.volume.VolumeException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Docker's volume plugin API served on a unix socket by Jetty: dockerd finds
 * a plugin named NAME by its socket {@code /run/docker/plugins/NAME.sock}.
 *
 * <p>{@link #close} stops gracefully: no new connection is accepted, the
 * requests in flight finish (for up to {@link #STOP_TIMEOUT}), then the
 * connections close and the socket file is removed. A client that stalls in
 * the middle of sending a request is cut off a second into the stop (Jetty's
 * idle timeout while stopping); dockerd sends each request whole. Idle
 * keep-alive connections do not hold the stop up. dockerd retries a call
 * whose connection failed, so a plugin restarted within half a minute is
 * not noticed.
 */
public final class PluginServer implements AutoCloseable {
    /** Where dockerd looks for the plugin {@code flocker}. */
    public static final Path DEFAULT_SOCKET = Path.of("/run/docker/plugins/flocker.sock");
    /** How long {@link #close} waits for requests in flight. */
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Server server;
    private final Path socket;

    private PluginServer(Server server, Path socket) {
        this.server = server;
        this.socket = socket;
    }

    /**
     * Serves {@code driver} on {@code socket}, making its directory if need
     * be. A socket file left by a plugin that is gone is replaced.
     *
     * @param log where failed requests are reported, one line each (all requests when {@code verbose})
     * @throws VolumeException when another process serves on {@code socket}, the path is
     *     something other than a socket, or the socket cannot be made
     */
    public static PluginServer start(Path socket, VolumeDriver driver, PrintStream log, boolean verbose) {
        Path path = socket.toAbsolutePath().normalize();
        prepare(path);
        QueuedThreadPool threads = new QueuedThreadPool(64, 2);
        threads.setName("flocker-plugin");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        UnixDomainServerConnector connector = new UnixDomainServerConnector(server, new DockerHttpConnectionFactory(http));
        connector.setUnixDomainPath(path);
        server.addConnector(connector);
        // GracefulHandler counts the requests in flight, so that stopping waits for them.
        server.setHandler(new GracefulHandler(new PluginHandler(new VolumeApi(driver), log, verbose)));
        server.setErrorHandler(new JsonErrors());
        server.setStopTimeout(STOP_TIMEOUT.toMillis());
        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception undo) {
                e.addSuppressed(undo);
            }
            throw new VolumeException("cannot serve the volume plugin on " + path + ": " + e, e);
        }
        return new PluginServer(server, path);
    }

    /** The socket it serves on. */
    public Path socket() {
        return socket;
    }

    /** Waits until the server has stopped. */
    public void join() throws InterruptedException {
        server.join();
    }

    /** Stops gracefully (see the class comment); calling it again does nothing. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new VolumeException("stopping the volume plugin on " + socket + " failed: " + e, e);
        }
    }

    // A live socket is another plugin's: never taken over. A dead one is what a
    // killed plugin leaves, and binding needs the path free.
    private static void prepare(Path path) {
        try {
            Files.createDirectories(path.getParent());
        } catch (IOException e) {
            throw new VolumeException("cannot make the plugin socket's directory " + path.getParent() + ": " + e, e);
        }
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException absent) {
            return;
        }
        if (!a.isOther()) {
            throw new VolumeException("refusing to serve the volume plugin on " + path + ": it exists and is not a socket");
        }
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(path));
            throw new VolumeException("another process serves on " + path + " (a volume plugin running already?)");
        } catch (IOException dead) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                throw new VolumeException("cannot remove the stale plugin socket " + path + ": " + e, e);
            }
        }
    }
}
