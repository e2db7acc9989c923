package io.flocker.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.flocker.testbed.TestBed;
import io.flocker.testbed.TestPool;
import io.flocker.testbed.WithTestPools;
import io.flocker.volume.Volume;
import io.flocker.volume.VolumeDriver;
import io.flocker.volume.VolumeName;
import io.flocker.volume.VolumeService;
import io.flocker.volume.docker.DockerDataContainers;
import io.flocker.volume.zfs.ZfsStoragePool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The plugin, served in this JVM on a real pool, driven by the guest's real
 * dockerd through {@code docker volume} and {@code docker run -v}. What the
 * volumes hold, who uses them and whether they are mounted is checked with
 * the zfs command, apart from the code under test.
 */
@WithTestPools(size = "1G")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerPluginIT {
    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    private static final String DRIVER = "flockerit" + RUN;
    private static final Path SOCKET = Path.of("/run/docker/plugins", DRIVER + ".sock");

    private final TestPool tp;
    private final Path root;
    private final UUID node = UUID.randomUUID();
    private final ZfsStoragePool pool;
    private final DockerDataContainers containers = new DockerDataContainers("busybox");
    private final VolumeService service;
    private PluginServer server;
    private PluginClient client;

    DockerPluginIT(TestPool tp) {
        this.tp = tp;
        this.root = tp.mountpoint().resolveSibling(tp.name() + ".volumes");
        this.pool = ZfsStoragePool.open(tp.name(), root);
        this.service = new VolumeService(node, pool, containers);
    }

    @BeforeAll
    void start() {
        TestBed.requireDocker();
        server = PluginServer.start(SOCKET, new VolumeDriver(service), false);
        client = new PluginClient(SOCKET);
    }

    @AfterAll
    void stop() {
        for (String c : docker("ps", "-aq", "--filter", "name=" + RUN).stdout().split("\\s+")) {
            if (!c.isEmpty()) docker("rm", "-f", c);
        }
        for (String c : docker("ps", "-aq", "--filter", "label=" + DockerDataContainers.LABEL, "--filter", "name=" + RUN).stdout().split("\\s+")) {
            if (!c.isEmpty()) docker("rm", "-f", c);
        }
        for (String v : docker("volume", "ls", "-q", "--filter", "driver=" + DRIVER).stdout().split("\\s+")) {
            if (!v.isEmpty()) docker("volume", "rm", "-f", v);
        }
        if (client != null) client.close();
        if (server != null) server.close();
        containers.close();
        assertFalse(Files.exists(SOCKET), "the plugin's socket is removed when it stops");
    }

    private static TestBed.Result docker(String... args) {
        return docker(Duration.ofMinutes(5), args);
    }

    private static TestBed.Result docker(Duration bound, String... args) {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        return TestBed.run(cmd, null, bound);
    }

    private static String name(String base) {
        return base + "-" + RUN;
    }

    private String ds(String volume) {
        return tp.ds(node + "." + volume);
    }

    private Path mountpoint(String volume) {
        return root.resolve(node + "." + volume);
    }

    /** The users recorded on the dataset, as the zfs command sees its user properties. */
    private long users(String volume) {
        return tp.zfs("get", "-H", "-o", "property", "all", ds(volume)).lines()
            .filter(l -> l.startsWith("io.flocker:user.")).count();
    }

    private String mounted(String volume) {
        return tp.get(ds(volume), "mounted");
    }

    /**
     * The files in the dataset itself. A volume stays mounted after its last
     * container left, so its path is the dataset (the kernel's mount table
     * says so), never a directory on the root file system.
     */
    private Set<String> filesInDataset(String volume) throws IOException {
        assertEquals("yes", mounted(volume), "a volume stays mounted for its whole life");
        assertEquals(mountpoint(volume), io.flocker.lzc.ZfsMounts.mountpointOf(ds(volume)), "its path is the dataset");
        return list(mountpoint(volume));
    }

    private static Set<String> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return Set.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private JsonObject inspect(String volume) {
        return JsonParser.parseString(docker("volume", "inspect", volume).requireSuccess().stdout()).getAsJsonArray()
            .get(0).getAsJsonObject();
    }

    @Test
    void aVolumeFromDockerVolumeCreateToDockerVolumeRm() throws Exception {
        String v = name("v1");
        assertEquals(v + "\n", docker("volume", "create", "-d", DRIVER, v).requireSuccess().stdout());
        assertTrue(tp.has(ds(v)), "the volume is the dataset <pool>/<uuid>.<name>");

        docker("run", "--rm", "-v", v + ":/data", "busybox", "sh", "-c", "echo x > /data/f").requireSuccess();
        assertEquals(0, users(v));
        assertEquals("yes", mounted(v), "still mounted after its last container left (its last Unmount)");
        assertEquals(Set.of("f"), filesInDataset(v));
        assertEquals("x\n", docker("run", "--rm", "-v", v + ":/data", "busybox", "cat", "/data/f").requireSuccess().stdout(),
            "a second container sees what the first wrote");

        assertTrue(docker("volume", "ls", "--format", "{{.Driver}} {{.Name}}").requireSuccess().stdout().lines()
            .anyMatch((DRIVER + " " + v)::equals));
        JsonObject info = inspect(v);
        assertEquals(DRIVER, info.get("Driver").getAsString());
        assertEquals(mountpoint(v).toString(), info.get("Mountpoint").getAsString());
        assertEquals("local", info.get("Scope").getAsString());
        JsonObject status = info.getAsJsonObject("Status");
        assertEquals(ds(v), status.get("dataset").getAsString());
        assertEquals(0, status.get("users").getAsInt());
        Volume listed = service.list().stream().filter(x -> x.name().value().equals(v)).findFirst().orElseThrow();
        assertTrue(listed.owned(), "a volume of this node, as flocker-volume list shows it");
        assertNull(listed.mountPath(), "no data container, so no mount path");

        String holder = name("holder");
        docker("run", "-d", "--name", holder, "-v", v + ":/data", "busybox", "sleep", "600").requireSuccess();
        assertEquals(1, users(v));
        assertEquals("yes", mounted(v));
        assertEquals(1, inspect(v).getAsJsonObject("Status").get("users").getAsInt());
        TestBed.Result refused = docker("volume", "rm", v);
        assertNotEquals(0, refused.exitCode());
        assertTrue(refused.stderr().contains("volume is in use"), refused.stderr());
        // dockerd refuses on its own; the plugin refuses too, should anything ask it.
        assertTrue(client.post("VolumeDriver.Remove", v, null).err().startsWith("volume '" + v + "' is in use by 1 container"));
        assertTrue(tp.has(ds(v)));

        docker("rm", "-f", holder).requireSuccess();
        assertEquals(0, users(v));
        assertEquals("yes", mounted(v));
        docker("volume", "rm", v).requireSuccess();
        assertFalse(tp.has(ds(v)), "the dataset is gone");
        assertFalse(Files.exists(mountpoint(v)), "and so is its mountpoint");
        assertFalse(docker("volume", "ls", "-q").stdout().lines().anyMatch(v::equals));
    }

    @Test
    void optionsBecomeZfsPropertiesAndBadOnesAreRefusedChangingNothing() {
        String q = name("q");
        docker("volume", "create", "-d", DRIVER, "-o", "quota=8M", "-o", "recordsize=16K", "-o", "compression=off", q)
            .requireSuccess();
        assertEquals("8388608", tp.get(ds(q), "quota"));
        assertEquals("16384", tp.get(ds(q), "recordsize"));
        assertEquals("off", tp.get(ds(q), "compression"));
        assertEquals("8388608", inspect(q).getAsJsonObject("Status").get("quota").getAsString());
        TestBed.Result full = docker("run", "--rm", "-v", q + ":/data", "busybox", "dd", "if=/dev/urandom", "of=/data/big",
            "bs=1M", "count=16");
        assertNotEquals(0, full.exitCode(), "the quota holds: " + full.stderr());
        assertTrue(full.stderr().contains("Disk quota exceeded"), full.stderr());

        String before = tp.zfs("list", "-H", "-r", "-o", "name", tp.name());
        String bad = name("bad");
        List<List<String>> refused = List.of(List.of("foo=bar"), List.of("quota=lots"), List.of("recordsize=3000"),
            List.of("compression=brotli"), List.of("quota=1G", "mountpoint=/etc"));
        for (List<String> opts : refused) {
            List<String> cmd = new ArrayList<>(List.of("volume", "create", "-d", DRIVER));
            opts.forEach(o -> cmd.addAll(List.of("-o", o)));
            cmd.add(bad);
            TestBed.Result r = docker(cmd.toArray(String[]::new));
            assertNotEquals(0, r.exitCode(), opts.toString());
            String named = opts.get(opts.size() - 1).startsWith("mountpoint") ? "'mountpoint'"
                : opts.get(0).startsWith("foo") ? "'foo'" : "'" + opts.get(0) + "'";
            assertTrue(r.stderr().contains("invalid volume option " + named), opts + ": " + r.stderr());
        }
        assertEquals(before, tp.zfs("list", "-H", "-r", "-o", "name", tp.name()), "no dataset was made");
        assertFalse(docker("volume", "ls", "-q").stdout().lines().anyMatch(bad::equals));
    }

    @Test
    void fiftyConcurrentRunsOnTenVolumesLeaveTheCountsRight() throws Exception {
        int volumes = 10, runs = 50;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < volumes; i++) {
            names.add(name("c" + i));
            docker("volume", "create", "-d", DRIVER, names.get(i)).requireSuccess();
        }
        long t0 = System.nanoTime();
        ExecutorService threads = Executors.newFixedThreadPool(runs);
        List<Future<TestBed.Result>> results = new ArrayList<>();
        try {
            for (int i = 0; i < runs; i++) {
                String file = "run" + i;
                String v = names.get(i % volumes);
                // Fifty containers started at once under emulation: on a slow evening one run took over 5 minutes.
                results.add(threads.submit(() -> docker(Duration.ofMinutes(10), "run", "--rm", "-v", v + ":/data", "busybox", "sh", "-c",
                    "echo " + file + " > /data/" + file + " && sleep 1 && cat /data/" + file)));
            }
            for (int i = 0; i < runs; i++) {
                TestBed.Result r = results.get(i).get(10, TimeUnit.MINUTES);
                assertEquals(0, r.exitCode(), "run " + i + ": " + r.stderr());
                assertEquals("run" + i + "\n", r.stdout());
            }
        } finally {
            threads.shutdownNow();
        }
        System.out.printf("%d concurrent docker run -v on %d volumes: %.1f s%n", runs, volumes, (System.nanoTime() - t0) / 1e9);
        for (int k = 0; k < volumes; k++) {
            String v = names.get(k);
            assertEquals(0, users(v), v);
            assertEquals("yes", mounted(v), v);
            assertEquals(0, client.post("VolumeDriver.Get", v, null).ok().body().getAsJsonObject("Volume")
                .getAsJsonObject("Status").get("users").getAsInt());
            Set<String> expected = new TreeSet<>();
            for (int i = k; i < runs; i += volumes) expected.add("run" + i);
            assertEquals(expected, filesInDataset(v), "every container wrote into the dataset of " + v);
        }

        String v = names.get(0);
        List<String> holders = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            holders.add(name("h" + i));
            docker("run", "-d", "--name", holders.get(i), "-v", v + ":/data", "busybox", "sleep", "600").requireSuccess();
        }
        assertEquals(3, users(v));
        docker("rm", "-f", holders.get(0), holders.get(1)).requireSuccess();
        assertEquals(1, users(v));
        assertEquals("yes", mounted(v), "still used by one");
        docker("rm", "-f", holders.get(2)).requireSuccess();
        assertEquals(0, users(v));
        assertEquals("yes", mounted(v), "and after the last one left");
    }

    @Test
    void aVolumeOfFlockerVolumeCreateServesDockerRunButIsNotRemovedByDocker() {
        String w = name("web");
        service.create(VolumeName.of(w), Path.of("/data"));
        docker("run", "--rm", "--volume-driver", DRIVER, "-v", w + ":/x", "busybox", "sh", "-c", "echo y > /x/g")
            .requireSuccess();
        assertEquals("yes", mounted(w), "its data container needs it mounted");
        assertEquals("y\n", docker("run", "--rm", "--volumes-from", "flocker-" + w + "-data", "busybox", "cat", "/data/g")
            .requireSuccess().stdout());
        TestBed.Result rm = docker("volume", "rm", w);
        assertNotEquals(0, rm.exitCode());
        assertTrue(rm.stderr().contains("has a data container"), rm.stderr());
        assertTrue(rm.stderr().contains("flocker-volume destroy " + w), rm.stderr());
        assertTrue(tp.has(ds(w)));
        service.destroy(VolumeName.of(w));
        assertFalse(tp.has(ds(w)));
    }
}
