package io.flocker.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.Mockito.mock;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.flocker.sockets.SocketAccess;
import io.flocker.testbed.LogCapture;
import io.flocker.volume.StoragePool;
import io.flocker.volume.VolumeDriver;
import io.flocker.volume.VolumeException;
import io.flocker.volume.VolumeId;
import io.flocker.volume.VolumeName;
import io.flocker.volume.VolumeProperties;
import io.flocker.volume.VolumeService;
import io.flocker.volume.docker.FakeDataContainers;
import io.flocker.volume.memory.MemoryStoragePool;
import java.io.ByteArrayOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin's protocol on a real Jetty and a real unix socket, over the
 * in-memory pool: what dockerd sends, and what a careless client might.
 */
class PluginServerTest {
    @TempDir
    Path dir;

    private final UUID node = UUID.randomUUID();
    private final MemoryStoragePool memory = new MemoryStoragePool("flocker", Path.of("/flocker"));
    // Delegating, not a spy, so that a slowed call does not hold the pool's lock.
    private final StoragePool pool = mock(StoragePool.class, delegatesTo(memory));
    private final VolumeService service = new VolumeService(node, pool, new FakeDataContainers());
    private final LogCapture log = LogCapture.start();
    private Path socket;
    private PluginServer server;
    private PluginClient client;

    @BeforeEach
    void start() {
        socket = dir.resolve("plugins/flocker.sock");
        server = PluginServer.start(socket, new VolumeDriver(service), false);
        client = new PluginClient(socket);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
        log.close();
        assertFalse(Files.exists(socket), "the socket file is removed");
    }

    /** What the plugin logged, one line each. */
    private String log() {
        StringBuilder b = new StringBuilder();
        for (LogCapture.Line l : log.lines()) b.append(l.level()).append(' ').append(l.message()).append('\n');
        return b.toString();
    }

    private VolumeId id(String name) {
        return new VolumeId(node, VolumeName.of(name));
    }

    @Test
    void activateSaysItIsAVolumeDriver() throws Exception {
        PluginClient.Reply r = client.post("Plugin.Activate", null).ok();
        assertEquals("{\"Implements\":[\"VolumeDriver\"]}", r.body().toString());
        assertEquals(VolumeApi.MEDIA_TYPE, r.mediaType());
        assertTrue(Files.isDirectory(socket.getParent()), "the socket's directory was made");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        try (var listed = Files.list(socket.getParent())) {
            assertEquals(List.of(socket), listed.toList(), "nothing left of where it was bound");
        }
    }

    /**
     * The bytes dockerd (20.10) sends, captured from its socket: an empty Host
     * header, which Jetty alone would refuse with "400 Blank Host".
     */
    @Test
    void dockerdsOwnRequestsAreAnswered() throws Exception {
        String activate = "POST /Plugin.Activate HTTP/1.1\r\nHost: \r\nUser-Agent: Go-http-client/1.1\r\n"
            + "Content-Length: 0\r\nAccept: application/vnd.docker.plugins.v1.2+json\r\n\r\n";
        String capabilities = "POST /VolumeDriver.Capabilities HTTP/1.1\r\nHost: \r\nUser-Agent: Go-http-client/1.1\r\n"
            + "Content-Length: 3\r\nAccept: application/vnd.docker.plugins.v1.2+json\r\n\r\n{}\n";
        String answer = rawExchange(activate + capabilities);
        // Two answers, one after the other on the connection (the second starts right after the first's body).
        List<String> statuses = java.util.regex.Pattern.compile("HTTP/1\\.1 \\d+ [A-Za-z ]+\r\n").matcher(answer).results()
            .map(m -> m.group().strip()).toList();
        assertEquals(List.of("HTTP/1.1 200 OK", "HTTP/1.1 200 OK"), statuses, answer);
        assertTrue(answer.contains("{\"Implements\":[\"VolumeDriver\"]}"), answer);
        assertTrue(answer.contains("{\"Err\":\"\",\"Capabilities\":{\"Scope\":\"local\"}}"), answer);
        assertTrue(answer.contains("Content-Type: " + VolumeApi.MEDIA_TYPE), answer);
    }

    @Test
    void whatJettyRefusesItselfIsAnsweredInJsonToo() throws Exception {
        String answer = rawExchange("POST /VolumeDriver.List HTTP/1.1\r\nHost: \r\nContent-Length: twelve\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
        assertTrue(answer.contains("Content-Type: " + VolumeApi.MEDIA_TYPE), answer);
        assertTrue(answer.matches("(?s).*\\{\"Err\":\"HTTP 400: [^\"]+\"\\}$"), answer);
    }

    /** Writes {@code request} as it is, then reads until the plugin closes the connection. */
    private String rawExchange(String request) throws Exception {
        try (java.nio.channels.SocketChannel c = java.nio.channels.SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            c.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
            c.shutdownOutput();
            ByteArrayOutputStream in = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (c.read(buf) >= 0) {
                in.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            return in.toString(StandardCharsets.US_ASCII);
        }
    }

    @Test
    void capabilitiesAreLocal() {
        assertEquals("local", client.post("VolumeDriver.Capabilities", "{}").ok().body()
            .getAsJsonObject("Capabilities").get("Scope").getAsString());
    }

    @Test
    void aVolumeFromCreateToRemove() {
        client.post("VolumeDriver.Create", "{\"Name\":\"v1\",\"Opts\":{\"quota\":\"10G\",\"compression\":\"lz4\"}}").ok();
        assertEquals(VolumeProperties.of(Map.of("quota", "10G", "compression", "lz4")), pool.properties(id("v1")));
        String mountpoint = "/flocker/" + node + ".v1";

        JsonArray list = client.post("VolumeDriver.List", "{}").ok().body().getAsJsonArray("Volumes");
        assertEquals(1, list.size());
        assertEquals("v1", list.get(0).getAsJsonObject().get("Name").getAsString());
        assertEquals(mountpoint, list.get(0).getAsJsonObject().get("Mountpoint").getAsString());

        assertEquals(mountpoint, client.post("VolumeDriver.Path", "v1", null).ok().body().get("Mountpoint").getAsString());
        assertEquals(mountpoint, client.post("VolumeDriver.Mount", "v1", "id-1").ok().body().get("Mountpoint").getAsString());
        assertEquals(Set.of("id-1"), pool.users(id("v1")));

        JsonObject got = client.post("VolumeDriver.Get", "v1", null).ok().body().getAsJsonObject("Volume");
        assertEquals("v1", got.get("Name").getAsString());
        assertEquals(mountpoint, got.get("Mountpoint").getAsString());
        JsonObject status = got.getAsJsonObject("Status");
        assertEquals(1, status.get("users").getAsInt());
        assertEquals("flocker/" + node + ".v1", status.get("dataset").getAsString());
        assertEquals(node.toString(), status.get("owner").getAsString());
        assertEquals("10737418240", status.get("quota").getAsString());
        assertEquals("lz4", status.get("compression").getAsString());

        PluginClient.Reply busy = client.post("VolumeDriver.Remove", "v1", null);
        assertEquals(500, busy.status());
        assertEquals("volume 'v1' is in use by 1 container (mount IDs id-1): stop them first", busy.err());
        assertTrue(pool.get(id("v1")).isPresent());

        client.post("VolumeDriver.Unmount", "v1", "id-1").ok();
        assertTrue(memory.isMounted(id("v1")), "a volume stays mounted after its last user left");
        client.post("VolumeDriver.Remove", "v1", null).ok();
        assertTrue(pool.get(id("v1")).isEmpty());
        assertEquals(0, client.post("VolumeDriver.List", null).ok().body().getAsJsonArray("Volumes").size());
        assertTrue(log().contains("WARN plugin request VolumeDriver.Remove on " + socket + " failed: volume 'v1' is in use"), log());
        client.post("VolumeDriver.Get", "v1", null);
        assertTrue(client.post("VolumeDriver.Mount", "v1", "x").err().startsWith("volume 'v1' does not exist"));
        assertFalse(log().contains("WARN plugin request VolumeDriver.Get on " + socket + " failed: volume 'v1' does not exist"), "dockerd's lookups are not logged: " + log());
        assertTrue(log().contains("WARN plugin request VolumeDriver.Mount on " + socket + " failed: volume 'v1' does not exist"), log());
    }

    @Test
    void badOptionsAreRefusedNamingTheOptionAndMakeNothing() {
        Map<String, String> refused = Map.of(
            "{\"foo\":\"bar\"}", "invalid volume option 'foo': not an option",
            "{\"quota\":\"lots\"}", "invalid volume option 'quota=lots': not a size",
            "{\"quota\":\"1G\",\"recordsize\":\"3000\"}", "invalid volume option 'recordsize=3000': not a power of two",
            "{\"compression\":\"brotli\"}", "invalid volume option 'compression=brotli': not one of");
        refused.forEach((opts, message) -> {
            PluginClient.Reply r = client.post("VolumeDriver.Create", "{\"Name\":\"v\",\"Opts\":" + opts + "}");
            assertEquals(500, r.status(), opts);
            assertTrue(r.err().startsWith(message), r.err());
        });
        assertEquals(List.of(), pool.list(), "nothing was made");
    }

    @Test
    void errorsOfTheDriverComeBackInErr() {
        assertEquals("volume 'ghost' does not exist on this node (" + node + ")",
            client.post("VolumeDriver.Mount", "ghost", "id").err());
        assertTrue(client.post("VolumeDriver.Create", "{\"Name\":\"bad/name\"}").err()
            .startsWith("invalid volume name 'bad/name': '/' is not allowed"));
        assertTrue(client.post("VolumeDriver.Create", "{}").err().startsWith("invalid volume name null"));
        client.post("VolumeDriver.Create", "{\"Name\":\"v\"}").ok();
        assertEquals("volume 'v' of node " + node + " exists already", client.post("VolumeDriver.Create", "{\"Name\":\"v\"}").err());
        assertEquals("invalid mount ID null: it is empty (Docker sends one with every Mount and Unmount)",
            client.post("VolumeDriver.Mount", "v", null).err());
        UUID other = UUID.randomUUID();
        pool.create(new VolumeId(other, VolumeName.of("theirs")), Path.of("/d"), true);
        assertTrue(client.post("VolumeDriver.Remove", "theirs", null).err().contains("belongs to node " + other));
        assertTrue(client.post("VolumeDriver.Get", "theirs", null).err().contains("belongs to node " + other));
    }

    @Test
    void requestsThatAreNotTheProtocolAreRefusedSaying() {
        PluginClient.Reply notJson = client.post("VolumeDriver.Create", "{\"Name\": ");
        assertEquals(400, notJson.status());
        assertTrue(notJson.err().startsWith("bad request body: "), notJson.err());
        PluginClient.Reply array = client.post("VolumeDriver.Create", "[1, 2]");
        assertEquals(400, array.status());
        assertEquals("bad request body: the request body must be a JSON object", array.err());
        PluginClient.Reply wrongType = client.post("VolumeDriver.Create", "{\"Name\": \"v\", \"Opts\": [\"quota\"]}");
        assertEquals(400, wrongType.status());
        assertTrue(wrongType.err().startsWith("bad request body: "), wrongType.err());
        PluginClient.Reply noBody = client.post("VolumeDriver.Remove", null);
        assertEquals(400, noBody.status());

        PluginClient.Reply unknown = client.post("VolumeDriver.Snapshot", "{}");
        assertEquals(404, unknown.status());
        assertEquals("no such endpoint '/VolumeDriver.Snapshot' (this is Docker's volume plugin API, version 1)", unknown.err());

        ContentResponse get = PluginClient.send(client.request("VolumeDriver.List").method(HttpMethod.GET));
        assertEquals(405, get.getStatus());
        assertEquals("POST", get.getHeaders().get("Allow"));
        assertEquals("VolumeDriver.List takes POST, not GET", PluginClient.reply(get).err());

        byte[] huge = new byte[PluginHandler.MAX_BODY + 10];
        java.util.Arrays.fill(huge, (byte) ' ');
        ContentResponse big = PluginClient.send(client.request("VolumeDriver.List")
            .body(new org.eclipse.jetty.client.BytesRequestContent(huge)));
        assertEquals(413, big.getStatus());
        assertEquals(List.of(), pool.list());
    }

    @Test
    void oneBadCallDoesNotStopTheNext() {
        assertEquals(400, client.post("VolumeDriver.Get", "nonsense").status());
        client.post("VolumeDriver.Create", "{\"Name\":\"after\"}").ok();
        assertTrue(pool.get(id("after")).isPresent());
    }

    @Test
    void manyConcurrentMountsOverHttpLeaveTheCountsRight() throws Exception {
        for (int v = 0; v < 10; v++) client.post("VolumeDriver.Create", "{\"Name\":\"c" + v + "\"}").ok();
        doAnswer(call -> { // as slow as a real unmount, so that a mount racing it would lose
            Thread.sleep(2);
            return memory.unmount(call.getArgument(0));
        }).when(pool).unmount(any());
        ExecutorService threads = Executors.newFixedThreadPool(50);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < 50; c++) {
                String name = "c" + (c % 10), caller = "caller-" + c;
                done.add(threads.submit(() -> {
                    for (int r = 0; r < 4; r++) {
                        client.post("VolumeDriver.Mount", name, caller).ok();
                        assertTrue(memory.isMounted(id(name)));
                        Thread.sleep(5);
                        assertTrue(memory.isMounted(id(name)), caller + " still has " + name);
                        client.post("VolumeDriver.Unmount", name, caller).ok();
                        Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextInt(4));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get(2, TimeUnit.MINUTES);
        } finally {
            threads.shutdownNow();
        }
        for (int v = 0; v < 10; v++) {
            assertEquals(Set.of(), pool.users(id("c" + v)));
            assertTrue(memory.isMounted(id("c" + v)), "volumes stay mounted");
            assertEquals(0, client.post("VolumeDriver.Get", "c" + v, null).ok().body().getAsJsonObject("Volume")
                .getAsJsonObject("Status").get("users").getAsInt());
        }
    }

    @Test
    void closeLetsARequestInFlightFinishAndRemovesTheSocket() throws Exception {
        client.post("Plugin.Activate", null).ok(); // leaves an idle keep-alive connection, as dockerd does
        CountDownLatch inside = new CountDownLatch(1), release = new CountDownLatch(1);
        doAnswer(call -> {
            inside.countDown();
            release.await();
            return memory.create(call.getArgument(0), call.getArgument(1), call.getArgument(2), call.getArgument(3));
        }).when(pool).create(any(), any(), anyBoolean(), any());
        CompletableFuture<ContentResponse> reply = new CompletableResponseListener(client.request("VolumeDriver.Create")
            .body(new StringRequestContent(VolumeApi.MEDIA_TYPE, "{\"Name\":\"late\"}"))).send();
        assertTrue(inside.await(1, TimeUnit.MINUTES));
        CompletableFuture<Void> closed = CompletableFuture.runAsync(server::close);
        // Longer than the idle timeout Jetty gives connections while stopping (1 s).
        Thread.sleep(2500);
        assertFalse(closed.isDone(), "close waits for the request in flight");
        assertFalse(reply.isDone());
        release.countDown();
        PluginClient.Reply done = PluginClient.reply(reply.get(1, TimeUnit.MINUTES)).ok();
        assertEquals("", done.err());
        long t0 = System.nanoTime();
        closed.get(1, TimeUnit.MINUTES);
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10),
            "an idle keep-alive connection does not hold the stop for its timeout");
        assertTrue(pool.get(id("late")).isPresent(), "the request finished its work");
        assertFalse(Files.exists(socket));
    }

    @Test
    void aStaleSocketIsReplacedALiveOneIsNot() throws Exception {
        Path stale = dir.resolve("stale.sock");
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(stale));
        }
        assertTrue(Files.exists(stale), "a closed socket leaves its file, as a killed plugin does");
        try (PluginServer second = PluginServer.start(stale, new VolumeDriver(service), false);
             PluginClient c = new PluginClient(stale)) {
            c.post("Plugin.Activate", null).ok();
            VolumeException live = assertThrows(VolumeException.class,
                () -> PluginServer.start(stale, new VolumeDriver(service), false));
            assertEquals("another process serves on " + stale + " (a volume plugin running already?)", live.getMessage());
            c.post("Plugin.Activate", null).ok();
        }
        assertFalse(Files.exists(stale));
    }

    @Test
    void aFileThatIsNoSocketIsLeftAlone() throws Exception {
        Path file = dir.resolve("data.sock");
        Files.writeString(file, "precious");
        VolumeException e = assertThrows(VolumeException.class,
            () -> PluginServer.start(file, new VolumeDriver(service), false));
        assertEquals("refusing to serve the volume plugin on " + file + ": it exists and is not a socket", e.getMessage());
        assertEquals("precious", Files.readString(file));
    }

    @Test
    void withAGroupTheSocketAndTheDirectoriesMadeAreTheGroupsAndTheOldSocketIsLeftToItsNewOwner() throws Exception {
        String group = Files.readAttributes(Path.of("/proc/self"), PosixFileAttributes.class).group().getName();
        Path s = dir.resolve("a/b/grouped.sock");
        PluginServer g = PluginServer.start(s, SocketAccess.withGroup(group), new VolumeDriver(service), false);
        try (PluginClient c = new PluginClient(s)) {
            c.post("Plugin.Activate", null).ok();
            PosixFileAttributes a = Files.readAttributes(s, PosixFileAttributes.class);
            assertEquals("rw-rw----", PosixFilePermissions.toString(a.permissions()));
            assertEquals(group, a.group().getName());
            for (Path d : List.of(dir.resolve("a"), dir.resolve("a/b"))) {
                PosixFileAttributes da = Files.readAttributes(d, PosixFileAttributes.class);
                assertEquals("rwxr-x---", PosixFilePermissions.toString(da.permissions()), d.toString());
                assertEquals(group, da.group().getName());
            }
            // Someone replaced the socket file (by hand, or a plugin started in its place): stopping leaves theirs.
            Files.delete(s);
            Files.writeString(s, "theirs");
        } finally {
            g.close();
        }
        assertEquals("theirs", Files.readString(s));
    }

    @Test
    void closingTwiceIsHarmless() {
        server.close();
        server.close();
        assertFalse(Files.exists(socket));
    }

    @Test
    void verboseLogsEveryCall() throws Exception {
        Path s = dir.resolve("verbose.sock");
        try (PluginServer v = PluginServer.start(s, new VolumeDriver(service), true); PluginClient c = new PluginClient(s)) {
            c.post("VolumeDriver.List", "{}").ok();
        }
        assertTrue(log().matches("(?s).*INFO plugin request VolumeDriver.List on " + s + ": done in \\d+ ms\n.*"), log());
    }

    @Test
    void aNullBodyIsNoBody() {
        ContentResponse r = PluginClient.send(client.request("VolumeDriver.Capabilities")
            .body(new StringRequestContent("null")));
        assertEquals(200, r.getStatus());
    }
}
