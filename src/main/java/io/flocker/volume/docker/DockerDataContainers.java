package io.flocker.volume.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.ContainerMount;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.flocker.volume.VolumeName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * {@link DataContainers} on a Docker daemon through docker-java (zerodep
 * transport: a unix socket, no TLS library needed). The API version is left
 * to the daemon: requests go to unversioned paths, which every engine serves
 * at its own version.
 *
 * <p>The connection is made at first use, so a command that never needs
 * Docker never pays for it. Containers are labelled {@code
 * io.flocker.volume=<name>} so that {@code docker ps -a --filter label=io.flocker.volume}
 * shows them.
 *
 * <p>A data container's bind is a {@link Mount} of type bind, not a {@code
 * Bind}: Docker makes a missing {@code Bind} source as an empty directory on
 * the root file system, so a container started while its volume is not
 * mounted would write there, and the writes would vanish under the next
 * mount. A missing {@code Mount} source is an error instead, at create and
 * at every start (also for {@code --volumes-from}).
 */
public final class DockerDataContainers implements DataContainers, RunningContainers {
    /** The image data containers are made from unless told otherwise. */
    public static final String DEFAULT_IMAGE = "busybox";
    /** The label that marks a data container, with the volume's name as its value. */
    public static final String LABEL = "io.flocker.volume";

    private final String image;
    /** Builds the client; reads the configuration first when there is one to read. */
    private final Function<DockerDataContainers, DockerClient> connect;
    private volatile String host;
    private volatile DockerClient client;

    /**
     * Data containers from {@code image} on the daemon DOCKER_HOST names
     * (default {@code unix:///var/run/docker.sock}).
     */
    public DockerDataContainers(String image) {
        this(image, System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock"),
            self -> self.connect(DefaultDockerClientConfig.createDefaultConfigBuilder().build()));
    }

    /** Data containers from {@code image} on the daemon at {@code host}, e.g. {@code unix:///var/run/docker.sock}. */
    public DockerDataContainers(String image, java.net.URI host) {
        this(image, host.toString(), self -> self.connect(
            DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host.toString()).build()));
    }

    /**
     * Data containers from {@code image} through {@code transport} (a test's
     * fake, or a transport of the embedding service's choice).
     *
     * @param host how to name the daemon in error messages
     */
    public DockerDataContainers(String image, String host, DockerHttpClient transport) {
        this(image, host, self -> DockerClientImpl.getInstance(
            DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost("unix:///var/run/docker.sock").build(),
            transport));
    }

    /*
     * Nothing of docker-java is touched before Docker is first needed: reading
     * its configuration loads docker-java and Jackson, about a second of a CLI
     * command's start under emulation, which commands that never reach Docker
     * (receive, list) should not pay.
     */
    private DockerDataContainers(String image, String host, Function<DockerDataContainers, DockerClient> connect) {
        if (image == null || image.isBlank()) throw new IllegalArgumentException("the data container image is empty");
        this.image = image;
        this.host = Objects.requireNonNull(host);
        this.connect = connect;
    }

    private DockerClient connect(DockerClientConfig config) {
        host = config.getDockerHost().toString(); // the exact daemon, also from docker-java's own settings
        return DockerClientImpl.getInstance(config, http(config));
    }

    private static DockerHttpClient http(DockerClientConfig config) {
        return new ZerodepDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .sslConfig(config.getSSLConfig() != null ? config.getSSLConfig() : LazySslContext::new)
            .connectionTimeout(Duration.ofSeconds(10))
            .responseTimeout(Duration.ofMinutes(2))
            .maxConnections(32)
            .build();
    }

    /** The image data containers are made from. */
    public String image() {
        return image;
    }

    private DockerClient client() {
        DockerClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    try {
                        client = connect.apply(this);
                    } catch (LinkageError e) {
                        // DOCKER_TLS_VERIFY needs Bouncy Castle, which flocker-volume.jar leaves out.
                        throw new DockerException("cannot set up the connection to the Docker daemon at " + host
                            + ": " + e + " (TLS to a remote daemon needs Bouncy Castle on the class path)", e);
                    }
                }
                c = client;
            }
        }
        return c;
    }

    @Override
    public void create(VolumeName name, Path hostPath, Path mountPath) {
        String container = DataContainers.containerName(name);
        try {
            // An imported image may have no CMD; the container never runs, but Docker wants one.
            client().createContainerCmd(image)
                .withName(container)
                .withCmd("true")
                .withLabels(Map.of(LABEL, name.value()))
                .withHostConfig(HostConfig.newHostConfig().withMounts(List.of(new Mount()
                    .withType(MountType.BIND).withSource(hostPath.toString()).withTarget(mountPath.toString()))))
                .exec();
        } catch (NotFoundException e) {
            throw new ImageNotFound(image, e);
        } catch (ConflictException e) {
            throw new ContainerExists(container, e);
        } catch (RuntimeException e) {
            throw translate("create container " + container, e);
        }
    }

    @Override
    public boolean remove(VolumeName name) {
        String container = DataContainers.containerName(name);
        try {
            client().removeContainerCmd(container).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        } catch (RuntimeException e) {
            throw translate("remove container " + container, e);
        }
    }

    @Override
    public boolean exists(VolumeName name) {
        String container = DataContainers.containerName(name);
        try {
            client().inspectContainerCmd(container).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        } catch (RuntimeException e) {
            throw translate("inspect container " + container, e);
        }
    }

    @Override
    public List<Container> using(Path hostPath) {
        List<Container> out = new ArrayList<>();
        List<com.github.dockerjava.api.model.Container> running;
        try {
            running = client().listContainersCmd().exec(); // running ones only, each with its mounts
        } catch (RuntimeException e) {
            throw translate("list the running containers", e);
        }
        for (com.github.dockerjava.api.model.Container c : running) {
            if (c.getMounts() == null || c.getMounts().stream().noneMatch(m -> inside(m, hostPath))) continue;
            long pid = 0;
            try {
                var state = client().inspectContainerCmd(c.getId()).exec().getState();
                if (state != null && state.getPidLong() != null) pid = state.getPidLong();
            } catch (NotFoundException gone) {
                continue; // it stopped and was removed meanwhile
            } catch (RuntimeException e) {
                throw translate("inspect container " + c.getId(), e);
            }
            out.add(new Container(c.getId(), nameOf(c), pid));
        }
        return out;
    }

    private static boolean inside(ContainerMount m, Path hostPath) {
        if (m.getSource() == null || !m.getSource().startsWith("/")) return false;
        return Path.of(m.getSource()).normalize().startsWith(hostPath);
    }

    private static String nameOf(com.github.dockerjava.api.model.Container c) {
        String[] names = c.getNames();
        if (names == null || names.length == 0) return c.getId();
        return names[0].startsWith("/") ? names[0].substring(1) : names[0];
    }

    @Override
    public void stop(Container container, Duration grace) {
        try {
            client().stopContainerCmd(container.id()).withTimeout((int) Math.max(0, grace.toSeconds())).exec();
        } catch (NotModifiedException | NotFoundException stoppedAlready) {
            // not running any more: what was asked
        } catch (RuntimeException e) {
            throw translate("stop container " + container.describe(), e);
        }
    }

    private DockerException translate(String what, RuntimeException e) {
        if (e instanceof com.github.dockerjava.api.exception.DockerException d) {
            return new DockerException("Docker refused to " + what + ": " + DockerMessages.of(d), e);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof UncheckedIOException) return new DockerUnavailable(host, e);
        }
        return new DockerException("cannot " + what + " on the Docker daemon at " + host + ": " + e, e);
    }

    @Override
    public void close() {
        DockerClient c = client;
        if (c == null) return;
        try {
            c.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing the connection to the Docker daemon at " + host, e);
        }
    }
}
