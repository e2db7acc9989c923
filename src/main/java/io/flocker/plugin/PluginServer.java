package io.flocker.plugin;

import io.flocker.sockets.SocketAccess;
import io.flocker.sockets.SocketFiles;
import io.flocker.volume.VolumeDriver;
import io.flocker.volume.VolumeException;
import java.nio.file.Path;
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
 *
 * <p>Who may call is a {@link SocketAccess}: the socket is bound in a
 * directory of its own that only root can enter, given its mode (0600, or
 * 0660 and the group) there, and only then linked to its path, so it never
 * accepts a caller the mode would refuse; each request's caller is checked
 * again by its peer credentials and refused with 403.
 *
 * <p>Requests are served on a pool of threads, all through one {@link
 * io.flocker.volume.VolumeDriver}, which is safe for that; {@link #close} may
 * be called from any thread, once or more.
 */
public final class PluginServer implements AutoCloseable {
    /** Where dockerd looks for the plugin {@code flocker}. */
    public static final Path DEFAULT_SOCKET = Path.of("/run/docker/plugins/flocker.sock");
    /** How long {@link #close} waits for requests in flight. */
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private static final String WHAT = "the volume plugin";

    private final Server server;
    private final Path socket;
    private final Object fileKey;

    private PluginServer(Server server, Path socket, Object fileKey) {
        this.server = server;
        this.socket = socket;
        this.fileKey = fileKey;
    }

    /** {@link #start(Path, SocketAccess, VolumeDriver, boolean)} for root and this process's user only. */
    public static PluginServer start(Path socket, VolumeDriver driver, boolean verbose) {
        return start(socket, SocketAccess.ownerOnly(), driver, verbose);
    }

    /**
     * Serves {@code driver} on {@code socket}, making its directory if need
     * be (0700, or 0750 and the group). A socket file left by a plugin that
     * is gone is replaced.
     *
     * @param access who may call: the socket's mode, and the check of each caller
     * @param verbose every request is logged at INFO with its time (else at DEBUG); a failed one is a WARN
     *     either way, save dockerd's lookups of names that do not exist
     * @throws VolumeException when another process serves on {@code socket}, the path is
     *     something other than a socket, or the socket cannot be made
     */
    public static PluginServer start(Path socket, SocketAccess access, VolumeDriver driver, boolean verbose) {
        Path path = socket.toAbsolutePath().normalize();
        SocketFiles.prepare(path, access, WHAT, "a volume plugin running already?");
        Path bound = SocketFiles.privateDirectory(path, WHAT).resolve("s");
        QueuedThreadPool threads = new QueuedThreadPool(64, 2);
        threads.setName("flocker-plugin");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        UnixDomainServerConnector connector = new UnixDomainServerConnector(server, new DockerHttpConnectionFactory(http));
        connector.setUnixDomainPath(bound);
        server.addConnector(connector);
        // GracefulHandler counts the requests in flight, so that stopping waits for them.
        server.setHandler(new GracefulHandler(new PluginHandler(new VolumeApi(driver), access, path, verbose)));
        server.setErrorHandler(new JsonErrors());
        server.setStopTimeout(STOP_TIMEOUT.toMillis());
        Object fileKey;
        try {
            server.start();
            fileKey = SocketFiles.publish(bound, path, access);
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception undo) {
                e.addSuppressed(undo);
            }
            throw new VolumeException("cannot serve the volume plugin on " + path + ": " + e, e);
        } finally {
            SocketFiles.dropPrivate(bound);
        }
        return new PluginServer(server, path, fileKey);
    }

    /** The socket it serves on. */
    public Path socket() {
        return socket;
    }

    /** Waits until the server has stopped. */
    public void join() throws InterruptedException {
        server.join();
    }

    /** Stops gracefully (see the class comment), then removes the socket file; calling it again does nothing. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new VolumeException("stopping the volume plugin on " + socket + " failed: " + e, e);
        } finally {
            SocketFiles.removeIfSame(socket, fileKey);
        }
    }
}
