package io.flocker.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.flocker.lzc.ZfsMounts;
import io.flocker.ssh.Destination;
import io.flocker.ssh.SshSettings;
import io.flocker.testbed.TestBed;
import io.flocker.testbed.TestPool;
import io.flocker.testbed.TestPools;
import io.flocker.testbed.WithTestPools;
import io.flocker.volume.NodeIdentity;
import io.flocker.volume.Volume;
import io.flocker.volume.VolumeId;
import io.flocker.volume.VolumeName;
import io.flocker.volume.VolumeService;
import io.flocker.volume.docker.DockerDataContainers;
import io.flocker.volume.push.PushOptions;
import io.flocker.volume.push.PushResult;
import io.flocker.volume.push.Pusher;
import io.flocker.volume.push.RemoteCommandFailed;
import io.flocker.volume.push.SshRemoteNode;
import io.flocker.volume.push.TransferListener;
import io.flocker.volume.zfs.ZfsStoragePool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The agent in the test guest: node B is a real {@code flocker-volume
 * agent} process serving its node socket, node A pushes from this JVM
 * through the guest's OpenSSH sshd, whose stream forwarding reaches the
 * socket, so nothing is started on B's side.
 */
@WithTestPools(count = 2, size = "512M")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentIT {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final String RUN = Long.toString(System.nanoTime() & 0xffffff, 36);
    private static final Path BIN = TestBed.projectDir().resolve("bin/flocker-volume");
    private final TestPool poolA, poolB;
    /** In a directory of its own under /run, which anyone may enter: the refusal test loosens it. */
    private final Path nodeSocket = Path.of("/run/agentit-" + RUN + "/node.sock");
    private final Path pluginSocket = Path.of("/run/docker/plugins/agentit" + RUN + ".sock");
    private final Path controlSocket = Path.of("/run/agentit-" + RUN + "/agent.sock");
    private Path dir;
    private VolumeService a;
    private UUID nodeB;
    private DockerDataContainers docker;
    private Process agent;
    private ByteArrayOutputStream agentErr;

    AgentIT(TestPools pools) {
        this.poolA = pools.get(0);
        this.poolB = pools.get(1);
    }

    @BeforeAll
    void nodes() throws Exception {
        TestBed.requireDocker();
        dir = Files.createTempDirectory("agent-it");
        docker = new DockerDataContainers("busybox");
        a = new VolumeService(NodeIdentity.load(dir.resolve("a.json")).uuid(),
            ZfsStoragePool.open(poolA.name(), poolA.mountpoint()), docker);
        nodeB = NodeIdentity.load(dir.resolve("b.json")).uuid();
        startAgent();
    }

    @AfterAll
    void close() throws Exception {
        if (agentErr != null) {
            Files.write(TestBed.projectDir().resolve("target/agentit-agent.log"), agentErr.toByteArray());
        }
        try {
            if (agent != null && agent.isAlive()) {
                agent.destroy();
                assertTrue(agent.waitFor(90, TimeUnit.SECONDS), "the agent stops within 90 s of SIGTERM: " + agentErr);
                assertEquals(143, agent.exitValue(), "ended by SIGTERM: " + agentErr);
                assertFalse(Files.exists(nodeSocket), "the node socket is removed");
                assertFalse(Files.exists(pluginSocket), "the plugin socket is removed");
                assertFalse(Files.exists(controlSocket), "the control socket is removed");
            }
        } finally {
            for (String c : TestBed.run("docker", "ps", "-aq", "--filter", "name=flocker-a" + RUN).stdout().split("\\s+")) {
                if (!c.isEmpty()) TestBed.run("docker", "rm", "-f", c);
            }
            if (docker != null) docker.close();
        }
    }

    /** Node B's flocker-volume, as sshd (or the agent's service file) would run it. */
    private List<String> cliB(String... args) {
        List<String> cmd = new ArrayList<>(List.of(BIN.toString(), "--config", dir.resolve("b.json").toString(), "--pool",
            poolB.name(), "--mountpoint", poolB.mountpoint().toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private String remoteB() {
        return String.join(" ", cliB());
    }

    private void startAgent() throws Exception {
        agent = new ProcessBuilder(cliB("agent", "--socket", pluginSocket.toString(), "--node-socket",
            nodeSocket.toString(), "--control-socket", controlSocket.toString())).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        agentErr = new ByteArrayOutputStream();
        ByteArrayOutputStream sink = agentErr;
        InputStream err = agent.getErrorStream();
        Thread drain = new Thread(() -> {
            try (err) {
                err.transferTo(sink);
            } catch (IOException ignored) {
                // the process ended
            }
        });
        drain.setDaemon(true);
        drain.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!agentErr.toString(StandardCharsets.UTF_8).contains("serving the volume plugin on " + pluginSocket)) {
            if (!agent.isAlive()) throw new AssertionError("the agent exited " + agent.exitValue() + ": " + agentErr);
            if (System.nanoTime() > deadline) throw new AssertionError("the agent did not start in 120 s: " + agentErr);
            Thread.sleep(100);
        }
        assertTrue(agentErr.toString(StandardCharsets.UTF_8).contains("serving the node socket on " + nodeSocket),
            agentErr.toString());
    }

    private void killAgent() throws Exception {
        agent.destroyForcibly();
        assertTrue(agent.waitFor(30, TimeUnit.SECONDS));
    }

    private SshSettings ssh(String remoteCommand) {
        return SshSettings.defaults().withIdentities(List.of(TestBed.sshKey())).withKnownHosts(TestBed.knownHosts())
            .withRemoteCommand(remoteCommand).withNodeSocket(nodeSocket.toString());
    }

    private VolumeName fresh() {
        return VolumeName.of("a" + RUN + "-" + SEQ.incrementAndGet());
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private Path mountB(UUID owner, VolumeName n) {
        return poolB.mountpoint().resolve(owner + "." + n.value());
    }

    @Test
    void aPushAndAHandoffThroughTheAgentStartNothingOverThere() throws Exception {
        VolumeName n = fresh();
        Volume v = a.create(n, Path.of("/data"));
        byte[] data = random(2 << 20, 1);
        Files.write(v.mountpoint().resolve("f"), data);
        // /bin/false over there: had anything been run by exec, the push would fail.
        try (SshRemoteNode b = SshRemoteNode.connect(Destination.parse("root@127.0.0.1"), ssh("/bin/false"))) {
            assertEquals(nodeB, b.nodeId());
            PushResult first = new Pusher(a).push(n, b, PushOptions.defaults());
            assertFalse(first.incremental());
            assertTrue(b.transport().startsWith("the agent's node socket " + nodeSocket), b.transport());
            assertArrayEquals(data, Files.readAllBytes(mountB(a.node(), n).resolve("f")));

            Files.write(v.mountpoint().resolve("g"), random(1 << 20, 2));
            PushResult second = new Pusher(a).push(n, b, PushOptions.defaults());
            assertTrue(second.incremental(), "incremental from " + first.snapshot());

            Files.write(v.mountpoint().resolve("h"), random(1 << 20, 3));
            new Pusher(a).handoff(n, b, PushOptions.defaults());
        }
        Path owned = mountB(nodeB, n);
        assertArrayEquals(random(1 << 20, 3), Files.readAllBytes(owned.resolve("h")), "the last write went over");
        assertEquals("off", poolB.get(poolB.ds(nodeB + "." + n.value()), "readonly"), "node B owns it, writable");
        assertTrue(a.get(nodeB, n).orElseThrow().readOnly(), "A's copy is read-only");
        assertTrue(agentErr.toString(StandardCharsets.UTF_8).contains(n.value()), "the agent logged it: " + agentErr);
    }

    /**
     * node B's own CLI pushes through its agent's control socket: the push
     * runs in the agent (warm), the CLI prints what it printed, and paths
     * relative to the CLI's directory are the CLI's.
     */
    @Test
    void theClisPushRunsInTheLocalAgent() throws Exception {
        String driver = pluginSocket.getFileName().toString().replace(".sock", "");
        VolumeName n = VolumeName.of("warm" + RUN);
        TestBed.run("docker", "volume", "create", "-d", driver, n.value()).requireSuccess();
        byte[] data = random(1 << 20, 5);
        Files.write(mountB(nodeB, n).resolve("f"), data);
        Path cwd = TestBed.sshKey().getParent();
        String remoteA = BIN + " --config " + dir.resolve("a.json") + " --pool " + poolA.name() + " --mountpoint "
            + poolA.mountpoint();
        ProcessBuilder pb = new ProcessBuilder(cliB("-v", "push", n.value(), "root@127.0.0.1", "--remote-command", remoteA,
            "--remote-socket", "none", "-i", TestBed.sshKey().getFileName().toString(), "--known-hosts",
            TestBed.knownHosts().toString())).directory(cwd.toFile());
        pb.environment().put(LocalAgent.ENV, controlSocket.toString());
        pb.environment().remove("SSH_AUTH_SOCK");
        Process cli = pb.start();
        cli.getOutputStream().close();
        String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(cli.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(cli.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, cli.exitValue(), out + err);
        assertTrue(err.startsWith("flocker-volume: run by the local agent at " + controlSocket + "\n"), err);
        assertTrue(err.contains("was reached through exec of"), err);
        assertTrue(out.contains(" (full), "), out);
        assertArrayEquals(data, Files.readAllBytes(a.get(nodeB, n).orElseThrow().mountpoint().resolve("f")));
        String log = agentErr.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("control socket " + controlSocket + ": '--cwd " + cwd + " --ssh-auth-sock  --config "), log);
        assertTrue(log.contains(" -v push " + n.value() + " root@127.0.0.1 "), log);
    }

    @Test
    void withStreamForwardingOffInSshdThePushRunsTheRemoteCommand() throws Exception {
        // A second sshd, with the guest's own host keys, that refuses stream forwarding.
        int port = 2298;
        Process sshd = new ProcessBuilder("/usr/sbin/sshd", "-D", "-p", Integer.toString(port), "-o", "PidFile=none",
            "-o", "AllowStreamLocalForwarding=no", "-E", dir.resolve("sshd-noforward.log").toString()).start();
        try {
            for (int i = 0; i < 200 && !listening(port); i++) Thread.sleep(50);
            Path known = dir.resolve("known_hosts_2298");
            String[] key = Files.readString(Path.of("/etc/ssh/ssh_host_ed25519_key.pub")).split(" ");
            Files.writeString(known, "[127.0.0.1]:" + port + " " + key[0] + " " + key[1] + "\n");
            Destination d = Destination.parse("root@127.0.0.1:" + port);
            VolumeName n = fresh();
            a.create(n, Path.of("/data"));
            try (SshRemoteNode b = SshRemoteNode.connect(d, ssh(remoteB()).withKnownHosts(known))) {
                new Pusher(a).push(n, b, PushOptions.defaults());
                assertTrue(b.transport().startsWith("exec of '" + remoteB() + "' (the node socket " + nodeSocket
                    + " could not be opened: "), b.transport());
            }
            assertTrue(poolB.has(poolB.ds(a.node() + "." + n.value())));
            // And it really is exec: a remote command that cannot run fails the push.
            try (SshRemoteNode b = SshRemoteNode.connect(d, ssh("/bin/false").withKnownHosts(known))) {
                assertThrows(RemoteCommandFailed.class, () -> new Pusher(a).push(n, b, PushOptions.defaults()));
            }
        } finally {
            sshd.destroy();
            sshd.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * The socket is 0600 in a directory of root's: the kernel refuses
     * nobody. With both loosened by hand, the agent refuses it by its peer
     * credentials, and says so on the error lines.
     */
    @Test
    void aCallerWithoutPermissionOnTheNodeSocketIsRefused() throws Exception {
        var mode = Files.getPosixFilePermissions(nodeSocket);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(mode));
        TestBed.Result byMode = asNobody();
        assertTrue(byMode.stdout().contains("connect: Permission denied"), byMode.stdout() + byMode.stderr());
        var dirMode = Files.getPosixFilePermissions(nodeSocket.getParent());
        try {
            Files.setPosixFilePermissions(nodeSocket.getParent(), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(nodeSocket, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
            TestBed.Result byCreds = asNobody();
            assertTrue(byCreds.stdout().startsWith("e flocker-volume: permission denied: user 'nobody' (group "),
                byCreds.stdout());
            assertTrue(byCreds.stdout().endsWith("x 1\n"), byCreds.stdout());
            assertFalse(byCreds.stdout().contains(nodeB.toString()), "it learnt nothing: " + byCreds.stdout());
        } finally {
            Files.setPosixFilePermissions(nodeSocket, mode);
            Files.setPosixFilePermissions(nodeSocket.getParent(), dirMode);
        }
    }

    /** The UUID question ({@code []}) asked by uid 65534. */
    private TestBed.Result asNobody() {
        String perl = "use IO::Socket::UNIX; my $s = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Peer => $ARGV[0])"
            + " or do { print \"connect: $!\\n\"; exit 3 }; print $s \"flocker-node/1 []\\n\"; shutdown($s, 1);"
            + " local $/; print <$s>;";
        return TestBed.run(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "perl", "-e", perl,
            nodeSocket.toString()), null, Duration.ofMinutes(1));
    }

    /**
     * kill -9 of the agent in the middle of a stream leaves what a broken
     * connection leaves, a resumable part; the agent started again mounts
     * what it must, forgets the plugin users whose containers are gone, and
     * the next push finishes the broken one.
     */
    @Test
    void killingTheAgentInTheMiddleOfAStreamLeavesAResumablePartTheNextPushFinishes() throws Exception {
        VolumeName n = fresh();
        Volume v = a.create(n, Path.of("/data"));
        byte[] big = random(48 << 20, 4);
        Files.write(v.mountpoint().resolve("big"), big);
        // A copy that was pushed before: it is mounted, and must be mounted again after the restart.
        VolumeName small = fresh();
        a.create(small, Path.of("/s"));
        try (SshRemoteNode b = SshRemoteNode.connect(Destination.parse("root@127.0.0.1"), ssh("/bin/false"))) {
            new Pusher(a).push(small, b, PushOptions.defaults());
        }
        String smallDs = poolB.ds(a.node() + "." + small.value());
        assertNotNull(ZfsMounts.mountpointOf(smallDs));
        // Two volumes Docker made through the agent; a (stopped) container has the second.
        String driver = pluginSocket.getFileName().toString().replace(".sock", "");
        VolumeName stale = VolumeName.of("stale" + RUN), kept = VolumeName.of("kept" + RUN);
        TestBed.run("docker", "volume", "create", "-d", driver, stale.value()).requireSuccess();
        TestBed.run("docker", "volume", "create", "-d", driver, kept.value()).requireSuccess();
        String keeper = "flocker-a" + RUN + "-keeper";
        TestBed.run("docker", "create", "--name", keeper, "-v", kept.value() + ":/k", "busybox", "true").requireSuccess();

        boolean[] killed = new boolean[1];
        TransferListener killer = new TransferListener() {
            @Override
            public void progress(long bytes) {
                if (bytes > (8 << 20) && !killed[0]) {
                    killed[0] = true;
                    agent.destroyForcibly();
                }
            }
        };
        try (SshRemoteNode b = SshRemoteNode.connect(Destination.parse("root@127.0.0.1"), ssh("/bin/false"))) {
            assertThrows(RuntimeException.class, () -> new Pusher(a).push(n, b, new PushOptions(PushOptions.DEFAULT_KEEP,
                killer)));
        }
        assertTrue(killed[0], "the agent was killed in the middle of the stream");
        assertTrue(agent.waitFor(30, TimeUnit.SECONDS));
        String ds = poolB.ds(a.node() + "." + n.value());
        String token = poolB.zfsResult("get", "-H", "-o", "value", "receive_resume_token", ds).stdout().strip();
        assertTrue(token.length() > 10, "a resumable part is there: " + token);
        // What a crash may leave besides: a copy unmounted, and users whose unmounts never came (their containers
        // went while the agent was down).
        poolB.zfs("unmount", smallDs);
        ZfsStoragePool storeB = ZfsStoragePool.open(poolB.name(), poolB.mountpoint());
        VolumeId staleId = new VolumeId(nodeB, stale), keptId = new VolumeId(nodeB, kept);
        storeB.addUser(staleId, "mount-of-a-removed-container");
        storeB.addUser(keptId, "mount-of-the-keeper");

        startAgent();
        assertNotNull(ZfsMounts.mountpointOf(smallDs), "the agent mounted it again on start");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!agentErr.toString(StandardCharsets.UTF_8).contains("start-up repair done")) {
            if (System.nanoTime() > deadline) throw new AssertionError("no start-up repair in 120 s: " + agentErr);
            Thread.sleep(100);
        }
        assertEquals(java.util.Set.of(), storeB.users(staleId), "no container has it: its user was forgotten");
        assertEquals(java.util.Set.of("mount-of-the-keeper"), storeB.users(keptId), "a container has it: kept");
        TestBed.run("docker", "volume", "rm", stale.value()).requireSuccess();
        assertFalse(poolB.has(poolB.ds(nodeB + "." + stale.value())), "docker volume rm is no longer blocked");
        TestBed.run("docker", "rm", keeper).requireSuccess();
        storeB.removeUser(keptId, "mount-of-the-keeper");
        TestBed.run("docker", "volume", "rm", kept.value()).requireSuccess();
        try (SshRemoteNode b = SshRemoteNode.connect(Destination.parse("root@127.0.0.1"), ssh("/bin/false"))) {
            PushResult r = new Pusher(a).push(n, b, PushOptions.defaults());
            assertTrue(r.resumedBytes() > 0, "the broken push was finished: " + r);
        }
        assertArrayEquals(big, Files.readAllBytes(mountB(a.node(), n).resolve("big")));
    }

    private static boolean listening(int port) {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
