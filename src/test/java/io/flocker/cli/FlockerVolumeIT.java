package io.flocker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.flocker.testbed.TestBed;
import io.flocker.testbed.TestPool;
import io.flocker.testbed.WithTestPools;
import io.flocker.volume.NodeIdentity;
import io.flocker.volume.Volume;
import io.flocker.volume.VolumeException;
import io.flocker.volume.VolumeName;
import io.flocker.volume.VolumeService;
import io.flocker.volume.docker.DockerDataContainers;
import io.flocker.volume.zfs.ZfsStoragePool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CLI end to end: bin/flocker-volume running target/flocker-volume.jar as
 * a process of its own, on a real pool and the real dockerd. Every run is a
 * new JVM, so everything it shows was read back from ZFS, not remembered.
 */
@WithTestPools
class FlockerVolumeIT {
    private static final Path BIN = TestBed.projectDir().resolve("bin/flocker-volume");
    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    private static Path dir;

    private final TestPool tp;
    private final Path root;

    FlockerVolumeIT(TestPool tp) {
        this.tp = tp;
        this.root = tp.mountpoint().resolveSibling(tp.name() + ".volumes");
    }

    @BeforeAll
    static void setUp() throws Exception {
        TestBed.requireDocker();
        assertTrue(Files.exists(TestBed.projectDir().resolve("target/flocker-volume.jar")), "mvn package makes the jar");
        dir = Files.createTempDirectory("flocker-volume-it");
    }

    // Only this class's containers (their names carry RUN): other IT classes may run beside it.
    @AfterAll
    static void removeContainers() {
        String ids = TestBed.run("docker", "ps", "-aq", "--filter", "label=io.flocker.volume", "--filter", "name=" + RUN)
            .stdout().strip();
        for (String id : ids.split("\\s+")) if (!id.isEmpty()) TestBed.run("docker", "rm", "-f", id);
    }

    private Path config() {
        return dir.resolve("volume.json");
    }

    /** Runs flocker-volume with this test's config, pool and mount root; {@code env} entries are NAME=value. */
    private TestBed.Result cli(List<String> env, String... args) {
        List<String> cmd = new ArrayList<>(List.of("env"));
        cmd.addAll(env);
        cmd.addAll(List.of(BIN.toString(), "--config", config().toString(), "--pool", tp.name(), "--mountpoint", root.toString()));
        cmd.addAll(List.of(args));
        return TestBed.run(cmd, null, Duration.ofMinutes(3));
    }

    private TestBed.Result cli(String... args) {
        return cli(List.of(), args);
    }

    private static String name(String base) {
        return base + "-" + RUN;
    }

    private UUID node() {
        return NodeIdentity.load(config()).uuid();
    }

    private static void assertOneLineError(TestBed.Result r, String... parts) {
        assertEquals(1, r.exitCode(), r.stderr());
        assertEquals("", r.stdout());
        assertEquals(1, r.stderr().lines().count(), "one line: " + r.stderr());
        assertTrue(r.stderr().startsWith("flocker-volume: "), r.stderr());
        for (String p : parts) assertTrue(r.stderr().contains(p), "'" + p + "' in: " + r.stderr());
    }

    @Test
    void everyCommandEndToEnd() throws Exception {
        TestBed.Result uuid = cli().requireSuccess();
        assertEquals(node() + "\n", uuid.stdout(), "no command: this node's UUID, from the identity file it made");

        String vol = name("web");
        TestBed.Result create = cli("create", vol, "/data").requireSuccess();
        Path mountpoint = root.resolve(node() + "." + vol);
        assertEquals(mountpoint + "\n", create.stdout());
        assertEquals("", create.stderr());
        assertEquals("yes", tp.get(tp.ds(node() + "." + vol), "mounted"));

        TestBed.run("docker", "run", "--rm", "--volumes-from", "flocker-" + vol + "-data", "busybox", "sh", "-c",
            "echo written through the data container > /data/note").requireSuccess();
        assertEquals("written through the data container\n", Files.readString(mountpoint.resolve("note")));

        List<String> table = cli("list").requireSuccess().stdout().lines().toList();
        assertTrue(table.get(0).startsWith("NAME "), table.toString());
        assertTrue(table.stream().anyMatch(l -> l.matches(vol + " +" + node() + " +yes +no +\\S+ +/data +" + mountpoint)),
            table.toString());

        JsonObject mine = jsonList().stream().filter(o -> o.get("name").getAsString().equals(vol)).findFirst().orElseThrow();
        assertEquals(node().toString(), mine.get("uuid").getAsString());
        assertEquals(tp.ds(node() + "." + vol), mine.get("dataset").getAsString());
        assertEquals(mountpoint.toString(), mine.get("mountpoint").getAsString());
        assertEquals("/data", mine.get("mount_path").getAsString());
        assertTrue(mine.get("owned").getAsBoolean());
        assertFalse(mine.get("readonly").getAsBoolean());
        assertEquals(Long.parseLong(tp.get(tp.ds(node() + "." + vol), "used")), mine.get("used").getAsLong());

        tp.zfs("snapshot", tp.ds(node() + "." + vol) + "@first");
        tp.zfs("snapshot", tp.ds(node() + "." + vol) + "@second");
        assertEquals("first\nsecond\n", cli("snapshots", node().toString(), vol).requireSuccess().stdout());
        TestBed.Result none = cli("snapshots", UUID.randomUUID().toString(), vol).requireSuccess();
        assertEquals("", none.stdout(), "another node's volume of that name is not here");

        TestBed.Result destroy = cli("destroy", vol).requireSuccess();
        assertEquals("", destroy.stdout() + destroy.stderr());
        assertFalse(tp.has(tp.ds(node() + "." + vol)));
        assertEquals(1, TestBed.run("docker", "inspect", "flocker-" + vol + "-data").exitCode());
        assertTrue(jsonList().stream().noneMatch(o -> o.get("name").getAsString().equals(vol)));
    }

    /**
     * Under LANG=C, as sshd and systemd run commands, a mount path beyond ASCII reaches the dataset and
     * Docker unchanged (JDK 17 would read the argument as US-ASCII: bin/flocker-volume picks a UTF-8 locale).
     * The command goes through a script written as UTF-8 bytes: this JVM's own locale may not be.
     */
    @Test
    void aMountPathBeyondAsciiArrivesWholeUnderLangC() throws Exception {
        String vol = name("utf8");
        String path = "/donn\u00e9es/\u20ac";
        Path script = Files.createTempFile("lang-c", ".sh");
        Files.write(script, ("unset LC_ALL LC_CTYPE; export LANG=C; exec " + BIN + " --config " + config() + " --pool "
            + tp.name() + " --mountpoint " + root + " create " + vol + " '" + path + "'\n")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        TestBed.run("sh", script.toString()).requireSuccess();
        String ds = tp.ds(node() + "." + vol);
        assertEquals(path, tp.get(ds, io.flocker.volume.zfs.ZfsStoragePool.MOUNT_PATH_PROPERTY), "as zfs(8) reads it");
        assertEquals(path + "\n", TestBed.run("docker", "inspect", "-f", "{{range .Mounts}}{{.Destination}}{{end}}",
            "flocker-" + vol + "-data").requireSuccess().stdout(), "the data container's mount");
        cli("destroy", vol).requireSuccess();
    }

    private List<JsonObject> jsonList() {
        JsonArray a = JsonParser.parseString(cli("list", "--json").requireSuccess().stdout()).getAsJsonArray();
        List<JsonObject> out = new ArrayList<>();
        a.forEach(e -> out.add(e.getAsJsonObject()));
        return out;
    }

    @Test
    void badNamesExitOneNamingThemAndChangeNothing() throws Exception {
        String before = tp.zfs("list", "-H", "-r", "-t", "all", "-o", "name", tp.name());
        String containersBefore = TestBed.run("docker", "ps", "-aq").stdout();
        Path pwned = dir.resolve("pwned");
        String tooLong = "n".repeat(VolumeName.maxLength(tp.name()) + 1);
        for (String bad : List.of("a/b", "a@b", "50%", "two words", "$(touch " + pwned + ")", "a;touch " + pwned, "`id`",
            "", tooLong)) {
            assertOneLineError(cli("create", bad, "/data"), "invalid volume name " + VolumeException.quote(bad));
        }
        assertFalse(Files.exists(pwned), "no shell ever saw the names");
        assertEquals(before, tp.zfs("list", "-H", "-r", "-t", "all", "-o", "name", tp.name()), "the pool is unchanged");
        assertEquals(containersBefore, TestBed.run("docker", "ps", "-aq").stdout(), "Docker is unchanged");
    }

    @Test
    void usageErrorsExitTwoAndHelpAndVersionZero() {
        TestBed.Result missing = cli("create", "only-a-name");
        assertEquals(2, missing.exitCode());
        assertTrue(missing.stderr().contains("Missing required parameter") && missing.stderr().contains("Usage: "),
            missing.stderr());
        assertEquals(2, cli("frobnicate").exitCode());
        TestBed.Result help = cli("--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.stdout().contains("snapshots"), help.stdout());
        TestBed.Result version = cli("--version");
        assertEquals(0, version.exitCode());
        assertTrue(version.stdout().startsWith("flocker-volume 0."), version.stdout());
    }

    @Test
    void foreignDatasetMadeByHandIsListedReadOnlyAndOnlyItsOwnerDestroys() throws Exception {
        UUID other = UUID.randomUUID();
        String ds = tp.ds(other + "." + name("foreign"));
        tp.zfs("create", "-o", "readonly=on", ds);
        JsonObject theirs = jsonList().stream().filter(o -> o.get("uuid").getAsString().equals(other.toString()))
            .findFirst().orElseThrow();
        assertFalse(theirs.get("owned").getAsBoolean());
        assertTrue(theirs.get("readonly").getAsBoolean());
        assertTrue(theirs.get("mount_path").isJsonNull());
        assertOneLineError(cli("destroy", name("foreign")), "belongs to node " + other, "only its owner");
        assertTrue(tp.has(ds));
        assertEquals("on", tp.get(ds, "readonly"));
        Path mp = Path.of(tp.get(ds, "mountpoint"));
        assertFalse(TestBed.run("touch", mp.resolve("f").toString()).exitCode() == 0, "still read-only");
    }

    @Test
    void operationalErrorsExitOneWithOneLine() throws Exception {
        String vol = name("dup");
        cli("create", vol, "/data").requireSuccess();
        assertOneLineError(cli("create", vol, "/elsewhere"), "'" + vol + "'", "exists already");

        assertOneLineError(cli("destroy", name("nothing")), "does not exist");

        String noImage = name("noimg");
        assertOneLineError(cli("create", "--image", "no-such-image-here", noImage, "/data"),
            "image 'no-such-image-here' is not on the Docker daemon");
        assertFalse(tp.has(tp.ds(node() + "." + noImage)), "no dataset without its container");

        String noDaemon = name("nodaemon");
        assertOneLineError(cli(List.of("DOCKER_HOST=unix:///run/no-docker-here.sock"), "create", noDaemon, "/data"),
            "cannot reach the Docker daemon at unix:///run/no-docker-here.sock");
        assertFalse(tp.has(tp.ds(node() + "." + noDaemon)));

        TestBed.Result noPool = TestBed.run(BIN.toString(), "--config", config().toString(), "--pool", "nosuchpool", "list");
        assertOneLineError(noPool, "ZFS pool 'nosuchpool' does not exist");

        Path badConfig = dir.resolve("bad.json");
        Files.writeString(badConfig, "this is not json");
        TestBed.Result unreadable = TestBed.run(BIN.toString(), "--config", badConfig.toString(), "--pool", tp.name(), "list");
        assertOneLineError(unreadable, "node identity file " + badConfig, "is not JSON");
        assertEquals("this is not json", Files.readString(badConfig), "never overwritten");

        TestBed.Result verbose = TestBed.run(BIN.toString(), "-v", "--config", config().toString(), "--pool", "nosuchpool", "list");
        assertEquals(1, verbose.exitCode());
        assertTrue(verbose.stderr().contains("\tat io.flocker."), "-v shows the stack trace: " + verbose.stderr());
    }

    @Test
    void noDevZfsIsOneLine() {
        // A mount namespace whose /dev has everything a JVM needs, but no zfs.
        String script = TestBed.dropCopiedZfsMounts(null) + " && mount -t tmpfs tmpfs /dev && mknod -m 666 /dev/null c 1 3 && mknod -m 666 /dev/zero c 1 5"
            + " && mknod -m 666 /dev/urandom c 1 9 && mknod -m 666 /dev/random c 1 8 && exec \"$@\"";
        TestBed.Result r = TestBed.run(List.of("unshare", "-m", "sh", "-c", script, "sh", BIN.toString(), "--config",
            config().toString(), "--pool", tp.name(), "list"), null, Duration.ofMinutes(3));
        assertOneLineError(r, "ZFS is not available: /dev/zfs does not exist");
    }

    @Test
    void aNewProcessSeesWhatAnotherMadeAndTheOtherWayRound() throws Exception {
        // made by the library in this JVM, read by the CLI in a new one
        String lib = name("bylib");
        try (DockerDataContainers docker = new DockerDataContainers("busybox")) {
            VolumeService service = new VolumeService(node(), ZfsStoragePool.open(tp.name(), root), docker);
            service.create(VolumeName.of(lib), Path.of("/from/library"));
        }
        JsonObject seen = jsonList().stream().filter(o -> o.get("name").getAsString().equals(lib)).findFirst().orElseThrow();
        assertEquals("/from/library", seen.get("mount_path").getAsString());
        assertTrue(seen.get("owned").getAsBoolean());

        // made by the CLI, read by a fresh service here
        String byCli = name("bycli");
        cli("create", byCli, "/from/cli").requireSuccess();
        try (DockerDataContainers docker = new DockerDataContainers("busybox")) {
            VolumeService fresh = new VolumeService(node(), ZfsStoragePool.open(tp.name(), root), docker);
            Volume v = fresh.get(VolumeName.of(byCli)).orElseThrow();
            assertEquals(Path.of("/from/cli"), v.mountPath());
            assertTrue(docker.exists(VolumeName.of(byCli)));
            fresh.destroy(VolumeName.of(lib));
        }
        cli("destroy", byCli).requireSuccess();
    }
}
