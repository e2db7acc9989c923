package io.flocker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.flocker.volume.StoragePool;
import io.flocker.volume.StorageUnavailable;
import io.flocker.volume.VolumeId;
import io.flocker.volume.VolumeName;
import io.flocker.volume.docker.DataContainers;
import io.flocker.volume.docker.FakeDataContainers;
import io.flocker.volume.memory.MemoryStoragePool;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The CLI on the in-memory pool and fake containers: parsing, printing, exit codes. */
class FlockerVolumeTest {
    @TempDir
    Path dir;

    private final MemoryStoragePool pool = new MemoryStoragePool("flocker", Path.of("/flocker"));
    private final FakeDataContainers containers = new FakeDataContainers();
    private final List<String> images = new ArrayList<>();
    private RuntimeException poolFailure;

    private final Backend backend = new Backend() {
        @Override
        public StoragePool pool(String name, Path mountRoot) {
            if (poolFailure != null) throw poolFailure;
            assertEquals("flocker", name);
            assertEquals(Path.of("/flocker"), mountRoot);
            return pool;
        }

        @Override
        public DataContainers containers(String image) {
            images.add(image);
            return containers;
        }
    };

    record Run(int exit, String out, String err) {}

    private Run run(String... args) {
        List<String> all = new ArrayList<>(List.of("--config", dir.resolve("volume.json").toString()));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter(), err = new StringWriter();
        // as main runs it: a pushing node's line without picocli, all others through it
        int exit = FlockerVolume.execute(backend, new PrintWriter(out, true), new PrintWriter(err, true),
            all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    private UUID node() {
        return UUID.fromString(run().out().strip());
    }

    @Test
    void noCommandPrintsThisNodesUuidMadeOnFirstUse() {
        Run first = run();
        assertEquals(0, first.exit(), first.err());
        assertTrue(Files.exists(dir.resolve("volume.json")));
        UUID u = UUID.fromString(first.out().strip());
        assertEquals(u + System.lineSeparator(), run().out());
        assertEquals("", first.err());
    }

    @Test
    void versionAndHelp() {
        Run v = run("--version");
        assertEquals(0, v.exit());
        assertTrue(v.out().startsWith("flocker-volume "), v.out());
        Run h = run("--help");
        assertEquals(0, h.exit());
        for (String word : List.of("--config", "--pool", "--mountpoint", "--verbose", "create", "list", "destroy", "snapshots")) {
            assertTrue(h.out().contains(word), word);
        }
        assertEquals(0, run("create", "--help").exit());
        Run helpPush = run("help", "push");
        assertEquals(0, helpPush.exit(), helpPush.err());
        assertTrue(helpPush.out().contains("DESTINATION"), helpPush.out());
    }

    @Test
    void aCommandLineHoldsOnlyTheCommandItsArgumentsName() {
        assertEquals(Set.of("receive"), FlockerVolume.commandLine(backend, "--pool", "p", "receive", "--announce", "u", "n")
            .getSubcommands().keySet());
        // "receive" here is --config's value, not the command
        assertEquals(Set.of("list"), FlockerVolume.commandLine(backend, "--config", "receive", "list")
            .getSubcommands().keySet());
        for (String[] args : new String[][] {{}, {"--help"}, {"help", "push"}, {"lisst"}}) {
            assertEquals(13, FlockerVolume.commandLine(backend, args).getSubcommands().size(), List.of(args).toString());
        }
        Run typo = run("lisst");
        assertEquals(2, typo.exit());
        assertTrue(typo.err().contains("list"), typo.err());
    }

    @Test
    void createPrintsTheMountpointAndMakesTheContainer() {
        Run r = run("create", "web", "/var/www");
        assertEquals(0, r.exit(), r.err());
        UUID u = node();
        assertEquals(Path.of("/flocker", u + ".web") + System.lineSeparator(), r.out());
        assertEquals(List.of("busybox"), images);
        assertEquals(Map.of("flocker-web-data", new FakeDataContainers.Container(Path.of("/flocker", u + ".web"),
            Path.of("/var/www"))), containers.all());
        assertTrue(containers.closed(), "the Docker connection is released");
    }

    @Test
    void createTakesAnImage() {
        assertEquals(0, run("create", "--image", "alpine:3", "v", "/d").exit());
        assertEquals(List.of("alpine:3"), images);
    }

    @Test
    void listAsTableAndJson() {
        run("create", "mine", "/data");
        UUID them = UUID.randomUUID();
        pool.create(new VolumeId(them, VolumeName.of("theirs")), Path.of("/x"), true);
        UUID me = node();

        Run table = run("list");
        assertEquals(0, table.exit(), table.err());
        List<String> lines = table.out().lines().toList();
        assertEquals(3, lines.size(), table.out());
        assertTrue(lines.get(0).startsWith("NAME"), lines.get(0));
        assertTrue(lines.get(1).matches("mine +" + me + " +yes +no +0 +/data +/flocker/" + me + "\\.mine"), lines.get(1));
        assertTrue(lines.get(2).matches("theirs +" + them + " +no +yes +0 +/x +/flocker/" + them + "\\.theirs"), lines.get(2));

        Run json = run("list", "--json");
        assertEquals(0, json.exit(), json.err());
        JsonArray a = JsonParser.parseString(json.out()).getAsJsonArray();
        assertEquals(2, a.size());
        JsonObject m = a.get(0).getAsJsonObject();
        assertEquals(me.toString(), m.get("uuid").getAsString());
        assertEquals("mine", m.get("name").getAsString());
        assertEquals("flocker/" + me + ".mine", m.get("dataset").getAsString());
        assertEquals("/flocker/" + me + ".mine", m.get("mountpoint").getAsString());
        assertEquals("/data", m.get("mount_path").getAsString());
        assertTrue(m.get("owned").getAsBoolean());
        assertFalse(m.get("readonly").getAsBoolean());
        assertEquals(0, m.get("used").getAsLong());
        JsonObject t = a.get(1).getAsJsonObject();
        assertFalse(t.get("owned").getAsBoolean());
        assertTrue(t.get("readonly").getAsBoolean());
    }

    @Test
    void emptyListIsAHeaderOrAnEmptyArray() {
        assertEquals(1, run("list").out().lines().count());
        assertEquals(0, JsonParser.parseString(run("list", "--json").out()).getAsJsonArray().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "a@b", "50%", "a b", "$(id)", "a;rm -rf", "`x`", "", "-x", "--x"})
    void badNamesExitOneNamingThemAndChangeNothing(String bad) {
        for (String[] args : List.of(new String[] {"create", bad, "/data"}, new String[] {"destroy", bad},
            new String[] {"snapshots", UUID.randomUUID().toString(), bad})) {
            Run r = run(args);
            assertEquals(1, r.exit(), String.join(" ", args) + ": " + r.err());
            assertEquals("flocker-volume: invalid volume name " + io.flocker.volume.VolumeException.quote(bad) + ": ",
                r.err().substring(0, r.err().indexOf(": ", r.err().indexOf("'" )) + 2), r.err());
            assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        }
        assertEquals(List.of(), pool.list());
        assertEquals(Map.of(), containers.all());
        assertEquals(List.of(), images, "Docker was never even opened");
    }

    @Test
    void tooLongNameIsRefused() {
        String name = "n".repeat(VolumeName.maxLength("flocker") + 1);
        Run r = run("create", name, "/data");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("'" + name + "'") && r.err().contains("at most " + VolumeName.maxLength("flocker")), r.err());
        assertEquals(List.of(), pool.list());
        assertEquals(Map.of(), containers.all());
    }

    @Test
    void badMountPathExitsOne() {
        Run r = run("create", "v", "relative/path");
        assertEquals(1, r.exit());
        assertEquals("flocker-volume: invalid mount path 'relative/path': it must be absolute (start with '/')\n", r.err());
    }

    @Test
    void usageErrorsExitTwo() {
        for (String[] args : List.of(new String[] {"create"}, new String[] {"create", "v"}, new String[] {"create", "v", "/d", "extra"},
            new String[] {"bogus"}, new String[] {"list", "--jsn"}, new String[] {"destroy"}, new String[] {"snapshots", "x"},
            new String[] {"--pool"}, new String[] {"--no-such-option"})) {
            Run r = run(args);
            assertEquals(2, r.exit(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().startsWith("flocker-volume: "), r.err());
            assertTrue(r.err().contains("Usage: "), r.err());
        }
        assertEquals(List.of(), pool.list());
    }

    @Test
    void aReceiveFromThisVeryNodeAnnouncesWhoItIsAndRefusesWithoutWaitingForItsLock() throws Exception {
        UUID me = node();
        run("create", "v", "/d");
        var locked = new java.util.concurrent.CountDownLatch(1);
        var done = new java.util.concurrent.CountDownLatch(1);
        Thread sender = new Thread(() -> {
            try (var held = io.flocker.volume.VolumeLocks.defaults().lock("flocker", io.flocker.volume.VolumeName.of("v"),
                    "a push")) {
                locked.countDown();
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        sender.start();
        assertTrue(locked.await(10, java.util.concurrent.TimeUnit.SECONDS));
        try {
            long t0 = System.nanoTime();
            Run r = run("receive", "--announce", me.toString(), "v");
            assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "not waiting for the lock its own sender holds");
            assertEquals(1, r.exit(), r.err());
            assertTrue(r.out().startsWith(io.flocker.volume.push.RemoteProtocol.PREFIX) && r.out().contains(me.toString()),
                "it says who it is: " + r.out());
            assertTrue(r.err().contains("refusing to receive volume 'v' of node " + me + ": that is this node"), r.err());
        } finally {
            done.countDown();
            sender.join();
        }
    }

    @Test
    void aKeepBelowOneIsAUsageErrorNamingItBeforeAnythingIsReadOrSent() {
        String owner = UUID.randomUUID().toString();
        for (String[] args : List.of(new String[] {"receive", "--keep", "0", owner, "v"},
            new String[] {"push", "--keep", "-1", "v", "root@nowhere.invalid"},
            new String[] {"handoff", "--keep", "zero", "v", "root@nowhere.invalid"})) {
            Run r = run(args);
            assertEquals(2, r.exit(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().startsWith("flocker-volume: Invalid value for option '--keep': '" + args[2] + "'"), r.err());
        }
        assertEquals(List.of(), pool.list());
    }

    @Test
    void anAnswerTimeoutBelowOneSecondIsAUsageErrorNamingIt() {
        for (String bad : List.of("0", "-5", "soon")) {
            Run r = run("push", "--answer-timeout", bad, "v", "root@nowhere.invalid");
            assertEquals(2, r.exit(), r.err());
            assertTrue(r.err().startsWith("flocker-volume: Invalid value for option '--answer-timeout': '" + bad + "'"), r.err());
        }
    }

    @Test
    void aSocketGroupThatDoesNotExistIsNamedAndNothingIsServedOrMade() {
        Path socket = dir.resolve("plugins/x.sock");
        Run r = run("plugin", "--socket", socket.toString(), "--socket-group", "no-such-grp");
        assertEquals(1, r.exit(), r.err());
        assertEquals("flocker-volume: no such group 'no-such-grp' (the group given to use the socket)\n", r.err());
        assertFalse(Files.exists(socket.getParent()), "no socket directory");
        assertFalse(Files.exists(dir.resolve("volume.json")), "no node identity made either");
    }

    @Test
    void theAgentsNodeSocketGroupIsCheckedBeforeAnythingIsServedOrMade() {
        Path socket = dir.resolve("plugins/x.sock"), node = dir.resolve("node/node.sock");
        Run r = run("agent", "--socket", socket.toString(), "--node-socket", node.toString(), "--node-socket-group",
            "no-such-grp");
        assertEquals(1, r.exit(), r.err());
        assertEquals("flocker-volume: no such group 'no-such-grp' (the group given to use the socket)\n", r.err());
        Run none = run("plugin", "--socket", socket.toString(), "--node-socket-group", "root");
        assertEquals(1, none.exit(), none.err());
        assertEquals("flocker-volume: --node-socket-group is for a node socket, and there is none\n", none.err());
        Run locks = run("agent", "--socket", socket.toString(), "--node-socket-group", "root");
        assertEquals(1, locks.exit(), locks.err());
        assertEquals("flocker-volume: --node-socket-group root: the group could not reach a node socket in /run/flocker, "
            + "which is root's alone (the locks live there); give the socket a directory of its own, such as "
            + "/run/flocker-node/node.sock\n", locks.err());
        assertFalse(Files.exists(socket.getParent()) || Files.exists(node.getParent()), "no socket directory");
        assertFalse(Files.exists(dir.resolve("volume.json")), "no node identity made either");
    }

    @Test
    void duplicateCreateExitsOne() {
        run("create", "v", "/d");
        Run r = run("create", "v", "/e");
        assertEquals(1, r.exit());
        assertTrue(r.err().matches("flocker-volume: volume 'v' of node [0-9a-f-]{36} exists already\n"), r.err());
    }

    @Test
    void destroyOnlyWhatThisNodeOwns() {
        UUID them = UUID.randomUUID();
        pool.create(new VolumeId(them, VolumeName.of("theirs")), Path.of("/x"), true);
        Run r = run("destroy", "theirs");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("belongs to node " + them), r.err());
        assertEquals(1, pool.list().size());

        Run missing = run("destroy", "nothing");
        assertEquals(1, missing.exit());
        assertTrue(missing.err().contains("'nothing' does not exist"), missing.err());

        run("create", "mine", "/d");
        Run ok = run("destroy", "mine");
        assertEquals(0, ok.exit(), ok.err());
        assertEquals("", ok.out());
        assertEquals(Map.of(), containers.all());
        assertEquals(1, pool.list().size());
    }

    @Test
    void snapshotsOneALineOldestFirst() {
        UUID them = UUID.randomUUID();
        VolumeId id = new VolumeId(them, VolumeName.of("r"));
        pool.create(id, Path.of("/x"), true);
        pool.snapshot(id, "t2");
        pool.snapshot(id, "t1");
        Run r = run("snapshots", them.toString(), "r");
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of("t2", "t1"), r.out().lines().toList());
        Run none = run("snapshots", them.toString(), "other");
        assertEquals(0, none.exit());
        assertEquals("", none.out());
        Run bad = run("snapshots", "not-a-uuid", "r");
        assertEquals(1, bad.exit());
        assertTrue(bad.err().startsWith("flocker-volume: invalid node UUID 'not-a-uuid'"), bad.err());
    }

    @Test
    void unreadableConfigIsOneLineAndMoreWithVerbose() throws Exception {
        Files.writeString(dir.resolve("volume.json"), "{\"uuid\": \"x\", \"version\": 7}");
        for (String[] args : List.of(new String[0], new String[] {"list"})) {
            Run r = run(args);
            assertEquals(1, r.exit());
            assertEquals("flocker-volume: node identity file " + dir.resolve("volume.json")
                + ": has version 7; this flocker-volume understands version 1 only\n", r.err());
        }
        Run v = run("-v", "list");
        assertEquals(1, v.exit());
        assertTrue(v.err().contains("\tat io.flocker.volume.NodeIdentity"), v.err());
    }

    @Test
    void storageUnavailableIsOneLine() {
        poolFailure = new StorageUnavailable("ZFS pool 'flocker' does not exist", null);
        Run r = run("list");
        assertEquals(1, r.exit());
        assertEquals("flocker-volume: ZFS pool 'flocker' does not exist\n", r.err());
    }

    @Test
    void bugsSayInternalErrorAndHowToSeeMore() {
        poolFailure = new IllegalStateException("boom");
        Run r = run("list");
        assertEquals(1, r.exit());
        assertEquals("flocker-volume: internal error: java.lang.IllegalStateException: boom (-v shows the stack trace)\n", r.err());
        Run v = run("--verbose", "list");
        assertTrue(v.err().contains("\tat io.flocker.cli.FlockerVolumeTest"), v.err());
    }

    @Test
    void failedUndoIsOnTheSameLine() {
        RuntimeException e = new io.flocker.volume.docker.ImageNotFound("x", null);
        e.addSuppressed(new io.flocker.volume.VolumeBusy("cannot destroy volume 'v': busy", null));
        StringWriter w = new StringWriter();
        Failures.report(new PrintWriter(w), e, false);
        assertEquals(1, w.toString().lines().count(), w.toString());
        assertTrue(w.toString().contains("; undoing it failed too: cannot destroy volume 'v': busy"), w.toString());
    }

    @Test
    void humanSizes() {
        assertEquals("0", VolumeFormats.human(0));
        assertEquals("1023", VolumeFormats.human(1023));
        assertEquals("24K", VolumeFormats.human(24576));
        assertEquals("1.5M", VolumeFormats.human(1536 * 1024));
        assertEquals("10.2G", VolumeFormats.human((long) (10.2 * (1L << 30))));
        assertEquals("512G", VolumeFormats.human(512L << 30));
    }
}
