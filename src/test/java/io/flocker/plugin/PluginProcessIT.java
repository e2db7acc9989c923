package io.flocker.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.flocker.testbed.TestBed;
import io.flocker.testbed.TestPool;
import io.flocker.testbed.WithTestPools;
import io.flocker.volume.NodeIdentity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code flocker-volume plugin} as a process of its own (the built jar, as
 * users run it) under the real dockerd: stopped with SIGTERM and started
 * again between steps, it must show the same volumes, users and mounts,
 * since all of that lives in ZFS; and SIGTERM must let the requests in
 * flight finish and remove the socket.
 */
@WithTestPools
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PluginProcessIT {
    private static final Path BIN = TestBed.projectDir().resolve("bin/flocker-volume");
    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    private static final String DRIVER = "flockerproc" + RUN;
    private static final Path SOCKET = Path.of("/run/docker/plugins", DRIVER + ".sock");
    private static final Path NODE_SOCKET = Path.of("/run/flocker/" + DRIVER + "-node.sock");

    private final TestPool tp;
    private final Path root;
    private Path config;
    private Process plugin;
    private ByteArrayOutputStream pluginErr;

    PluginProcessIT(TestPool tp) {
        this.tp = tp;
        this.root = tp.mountpoint().resolveSibling(tp.name() + ".volumes");
    }

    @BeforeAll
    void setUp() throws IOException {
        TestBed.requireDocker();
        assertTrue(Files.exists(TestBed.projectDir().resolve("target/flocker-volume.jar")), "mvn package makes the jar");
        config = Files.createTempDirectory("flocker-plugin-it").resolve("volume.json");
    }

    @AfterAll
    void tearDown() throws Exception {
        for (String c : docker("ps", "-aq", "--filter", "name=" + RUN).stdout().split("\\s+")) {
            if (!c.isEmpty()) docker("rm", "-f", c);
        }
        if (plugin == null || !plugin.isAlive()) start();
        for (String v : docker("volume", "ls", "-q", "--filter", "driver=" + DRIVER).stdout().split("\\s+")) {
            if (!v.isEmpty()) docker("volume", "rm", "-f", v);
        }
        stop();
    }

    private List<String> cli(String... args) {
        List<String> cmd = new ArrayList<>(List.of(BIN.toString(), "--config", config.toString(), "--pool", tp.name(),
            "--mountpoint", root.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Starts the plugin and waits until it serves. */
    private void start() throws Exception {
        // The loosest umask there is: the socket's mode must not come from it.
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "umask 000 && exec \"$@\"", "sh"));
        // The agent, which serves the plugin and a node socket from one process.
        cmd.addAll(cli("agent", "--socket", SOCKET.toString(), "--socket-group", "nogroup", "--node-socket",
            NODE_SOCKET.toString()));
        plugin = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        pluginErr = new ByteArrayOutputStream();
        InputStream err = plugin.getErrorStream();
        Thread drain = new Thread(() -> {
            try (err) {
                err.transferTo(pluginErr);
            } catch (IOException ignored) {
                // the process ended
            }
        });
        drain.setDaemon(true);
        drain.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!pluginErr.toString(StandardCharsets.UTF_8).contains("serving the volume plugin on " + SOCKET)) {
            if (!plugin.isAlive()) throw new AssertionError("the plugin exited " + plugin.exitValue() + ": " + pluginErr);
            if (System.nanoTime() > deadline) throw new AssertionError("the plugin did not start in 120 s: " + pluginErr);
            Thread.sleep(100);
        }
        assertTrue(Files.exists(SOCKET));
        assertTrue(pluginErr.toString(StandardCharsets.UTF_8).contains("serving the node socket on " + NODE_SOCKET),
            pluginErr.toString());
    }

    /** SIGTERM, then the plugin must exit on its own and leave no socket behind. */
    private void stop() throws Exception {
        plugin.destroy();
        assertTrue(plugin.waitFor(90, TimeUnit.SECONDS), "the plugin did not stop within 90 s of SIGTERM: " + pluginErr);
        assertEquals(143, plugin.exitValue(), "ended by SIGTERM: " + pluginErr);
        assertFalse(Files.exists(SOCKET), "the socket file is removed");
        assertFalse(Files.exists(NODE_SOCKET), "the node socket file is removed");
        assertFalse(pluginErr.toString(StandardCharsets.UTF_8).contains("internal error"), pluginErr.toString());
    }

    /** A plain HTTP call to Plugin.Activate through {@code socket}, made by uid 65534 with gid {@code gid} only. */
    private static TestBed.Result activateAsNobody(Path socket, int gid) {
        String perl = "use IO::Socket::UNIX; my $s = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Peer => $ARGV[0])"
            + " or do { print \"connect: $!\\n\"; exit 3 }; print $s \"POST /Plugin.Activate HTTP/1.1\\r\\nHost: x\\r\\n"
            + "Content-Length: 0\\r\\nConnection: close\\r\\n\\r\\n\"; local $/; print <$s>;";
        return TestBed.run(List.of("setpriv", "--reuid=65534", "--regid=" + gid, "--clear-groups", "perl", "-e", perl,
            socket.toString()), null, Duration.ofMinutes(1));
    }

    /**
     * The socket is 0660 and nogroup's, made under umask 000. dockerd's
     * /run/docker is root's alone, so nobody reaches the socket through a
     * link elsewhere: as a member of nogroup it is served; in another group
     * the kernel refuses it; and with the mode loosened by hand the plugin
     * itself refuses it by name (SO_PEERCRED), and logs it.
     */
    private void onlyRootAndTheSocketsGroupMayCall() throws Exception {
        var attrs = Files.readAttributes(SOCKET, java.nio.file.attribute.PosixFileAttributes.class);
        assertEquals("rw-rw----", java.nio.file.attribute.PosixFilePermissions.toString(attrs.permissions()));
        assertEquals("nogroup", attrs.group().getName());
        Path open = Files.createDirectories(Path.of("/run/flocker-it-" + RUN));
        Files.setPosixFilePermissions(open, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path link = open.resolve("p.sock");
        Files.createLink(link, SOCKET);
        try {
            TestBed.Result member = activateAsNobody(link, 65534);
            assertTrue(member.stdout().startsWith("HTTP/1.1 200") && member.stdout().contains("VolumeDriver"),
                member.stdout() + member.stderr());
            TestBed.Result other = activateAsNobody(link, 1);
            assertEquals(3, other.exitCode(), other.stdout() + other.stderr());
            assertEquals("connect: Permission denied\n", other.stdout());

            Files.setPosixFilePermissions(SOCKET, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
            TestBed.Result loosened = activateAsNobody(link, 1);
            assertTrue(loosened.stdout().startsWith("HTTP/1.1 403"), loosened.stdout() + loosened.stderr());
            String refusal = "permission denied: user 'nobody' (group 'daemon') may not use the volume plugin on "
                + SOCKET + "; it serves root, and group nogroup";
            String body = loosened.stdout().substring(loosened.stdout().indexOf("\r\n\r\n") + 4);
            assertEquals(refusal, JsonParser.parseString(body).getAsJsonObject().get("Err").getAsString(), loosened.stdout());
            assertTrue(pluginErr.toString(StandardCharsets.UTF_8).contains("WARN PluginHandler - plugin request Plugin.Activate on " + SOCKET + " failed: " + refusal), pluginErr.toString());
        } finally {
            Files.setPosixFilePermissions(SOCKET, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw----"));
            Files.deleteIfExists(link);
            Files.deleteIfExists(open);
        }
    }

    private void restart() throws Exception {
        stop();
        start();
    }

    private static TestBed.Result docker(String... args) {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        return TestBed.run(cmd, null, Duration.ofMinutes(5));
    }

    private String ds(String volume) {
        return tp.ds(NodeIdentity.load(config).uuid() + "." + volume);
    }

    private long users(String volume) {
        return tp.zfs("get", "-H", "-o", "property", "all", ds(volume)).lines()
            .filter(l -> l.startsWith("io.flocker:user.")).count();
    }

    private JsonObject inspect(String volume) {
        return JsonParser.parseString(docker("volume", "inspect", volume).requireSuccess().stdout()).getAsJsonArray()
            .get(0).getAsJsonObject();
    }

    @Test
    void restartingThePluginBetweenStepsChangesNothing() throws Exception {
        start();
        String v = "kept-" + RUN;
        docker("volume", "create", "-d", DRIVER, "-o", "quota=64M", v).requireSuccess();
        JsonObject made = inspect(v);
        assertTrue(pluginErr.toString(StandardCharsets.UTF_8).contains("INFO VolumeService - created volume '" + v
            + "' of node "), "the plugin logs what it changed: " + pluginErr);
        restart();
        assertTrue(docker("volume", "ls", "--format", "{{.Driver}} {{.Name}}").requireSuccess().stdout().lines()
            .anyMatch((DRIVER + " " + v)::equals));
        assertEquals(made, inspect(v), "the same volume, properties and users after a restart");
        assertEquals("67108864", made.getAsJsonObject("Status").get("quota").getAsString());

        String holder = "holder-" + RUN;
        docker("run", "-d", "--name", holder, "-v", v + ":/data", "busybox", "sh", "-c", "echo a > /data/a; sleep 600")
            .requireSuccess();
        restart();
        assertEquals(1, users(v));
        assertEquals("yes", tp.get(ds(v), "mounted"));
        assertEquals(1, inspect(v).getAsJsonObject("Status").get("users").getAsInt(), "the new plugin knows the user");
        try (PluginClient client = new PluginClient(SOCKET)) {
            assertTrue(client.post("VolumeDriver.Remove", v, null).err().startsWith("volume '" + v + "' is in use by 1"));
        }
        TestBed.Result listed = TestBed.run(cli("list", "--json"), null, Duration.ofMinutes(3)).requireSuccess();
        JsonObject asListed = null;
        for (JsonElement e : JsonParser.parseString(listed.stdout()).getAsJsonArray()) {
            if (e.getAsJsonObject().get("name").getAsString().equals(v)) asListed = e.getAsJsonObject();
        }
        assertTrue(asListed != null && asListed.get("owned").getAsBoolean(), "flocker-volume list shows it: " + listed.stdout());
        assertTrue(asListed.get("mount_path").isJsonNull(), "no data container: " + asListed);
        restart();

        docker("rm", "-f", holder).requireSuccess();
        assertEquals(0, users(v), "the restarted plugin took the unmount");
        assertEquals("yes", tp.get(ds(v), "mounted"), "a volume stays mounted after its last user left");
        tp.zfs("unmount", ds(v)); // as a crash between unmount and mount again might leave it
        restart();
        assertEquals("yes", tp.get(ds(v), "mounted"), "the plugin mounts at start what is not mounted");
        assertTrue(pluginErr.toString(StandardCharsets.UTF_8).contains("INFO VolumeService - mounted volume " + v
            + " of node "), "and logs it: " + pluginErr);
        assertEquals("a\n", docker("run", "--rm", "-v", v + ":/data", "busybox", "cat", "/data/a").requireSuccess().stdout());
        docker("volume", "rm", v).requireSuccess();
        assertFalse(tp.has(ds(v)));
        stop();
    }

    @Test
    void sigtermLetsTheRequestsInFlightFinish() throws Exception {
        start();
        String v = "busy-" + RUN;
        int calls = 60;
        List<CompletableFuture<ContentResponse>> replies = new ArrayList<>();
        int pending;
        try (PluginClient client = new PluginClient(SOCKET)) {
            client.post("Plugin.Activate", null).ok();
            client.post("VolumeDriver.Create", "{\"Name\":\"" + v + "\"}").ok();
            // Mounts of one volume are made one at a time, each changing a user property
            // in ZFS: most of these are still waiting in the plugin when SIGTERM comes.
            for (int i = 0; i < calls; i++) {
                replies.add(new CompletableResponseListener(client.request("VolumeDriver.Mount")
                    .body(new StringRequestContent(VolumeApi.MEDIA_TYPE,
                        "{\"Name\":\"" + v + "\",\"ID\":\"call" + i + "\"}"))).send());
            }
            Thread.sleep(1500);
            pending = (int) replies.stream().filter(r -> !r.isDone()).count();
            plugin.destroy();
            assertTrue(pending > 0, "the test needs calls in flight at SIGTERM: all " + calls + " were done");
            for (int i = 0; i < calls; i++) {
                PluginClient.Reply r = PluginClient.reply(replies.get(i).get(2, TimeUnit.MINUTES));
                assertEquals(200, r.status(), "call " + i + ": " + r.body());
                assertEquals("", r.err(), "call " + i);
            }
        }
        System.out.printf("SIGTERM with %d of %d mounts in flight: all finished%n", pending, calls);
        assertTrue(plugin.waitFor(90, TimeUnit.SECONDS), "then it stops: " + pluginErr);
        assertEquals(143, plugin.exitValue());
        assertFalse(Files.exists(SOCKET), "the socket file is removed");
        assertFalse(Files.exists(NODE_SOCKET), "the node socket file is removed");
        assertEquals(calls, users(v), "every mount finished its work");
        assertEquals("yes", tp.get(ds(v), "mounted"));
        // Clean up through the plugin, as dockerd never heard of this volume.
        start();
        onlyRootAndTheSocketsGroupMayCall();
        try (PluginClient client = new PluginClient(SOCKET)) {
            for (int i = 0; i < calls; i++) client.post("VolumeDriver.Unmount", v, "call" + i).ok();
            client.post("VolumeDriver.Remove", v, null).ok();
        }
        assertFalse(tp.has(ds(v)));
        stop();
    }
}
