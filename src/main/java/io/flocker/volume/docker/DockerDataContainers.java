package io.flocker.volume.docker;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.annotations.SerializedName;
import io.flocker.volume.VolumeName;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@link DataContainers} on a Docker daemon through its Engine API (HTTP on
 * its unix socket, {@link DockerSocket}). Requests go to unversioned
 * paths, which every engine serves at its own API version.
 *
 * <p>Nothing is opened before Docker is first needed, so a command that
 * never needs Docker never pays for it. Containers are labelled {@code
 * io.flocker.volume=<name>} so that {@code docker ps -a --filter label=io.flocker.volume}
 * shows them.
 *
 * <p>A data container's bind is a mount of type bind ({@code HostConfig.Mounts}),
 * not a {@code HostConfig.Binds} entry: Docker makes a missing {@code Binds}
 * source as an empty directory on the root file system, so a container
 * started while its volume is not mounted would write there, and the writes
 * would vanish under the next mount. A missing mount source is an error
 * instead, at create and at every start (also for {@code --volumes-from}).
 */
public final class DockerDataContainers implements DataContainers, RunningContainers {
    /** The image data containers are made from unless told otherwise. */
    public static final String DEFAULT_IMAGE = "busybox";
    /** The label that marks a data container, with the volume's name as its value. */
    public static final String LABEL = "io.flocker.volume";
    /** How long the daemon may take for a request that is not a stop. */
    static final Duration ANSWER_TIMEOUT = Duration.ofMinutes(2);
    /** Container IDs as the daemon gives them: anything else in a list is not used in a path. */
    private static final Pattern ID = Pattern.compile("[0-9a-f]{12,64}");
    private static final Gson GSON = new Gson();

    private final String image;
    private final String host;
    private final Supplier<DockerTransport> connect;
    private volatile DockerTransport transport;

    /**
     * Data containers from {@code image} on the daemon DOCKER_HOST names
     * (default {@code unix:///var/run/docker.sock}).
     */
    public DockerDataContainers(String image) {
        this(image, dockerHost(System.getenv("DOCKER_HOST")));
    }

    /** Data containers from {@code image} on the daemon at {@code host}, e.g. {@code unix:///var/run/docker.sock}. */
    public DockerDataContainers(String image, java.net.URI host) {
        this(image, host.toString());
    }

    private DockerDataContainers(String image, String host) {
        this(image, host, () -> DockerSocket.at(host, tlsAsked()));
    }

    /**
     * Data containers from {@code image} through {@code transport} (a test's
     * fake, or a transport of the embedding service's choice).
     *
     * @param host how to name the daemon in error messages
     */
    public DockerDataContainers(String image, String host, DockerTransport transport) {
        this(image, host, () -> Objects.requireNonNull(transport));
    }

    private DockerDataContainers(String image, String host, Supplier<DockerTransport> connect) {
        if (image == null || image.isBlank()) throw new IllegalArgumentException("the data container image is empty");
        this.image = image;
        this.host = Objects.requireNonNull(host);
        this.connect = connect;
    }

    /** DOCKER_HOST as the docker command reads it: unset or blank is the local socket. */
    static String dockerHost(String env) {
        return env == null || env.isBlank() ? "unix:///var/run/docker.sock" : env.strip();
    }

    private static boolean tlsAsked() {
        String v = System.getenv("DOCKER_TLS_VERIFY");
        return v != null && !v.isEmpty() && !v.equals("0");
    }

    /** The image data containers are made from. */
    public String image() {
        return image;
    }

    private DockerTransport transport() {
        DockerTransport t = transport;
        if (t == null) {
            synchronized (this) {
                if (transport == null) {
                    try {
                        transport = connect.get();
                    } catch (IllegalArgumentException e) {
                        throw new DockerException("cannot use the Docker daemon: " + e.getMessage(), e);
                    }
                }
                t = transport;
            }
        }
        return t;
    }

    private DockerTransport.Response call(String what, String method, String path, String body, Duration timeout) {
        try {
            return transport().exchange(method, path, body, timeout);
        } catch (java.net.SocketTimeoutException e) {
            throw new DockerException("the Docker daemon at " + host + " did not answer in time when asked to " + what, e);
        } catch (java.io.InterruptedIOException e) {
            Thread.currentThread().interrupt();
            throw new DockerException("interrupted while asking the Docker daemon at " + host + " to " + what, e);
        } catch (DockerSocket.BadAnswer e) {
            throw new DockerException("the Docker daemon at " + host + " gave an answer that cannot be used when asked to "
                + what + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new DockerUnavailable(host, e);
        } catch (DockerException e) {
            throw e;
        } catch (RuntimeException e) {
            // A transport of the embedder's own may wrap what went wrong on the way.
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof IOException) throw new DockerUnavailable(host, e);
            }
            throw new DockerException("cannot " + what + " on the Docker daemon at " + host + ": " + e, e);
        }
    }

    private DockerException refused(String what, DockerTransport.Response r) {
        return new DockerException("Docker refused to " + what + ": " + DockerMessages.of(r), null);
    }

    private static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void create(VolumeName name, Path hostPath, Path mountPath) {
        String container = DataContainers.containerName(name);
        JsonObject mount = new JsonObject();
        mount.addProperty("Type", "bind");
        mount.addProperty("Source", hostPath.toString());
        mount.addProperty("Target", mountPath.toString());
        JsonArray mounts = new JsonArray();
        mounts.add(mount);
        JsonObject hostConfig = new JsonObject();
        hostConfig.add("Mounts", mounts);
        JsonObject labels = new JsonObject();
        labels.addProperty(LABEL, name.value());
        JsonObject body = new JsonObject();
        body.addProperty("Image", image);
        // An imported image may have no CMD; the container never runs, but Docker wants one.
        JsonArray cmd = new JsonArray();
        cmd.add("true");
        body.add("Cmd", cmd);
        body.add("Labels", labels);
        body.add("HostConfig", hostConfig);
        String what = "create container " + container;
        DockerTransport.Response r = call(what, "POST", "/containers/create?name=" + segment(container), GSON.toJson(body),
            ANSWER_TIMEOUT);
        switch (r.status()) {
            case 200, 201 -> {}
            case 404 -> throw new ImageNotFound(image, refused(what, r));
            case 409 -> throw new ContainerExists(container, refused(what, r));
            default -> throw refused(what, r);
        }
    }

    @Override
    public boolean remove(VolumeName name) {
        String container = DataContainers.containerName(name);
        String what = "remove container " + container;
        DockerTransport.Response r = call(what, "DELETE", "/containers/" + segment(container), null, ANSWER_TIMEOUT);
        return switch (r.status()) {
            case 200, 204 -> true;
            case 404 -> false;
            default -> throw refused(what, r);
        };
    }

    @Override
    public boolean exists(VolumeName name) {
        String container = DataContainers.containerName(name);
        String what = "inspect container " + container;
        DockerTransport.Response r = call(what, "GET", "/containers/" + segment(container) + "/json", null, ANSWER_TIMEOUT);
        return switch (r.status()) {
            case 200 -> true;
            case 404 -> false;
            default -> throw refused(what, r);
        };
    }

    private record Listed(@SerializedName("Id") String id, @SerializedName("Names") List<String> names,
                          @SerializedName("Mounts") List<ListedMount> mounts) {}

    private record ListedMount(@SerializedName("Source") String source) {}

    private record Inspected(@SerializedName("State") State state) {}

    private record State(@SerializedName("Pid") Long pid) {}

    @Override
    public List<Container> using(Path hostPath) {
        String what = "list the running containers";
        DockerTransport.Response r = call(what, "GET", "/containers/json", null, ANSWER_TIMEOUT); // running ones, with mounts
        if (r.status() != 200) throw refused(what, r);
        Listed[] running = parse(what, r, Listed[].class);
        List<Container> out = new ArrayList<>();
        for (Listed c : running == null ? new Listed[0] : running) {
            if (c == null || c.id() == null || !ID.matcher(c.id()).matches()) {
                throw new DockerException("the Docker daemon at " + host + " listed a container without a valid ID", null);
            }
            if (c.mounts() == null || c.mounts().stream().noneMatch(m -> inside(m, hostPath))) continue;
            String inspect = "inspect container " + c.id();
            DockerTransport.Response i = call(inspect, "GET", "/containers/" + c.id() + "/json", null, ANSWER_TIMEOUT);
            if (i.status() == 404) continue; // it stopped and was removed meanwhile
            if (i.status() != 200) throw refused(inspect, i);
            Inspected details = parse(inspect, i, Inspected.class);
            long pid = details == null || details.state() == null || details.state().pid() == null ? 0
                : Math.max(0, details.state().pid());
            out.add(new Container(c.id(), nameOf(c), pid));
        }
        return out;
    }

    private record Referring(@SerializedName("Id") String id, @SerializedName("Mounts") List<NamedMount> mounts) {}

    private record NamedMount(@SerializedName("Name") String name) {}

    @Override
    public boolean anyHasVolume(VolumeName volume) {
        String what = "list the containers with volume " + volume.value();
        // All containers, stopped ones too; the filter narrows the answer, and each one listed is checked here as well.
        String filter = GSON.toJson(java.util.Map.of("volume", List.of(volume.value())));
        DockerTransport.Response r = call(what, "GET", "/containers/json?all=true&filters=" + segment(filter), null,
            ANSWER_TIMEOUT);
        if (r.status() != 200) throw refused(what, r);
        Referring[] listed = parse(what, r, Referring[].class);
        if (listed == null) throw new DockerException("the Docker daemon at " + host + " gave no list when asked to " + what, null);
        for (Referring c : listed) {
            if (c == null || c.id() == null || !ID.matcher(c.id()).matches()) {
                throw new DockerException("the Docker daemon at " + host + " listed a container without a valid ID", null);
            }
            if (c.mounts() != null && c.mounts().stream().anyMatch(m -> m != null && volume.value().equals(m.name()))) {
                return true;
            }
        }
        return false;
    }

    private <T> T parse(String what, DockerTransport.Response r, Class<T> type) {
        try {
            return GSON.fromJson(r.body(), type);
        } catch (JsonParseException e) {
            throw new DockerException("the Docker daemon at " + host + " gave an answer that is not the expected JSON when "
                + "asked to " + what, e);
        }
    }

    private static boolean inside(ListedMount m, Path hostPath) {
        if (m == null || m.source() == null || !m.source().startsWith("/")) return false;
        try {
            return Path.of(m.source()).normalize().startsWith(hostPath);
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private static String nameOf(Listed c) {
        List<String> names = c.names();
        if (names == null || names.isEmpty() || names.get(0) == null) return c.id();
        String n = names.get(0);
        return io.flocker.volume.VolumeException.printable(n.startsWith("/") ? n.substring(1) : n);
    }

    @Override
    public void stop(Container container, Duration grace) {
        long seconds = Math.max(0, grace.toSeconds());
        String what = "stop container " + container.describe();
        if (!ID.matcher(container.id()).matches() && !container.id().matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new IllegalArgumentException("not a container ID or name: " + io.flocker.volume.VolumeException.quote(container.id()));
        }
        DockerTransport.Response r = call(what, "POST", "/containers/" + segment(container.id()) + "/stop?t=" + seconds, null,
            ANSWER_TIMEOUT.plusSeconds(seconds));
        switch (r.status()) {
            case 200, 204, 304, 404 -> {} // 304 and 404: not running any more, which is what was asked
            default -> throw refused(what, r);
        }
    }

    @Override
    public void close() {
        DockerTransport t = transport;
        if (t != null) t.close();
    }
}
