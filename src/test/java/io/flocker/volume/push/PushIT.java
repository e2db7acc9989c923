package io.flocker.volume.push;

import io.flocker.ssh.Destination;
import io.flocker.ssh.HostKeyRefused;
import io.flocker.ssh.SshFailed;
import io.flocker.ssh.SshSettings;
import io.flocker.testbed.TestBed;
import io.flocker.testbed.TestPool;
import io.flocker.testbed.TestPools;
import io.flocker.testbed.WithTestPools;
import io.flocker.volume.LockHolder;
import io.flocker.volume.NodeIdentity;
import io.flocker.volume.NotOwner;
import io.flocker.volume.Volume;
import io.flocker.volume.VolumeBusy;
import io.flocker.volume.VolumeDriver;
import io.flocker.volume.VolumeId;
import io.flocker.volume.VolumeLocks;
import io.flocker.volume.VolumeName;
import io.flocker.volume.VolumeService;
import io.flocker.volume.docker.DockerDataContainers;
import io.flocker.volume.zfs.ZfsStoragePool;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Push, receive and handoff between two nodes in the test guest: two pools
 * and two identity files play two machines, the guest's real OpenSSH sshd on
 * 127.0.0.1 carries the stream, and the receiving side is the real CLI
 * (bin/flocker-volume) that sshd starts.
 */
@WithTestPools(count = 3, size = "512M")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PushIT {
    private static final AtomicInteger SEQ = new AtomicInteger();
    /** Data containers outlive the pools in a guest's dockerd: names of their own for each run. */
    private static final String RUN = Long.toString(System.nanoTime() & 0xffffff, 36);
    private final TestPool poolA, poolB, poolC;
    private Path dir;
    private VolumeService a;
    private UUID nodeB;
    /** A third node, in this JVM: a second destination, reached without a JVM start per push. */
    private VolumeService c;
    private DockerDataContainers dockerA;

    PushIT(TestPools pools) {
        this.poolA = pools.get(0);
        this.poolB = pools.get(1);
        this.poolC = pools.get(2);
    }

    @BeforeAll
    void nodes() throws Exception {
        TestBed.requireDocker();
        dir = Files.createTempDirectory("push-it");
        dockerA = new DockerDataContainers("busybox");
        a = new VolumeService(NodeIdentity.load(dir.resolve("a.json")).uuid(),
            ZfsStoragePool.open(poolA.name(), poolA.mountpoint()), dockerA);
        nodeB = NodeIdentity.load(dir.resolve("b.json")).uuid();
        c = new VolumeService(NodeIdentity.load(dir.resolve("c.json")).uuid(),
            ZfsStoragePool.open(poolC.name(), poolC.mountpoint()), dockerA);
    }

    @AfterAll
    void close() {
        if (dockerA != null) dockerA.close();
    }

    /** flocker-volume as node B, the way sshd runs it. */
    private String remoteB() {
        return TestBed.projectDir().resolve("bin/flocker-volume") + " --config " + dir.resolve("b.json") + " --pool "
            + poolB.name() + " --mountpoint " + poolB.mountpoint();
    }

    private SshSettings ssh(String remoteCommand) {
        return SshSettings.defaults().withIdentities(List.of(TestBed.sshKey())).withKnownHosts(TestBed.knownHosts())
            .withRemoteCommand(remoteCommand);
    }

    private RemoteNode connectB() {
        return SshRemoteNode.connect(Destination.parse("root@127.0.0.1"), ssh(remoteB()));
    }

    private VolumeName fresh() {
        return VolumeName.of("v" + RUN + "-" + SEQ.incrementAndGet());
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private String dsB(UUID owner, VolumeName n) {
        return poolB.ds(owner + "." + n.value());
    }

    private Path mountB(UUID owner, VolumeName n) {
        return poolB.mountpoint().resolve(owner + "." + n.value());
    }

    private PushResult push(VolumeName n) {
        try (RemoteNode b = connectB()) {
            return new Pusher(a).push(n, b, PushOptions.defaults());
        }
    }

    @Test
    void eachCipherOnOfferCarriesTheStreamIntact() throws Exception {
        // libcrypto's ChaCha20-Poly1305 and AES-GCM, and one of JSch's own, against OpenSSH.
        for (String cipher : List.of("chacha20-poly1305@openssh.com", "aes128-gcm@openssh.com", "aes256-gcm@openssh.com",
                "aes256-ctr")) {
            VolumeName n = fresh();
            Volume v = a.create(n, Path.of("/data"));
            Files.write(v.mountpoint().resolve("big"), random(3 << 20, 11));
            try (RemoteNode b = SshRemoteNode.connect(Destination.parse("root@127.0.0.1"),
                    ssh(remoteB()).withCiphers(List.of(cipher)))) {
                assertTrue(b.cipher().startsWith(cipher), b.cipher());
                assertEquals(!cipher.endsWith("-ctr"), b.cipher().endsWith("(libcrypto)"), b.cipher());
                PushResult r = new Pusher(a).push(n, b, PushOptions.defaults());
                assertTrue(r.bytes() > 3 << 20, cipher + ": " + r.bytes());
            }
            assertArrayEquals(random(3 << 20, 11), Files.readAllBytes(mountB(a.node(), n).resolve("big")), cipher);
        }
    }

    @Test
    void fullThenIncrementalPushGiveAnIdenticalReadOnlyReplica() throws Exception {
        VolumeName n = fresh();
        Volume v = a.create(n, Path.of("/var/lib/db"));
        Files.write(v.mountpoint().resolve("big"), random(4 << 20, 1));
        PushResult first = push(n);
        assertFalse(first.incremental());
        String ds = dsB(a.node(), n);
        assertEquals("on", poolB.get(ds, "readonly"));
        assertEquals("/var/lib/db", poolB.get(ds, "io.flocker:mount_path"));
        assertEquals(poolA.get(v.dataset() + "@" + first.snapshot(), "guid"), poolB.get(ds + "@" + first.snapshot(), "guid"));
        assertArrayEquals(random(4 << 20, 1), Files.readAllBytes(mountB(a.node(), n).resolve("big")));
        assertThrows(java.io.IOException.class, () -> Files.writeString(mountB(a.node(), n).resolve("x"), "no"),
            "the replica is read-only");

        Files.write(v.mountpoint().resolve("small"), random(64 << 10, 2));
        PushResult second = push(n);
        assertEquals(first.snapshot(), second.from());
        assertTrue(second.bytes() < first.bytes() / 10, "incremental: " + second.bytes() + " vs " + first.bytes());
        assertArrayEquals(random(64 << 10, 2), Files.readAllBytes(mountB(a.node(), n).resolve("small")));
        assertEquals(List.of(first.snapshot(), second.snapshot()), snapshotsB(a.node(), n));
    }

    private List<String> snapshotsB(UUID owner, VolumeName n) {
        String out = TestBed.run(List.of("sh", "-c", remoteB() + " snapshots " + owner + " " + n.value()))
            .requireSuccess().stdout();
        return out.lines().filter(l -> !l.isBlank()).toList();
    }

    /** Runs flocker-volume on B over ssh with {@code stdin}: what a pushing node does, with any bytes. */
    private RemoteResult runB(List<String> args, byte[] stdin) {
        try (SshConnection c = SshConnection.open(Destination.parse("root@127.0.0.1"), ssh(remoteB()))) {
            return c.run(args, stdin == null ? null : out -> out.write(stdin));
        }
    }

    @Test
    void garbageTruncatedAndMismatchedStreamsAreRefusedAndChangeNothing() throws Exception {
        VolumeName n = fresh();
        Volume v = a.create(n, Path.of("/d"));
        Files.write(v.mountpoint().resolve("f"), random(1 << 20, 3));
        PushResult first = push(n);
        List<String> before = poolB.all();

        RemoteResult garbage = runB(List.of("receive", a.node().toString(), n.value()), random(100_000, 4));
        assertEquals(1, garbage.exitStatus());
        assertTrue(garbage.reason().contains("not a ZFS send stream"), garbage.stderr());
        assertEquals(before, poolB.all());

        a.pool().snapshot(v.id(), "later");
        Files.write(v.mountpoint().resolve("g"), random(1 << 20, 5));
        a.pool().snapshot(v.id(), "latest");
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        a.pool().send(v.id(), "latest", "later", stream, null);
        RemoteResult mismatched = runB(List.of("receive", a.node().toString(), n.value()), stream.toByteArray());
        assertEquals(1, mismatched.exitStatus(), mismatched.stderr());
        assertTrue(mismatched.reason().contains("does not apply"), mismatched.reason());
        assertEquals(before, poolB.all());

        stream.reset();
        a.pool().send(v.id(), "latest", first.snapshot(), stream, null);
        byte[] half = Arrays.copyOf(stream.toByteArray(), stream.size() / 2);
        RemoteResult truncated = runB(List.of("receive", a.node().toString(), n.value()), half);
        assertEquals(1, truncated.exitStatus(), truncated.stderr());
        assertEquals(before, visible(poolB.all()), "the copy is as it was (a resumable part is kept aside)");
        assertArrayEquals(random(1 << 20, 3), Files.readAllBytes(mountB(a.node(), n).resolve("f")));
        assertFalse(Files.exists(mountB(a.node(), n).resolve("g")));
    }

    /** Datasets a user sees: without the hidden %recv clones of partial receives. */
    private static List<String> visible(List<String> names) {
        return names.stream().filter(s -> !s.contains("%")).toList();
    }

    @Test
    void nobodyReceivesOntoItsOwnVolumeAndOnlyOwnersPush() {
        VolumeName n = fresh();
        RemoteResult own = runB(List.of("receive", nodeB.toString(), n.value()), random(1000, 6));
        assertEquals(1, own.exitStatus());
        assertTrue(own.reason().contains("refusing to receive"), own.reason());
        assertFalse(poolB.has(dsB(nodeB, n)));
        assertThrows(io.flocker.volume.VolumeNotFound.class, () -> push(n), "nothing to push");
    }

    @Test
    void unknownOrChangedHostKeysAreRefusedBeforeAnythingIsSent() throws Exception {
        VolumeName n = fresh();
        a.create(n, Path.of("/d"));
        Path empty = dir.resolve("empty_known_hosts");
        Files.writeString(empty, "");
        Destination d = Destination.parse("root@127.0.0.1");
        SshSettings strict = ssh(remoteB()).withKnownHosts(empty);
        HostKeyRefused unknown = assertThrows(HostKeyRefused.class, () -> SshRemoteNode.connect(d, strict));
        assertTrue(unknown.getMessage().contains("not in"), unknown.getMessage());

        // A key for 127.0.0.1 that is not the server's: what an attacker in the middle would present.
        Path wrong = dir.resolve("wrong_known_hosts");
        String otherKey = Files.readString(Path.of("/root/.ssh/id_ed25519.pub")).split(" ")[1];
        Files.writeString(wrong, "127.0.0.1 ssh-ed25519 " + otherKey + "\n");
        HostKeyRefused changed = assertThrows(HostKeyRefused.class,
            () -> SshRemoteNode.connect(d, ssh(remoteB()).withKnownHosts(wrong).withAcceptNewHostKey(true)));
        assertTrue(changed.getMessage().contains("CHANGED"), changed.getMessage());
        assertFalse(poolB.has(dsB(a.node(), n)), "nothing was sent");

        // A man in the middle that offers a key of another type than the one recorded: an sshd with only an RSA key.
        Path rsaKey = dir.resolve("rsa_host_key");
        TestBed.run("ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", rsaKey.toString()).requireSuccess();
        Process mitm = new ProcessBuilder("/usr/sbin/sshd", "-D", "-p", "2299", "-h", rsaKey.toString(), "-o", "PidFile=none",
            "-E", dir.resolve("sshd-rsa.log").toString()).start();
        try {
            for (int i = 0; i < 100 && !listening(2299); i++) Thread.sleep(50);
            Path edOnly = dir.resolve("ed25519_known_hosts");
            String recorded = "[127.0.0.1]:2299 " + Files.readString(Path.of("/etc/ssh/ssh_host_ed25519_key.pub"))
                .split(" ")[0] + " " + Files.readString(Path.of("/etc/ssh/ssh_host_ed25519_key.pub")).split(" ")[1] + "\n";
            Files.writeString(edOnly, recorded);
            HostKeyRefused otherType = assertThrows(HostKeyRefused.class, () -> SshRemoteNode.connect(
                Destination.parse("root@127.0.0.1:2299"), ssh(remoteB()).withKnownHosts(edOnly).withAcceptNewHostKey(true)));
            assertTrue(otherType.getMessage().startsWith("the host [127.0.0.1]:2299 offered a ssh-rsa host key, but " + edOnly
                + " records it with ssh-ed25519: refusing to connect"), otherType.getMessage());
            assertEquals(recorded, Files.readString(edOnly), "nothing recorded");
        } finally {
            mitm.destroy();
            mitm.waitFor();
        }

        Path fresh = dir.resolve("new_known_hosts");
        try (RemoteNode b = SshRemoteNode.connect(d, ssh(remoteB()).withKnownHosts(fresh).withAcceptNewHostKey(true))) {
            assertNotNull(b.nodeId());
        }
        assertTrue(Files.readString(fresh).startsWith("127.0.0.1 ssh-ed25519 "), "trusted on first use and recorded");
        try (RemoteNode b = SshRemoteNode.connect(d, ssh(remoteB()).withKnownHosts(fresh))) {
            assertEquals(nodeB, b.nodeId(), "and known from then on");
        }
    }

    @Test
    void sshConfigAliasesAndHostKeyAliasesAreFollowedAndAProxyIsRefused() throws Exception {
        String hostKey = Files.readString(Path.of("/etc/ssh/ssh_host_ed25519_key.pub")).split(" ")[1];
        Path config = dir.resolve("ssh_config");
        // A key at no default path, so that only the configuration can name it.
        Path key = copyOfTheLoginKey("config_key");
        Files.writeString(config, "Host keyed\n  HostKeyAlias node-b-key\nHost keyed plain\n  HostName 127.0.0.1\n"
            + "  User root\n  IdentityFile " + key + "\nHost far\n  HostName 127.0.0.1\n  ProxyJump bastion\n");
        Path byAlias = dir.resolve("alias_known_hosts");
        Files.writeString(byAlias, "node-b-key ssh-ed25519 " + hostKey + "\n");
        SshSettings s = ssh(remoteB()).withIdentities(List.of()).withAgentSocket(null).withSshConfig(config);
        try (SshConnection c = SshConnection.open(Destination.parse("keyed"), s.withKnownHosts(byAlias))) {
            assertEquals("keyed", c.destination().toString().replaceFirst(".*@", ""), "messages name the alias");
        }
        HostKeyRefused underAddress = assertThrows(HostKeyRefused.class,
            () -> SshConnection.open(Destination.parse("plain"), s.withKnownHosts(byAlias)).close());
        assertTrue(underAddress.getMessage().contains("plain (root@127.0.0.1"), underAddress.getMessage());
        try (SshConnection c = SshConnection.open(Destination.parse("plain"), s)) {
            assertNotNull(c.cipher(), "HostName, User and IdentityFile came from the configuration");
        }
        SshFailed noKey = assertThrows(SshFailed.class, () -> SshConnection.open(Destination.parse("plain"),
            s.withSshConfig(Files.writeString(dir.resolve("keyless_config"), "Host plain\n  HostName 127.0.0.1\n"
                + "  IdentityFile " + dir.resolve("no-such-key") + "\n"))).close());
        assertTrue(noKey.getMessage().contains("no SSH key"), "without the configuration's key, none: " + noKey.getMessage());
        SshFailed proxied = assertThrows(SshFailed.class, () -> SshConnection.open(Destination.parse("far"), s).close());
        assertTrue(proxied.getMessage().contains("ProxyJump"), proxied.getMessage());
        SshFailed noConfig = assertThrows(SshFailed.class,
            () -> SshConnection.open(Destination.parse("plain"), s.withSshConfig(null)).close());
        assertTrue(noConfig.getMessage().contains("plain"), noConfig.getMessage());
    }

    private Path copyOfTheLoginKey(String name) throws java.io.IOException {
        Path key = dir.resolve(name);
        Files.copy(TestBed.sshKey(), key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return key;
    }

    private static boolean listening(int port) {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /**
     * A hostile receiver (node C, in this JVM) that answers with resume
     * tokens it made up, each in ZFS's own encoding: a user's snapshot with
     * data deleted since, under its true GUID; a GUID that is not the
     * snapshot's; raw sending; another volume's snapshot; a start this node
     * does not have. The pool refuses all but the first, and the pusher the
     * first (not a snapshot taken for C): each push is a fresh incremental,
     * and the old data never leaves.
     */
    @Test
    void forgedResumeTokensGetAFreshIncrementalAndNothingOld() throws Exception {
        VolumeName n = fresh();
        Volume v = a.create(n, Path.of("/d"));
        Files.writeString(v.mountpoint().resolve("secret"), "deleted soon");
        a.pool().snapshot(v.id(), "private");
        Files.delete(v.mountpoint().resolve("secret"));
        MemoryRemote hostile = new MemoryRemote(c);
        new Pusher(a).push(n, hostile, PushOptions.defaults());

        String dsA = poolA.ds(a.node() + "." + n.value());
        long guid = a.pool().snapshotGuids(v.id()).get("private");
        Volume other = a.create(fresh(), Path.of("/e"));
        a.pool().snapshot(other.id(), "theirs");
        String flags[] = {"embedok", "compressok"};
        List<String> refusedByPool = List.of(
            io.flocker.lzc.ForgedResumeTokens.token(dsA + "@private", guid + 1, 0, flags),
            io.flocker.lzc.ForgedResumeTokens.token(dsA + "@private", guid, 0, "embedok", "compressok", "rawok"),
            io.flocker.lzc.ForgedResumeTokens.token(poolA.ds(a.node() + "." + other.name().value()) + "@theirs",
                a.pool().snapshotGuids(other.id()).get("theirs"), 0, flags),
            io.flocker.lzc.ForgedResumeTokens.token(dsA + "@private", guid, 12345, flags));
        for (String t : refusedByPool) {
            assertThrows(io.flocker.volume.StreamRefused.class, () -> a.pool().resumedSnapshot(v.id(), t));
        }
        String genuineLooking = io.flocker.lzc.ForgedResumeTokens.token(dsA + "@private", guid, 0, flags);
        assertEquals("private", a.pool().resumedSnapshot(v.id(), genuineLooking), "the pool alone would send it");

        VolumeId id = v.id();
        for (String t : concat(refusedByPool, genuineLooking)) {
            hostile.forge = st -> new io.flocker.volume.ReceiveState(st.exists(), st.snapshots(), java.util.Optional.of(t),
                st.epoch(), st.newestOwner(), st.newestEpoch(), st.guids());
            PushResult r = new Pusher(a).push(n, hostile, PushOptions.defaults());
            assertEquals(0, r.resumedBytes());
            assertTrue(r.incremental());
            List<String> there = c.pool().snapshots(id);
            assertFalse(there.contains("private"), there.toString());
            assertEquals(r.snapshot(), there.get(there.size() - 1));
        }
        assertFalse(Files.exists(c.get(a.node(), n).orElseThrow().mountpoint().resolve("secret")));
    }

    private static List<String> concat(List<String> a, String b) {
        List<String> all = new java.util.ArrayList<>(a);
        all.add(b);
        return all;
    }

    @Test
    void anRsaKeyLogsInToo() throws Exception {
        Path key = dir.resolve("id_rsa");
        TestBed.run("ssh-keygen", "-q", "-t", "rsa", "-b", "3072", "-N", "", "-f", key.toString()).requireSuccess();
        Files.writeString(Path.of("/root/.ssh/authorized_keys"), Files.readString(Path.of(key + ".pub")),
            java.nio.file.StandardOpenOption.APPEND);
        try (RemoteNode b = SshRemoteNode.connect(Destination.parse("root@127.0.0.1"),
                ssh(remoteB()).withIdentities(List.of(key)))) {
            assertEquals(nodeB, b.nodeId());
        }
    }

    /**
     * The remote shell prints before flocker-volume does (text, an escape
     * sequence, a line that looks like an answer): skipped. A receiver that
     * answers the first push of a handoff and then never again: the final
     * push is cut off after the answer timeout, and the volume is writable
     * again, still this node's.
     */
    @Test
    void noiseBeforeTheAnswerIsSkippedAndAReceiverThatStopsAnsweringIsCutOffWithWritesResumed() throws Exception {
        VolumeName n = fresh();
        Volume v = a.create(n, Path.of("/q"));
        String noisy = "printf 'Welcome\\033[2J\\n{\"exists\":true}\\n'; " + remoteB();
        try (RemoteNode b = SshRemoteNode.connect(Destination.parse("root@127.0.0.1"), ssh(noisy))) {
            PushResult r = new Pusher(a).push(n, b, PushOptions.defaults());
            assertEquals(nodeB, b.nodeId());
            assertEquals(List.of(r.snapshot()), b.state(v.id()).snapshots());
        }
        // The first push is answered (it says who the node is: no call of its own for that); from the second
        // call on (the final push, writes stopped) it hangs. 45 s: a JVM start in a busy guest must fit.
        Path calls = dir.resolve("calls-" + n.value());
        String once = "n=$(cat " + calls + " 2>/dev/null || echo 0); echo $((n+1)) > " + calls
            + "; if [ $n -ge 1 ]; then exec sleep 600; fi; " + remoteB();
        long t0 = System.nanoTime();
        try (RemoteNode b = SshRemoteNode.connect(Destination.parse("root@127.0.0.1"),
                ssh(once).withAnswerTimeout(Duration.ofSeconds(45)))) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> new Pusher(a).handoff(n, b, PushOptions.defaults()));
            String all = e.getMessage() + (e.getCause() == null ? "" : " / " + e.getCause().getMessage());
            assertTrue(all.contains("gave no answer within 45 s"), all);
        }
        assertEquals("2", Files.readString(calls).strip(), "it hung on the final push, after writes had stopped");
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(300), "cut off, not waited out");
        assertEquals("off", poolA.get(v.dataset(), "readonly"), "writable again");
        assertTrue(a.get(n).isPresent(), "still this node's");
        Files.writeString(v.mountpoint().resolve("after"), "written");
    }

    @Test
    void handoffMovesOwnershipAndKeepsAReadOnlyCopy() throws Exception {
        VolumeName n = fresh();
        Volume v = a.create(n, Path.of("/srv"));
        Files.write(v.mountpoint().resolve("state"), random(256 << 10, 7));
        try (RemoteNode b = connectB()) {
            new Pusher(a).handoff(n, b, PushOptions.defaults());
        }
        assertTrue(a.get(n).isEmpty(), "this node no longer owns it");
        Volume copy = a.get(nodeB, n).orElseThrow();
        assertTrue(copy.readOnly());
        assertEquals("on", poolA.get(copy.dataset(), "readonly"));
        // Both "machines" share the guest's one dockerd: the container of that name is now the new owner's.
        String binds = TestBed.run("docker", "inspect", "-f", "{{range .HostConfig.Mounts}}{{.Source}} {{end}}",
            "flocker-" + n.value() + "-data").requireSuccess().stdout();
        assertTrue(binds.contains(mountB(nodeB, n).toString()), "the data container binds the new owner's copy: " + binds);
        String theirs = dsB(nodeB, n);
        assertEquals("off", poolB.get(theirs, "readonly"), "the new owner writes");
        assertFalse(poolB.has(dsB(a.node(), n)));
        assertArrayEquals(random(256 << 10, 7), Files.readAllBytes(mountB(nodeB, n).resolve("state")));
        Files.writeString(mountB(nodeB, n).resolve("new-owner-wrote"), "yes");
        TestBed.run("docker", "rm", "-f", "flocker-" + n.value() + "-data");
        assertThrows(NotOwner.class, () -> push(n), "the old owner cannot push what it gave away");
    }

    @Test
    void aPluginVolumeIsPushedAndHandedOffWithNoMountPathAndNoDataContainer() throws Exception {
        VolumeName n = fresh();
        Volume v = a.create(n, io.flocker.volume.VolumeProperties.NONE);
        Files.writeString(v.mountpoint().resolve("f"), "made through the plugin");
        push(n);
        assertEquals("-", poolB.get(dsB(a.node(), n), "io.flocker:mount_path"), "the copy records no mount path either");
        try (RemoteNode b = connectB()) {
            new Pusher(a).handoff(n, b, PushOptions.defaults());
        }
        assertEquals("off", poolB.get(dsB(nodeB, n), "readonly"), "the new owner writes");
        assertEquals("made through the plugin", Files.readString(mountB(nodeB, n).resolve("f")));
        assertEquals(1, TestBed.run("docker", "inspect", "flocker-" + n.value() + "-data").exitCode(),
            "no data container where there is no mount path");
        assertTrue(a.get(nodeB, n).orElseThrow().readOnly(), "this node keeps a read-only copy");
        assertTrue(a.get(n).isEmpty());
    }

    @Test
    void aPushCutMidStreamResumesInsteadOfStartingOver() throws Exception {
        VolumeName n = fresh();
        Volume v = a.create(n, Path.of("/d"));
        Files.write(v.mountpoint().resolve("big"), random(8 << 20, 8));
        // The link drops after 2 MB: head passes that much, then the receiver sees the stream end.
        String cut = "sh -c 'head -c 2000000 | " + remoteB() + " \"$@\"' cut";
        try (RemoteNode b = SshRemoteNode.connect(Destination.parse("root@127.0.0.1"), ssh(cut))) {
            assertThrows(RemoteCommandFailed.class, () -> new Pusher(a).push(n, b, PushOptions.defaults()));
        }
        String ds = dsB(a.node(), n);
        assertNotNull(poolB.get(ds, "receive_resume_token"));
        PushResult r = push(n);
        assertTrue(r.resumedBytes() > 0 && r.resumedBytes() < (8 << 20) - 1_000_000,
            "resumed from where it stopped: " + r.resumedBytes());
        assertArrayEquals(random(8 << 20, 8), Files.readAllBytes(mountB(a.node(), n).resolve("big")));
        assertEquals("-", poolB.get(ds, "receive_resume_token"));
    }

    private static List<String> pushThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
            .filter(t -> t.startsWith("ssh-") || t.equals("zfs-send")).sorted().toList();
    }

    @Test
    void anInterruptCancelsAPushStalledOnTheReceiverAndLeavesNoThreadBehind() throws Exception {
        VolumeName n = fresh();
        Volume v = a.create(n, Path.of("/d"));
        Files.write(v.mountpoint().resolve("big"), random(24 << 20, 24));
        assertEquals(List.of(), pushThreads(), "none before");
        // The receiver announces, then its input is not read for a while: the SSH window fills and the
        // sender blocks inside JSch, which swallows interrupts.
        String stalled = "sh -c '{ sleep 97; cat; } | " + remoteB() + " \"$@\"' stall";
        CountDownLatchListener started = new CountDownLatchListener();
        Throwable[] failed = new Throwable[1];
        boolean[] stillInterrupted = new boolean[1];
        Thread pusher = new Thread(() -> {
            try (RemoteNode b = SshRemoteNode.connect(Destination.parse("root@127.0.0.1"), ssh(stalled))) {
                new Pusher(a).push(n, b, new PushOptions(2, started));
            } catch (RuntimeException e) {
                failed[0] = e;
            }
            stillInterrupted[0] = Thread.currentThread().isInterrupted();
        }, "pusher");
        try {
            pusher.start();
            assertTrue(started.bytes.await(120, TimeUnit.SECONDS), "the stream started");
            Thread.sleep(3_000); // the window is full by now
            assertTrue(pusher.isAlive(), "stalled, not finished");
            long t0 = System.nanoTime();
            pusher.interrupt();
            pusher.join(20_000);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertFalse(pusher.isAlive(), "the interrupt stopped the push");
            System.out.println("interrupted push stopped after " + ms + " ms");
            assertNotNull(failed[0], "the push failed");
            assertTrue(String.valueOf(failed[0].getMessage()).contains("interrupted"), String.valueOf(failed[0]));
            assertTrue(stillInterrupted[0], "the caller's interrupt is kept");
            assertEquals(List.of(), pushThreads(), "no thread of the push outlives it");
            assertFalse(a.get(n).orElseThrow().readOnly(), "the volume stays writable here");
        } finally {
            TestBed.run(List.of("pkill", "-f", "sleep 97")); // the stalled receiver then sees its input end
        }
        // The next push (waiting out the old receiver's lock over there, if it still holds it) brings it all.
        push(n);
        assertArrayEquals(random(24 << 20, 24), Files.readAllBytes(mountB(a.node(), n).resolve("big")));
    }

    /** Counts down once the first bytes of a stream went out. */
    private static final class CountDownLatchListener implements TransferListener {
        final java.util.concurrent.CountDownLatch bytes = new java.util.concurrent.CountDownLatch(1);

        @Override
        public void progress(long sent) {
            if (sent > 0) bytes.countDown();
        }
    }

    @Test
    void keysFromSshAgentAndPassphraseProtectedKeysLogIn() throws Exception {
        Path keys = Files.createTempDirectory(dir, "keys");
        Path locked = keys.resolve("locked"), inAgent = keys.resolve("in-agent"), stranger = keys.resolve("stranger");
        Path socket = keys.resolve("agent.sock"), phrase = keys.resolve("phrase"), wrong = keys.resolve("wrong");
        Files.writeString(phrase, "two words\n");
        Files.writeString(wrong, "not it\n");
        Path authorized = Path.of("/root/.ssh/authorized_keys");
        String before = Files.readString(authorized);
        TestBed.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "two words", "-f", locked.toString())).requireSuccess();
        TestBed.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", inAgent.toString())).requireSuccess();
        TestBed.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", stranger.toString())).requireSuccess();
        Files.writeString(authorized, before + Files.readString(Path.of(locked + ".pub")) + Files.readString(Path.of(inAgent + ".pub")));
        try {
            Destination d = Destination.parse("root@127.0.0.1");
            SshSettings lockedKey = ssh(remoteB()).withIdentities(List.of(locked)).withAgentSocket(null);
            SshFailed none = assertThrows(SshFailed.class, () -> SshRemoteNode.connect(d, lockedKey).close());
            assertTrue(none.getMessage().contains("has a passphrase and none was given"), none.getMessage());
            SshFailed bad = assertThrows(SshFailed.class, () -> SshRemoteNode.connect(d, lockedKey.withPassphraseFile(wrong)).close());
            assertTrue(bad.getMessage().contains("does not open it"), bad.getMessage());
            try (RemoteNode b = SshRemoteNode.connect(d, lockedKey.withPassphraseFile(phrase))) {
                assertEquals(nodeB, b.nodeId(), "logged in with the passphrase-protected key");
            }
            TestBed.run(List.of("ssh-agent", "-a", socket.toString())).requireSuccess();
            TestBed.run(List.of("env", "SSH_AUTH_SOCK=" + socket, "ssh-add", "-q", inAgent.toString())).requireSuccess();
            // Only the agent's key is authorized: the file offered after it is a stranger's.
            try (RemoteNode b = SshRemoteNode.connect(d, ssh(remoteB()).withIdentities(List.of(stranger)).withAgentSocket(socket))) {
                assertEquals(nodeB, b.nodeId(), "logged in with the agent's key");
            }
            SshFailed without = assertThrows(SshFailed.class, () -> SshRemoteNode.connect(d,
                ssh(remoteB()).withIdentities(List.of(stranger)).withAgentSocket(null)).close());
            assertTrue(without.getMessage().contains("accepted none of the keys"), without.getMessage());
            TestBed.Result listed = TestBed.run(List.of("env", "SSH_AUTH_SOCK=" + socket, "ssh-add", "-l"));
            assertEquals(1, listed.stdout().strip().lines().count(), "the agent's keys are untouched: " + listed.stdout());
        } finally {
            Files.writeString(authorized, before);
            TestBed.run(List.of("pkill", "-f", "ssh-agent -a " + socket));
        }
    }

    @Test
    void shellCharactersInArgumentsArriveAsText() throws Exception {
        VolumeName n = fresh();
        String path = "/data/$(touch /tmp/pwned-push-it);'x'`y`";
        a.create(n, Path.of(path));
        push(n);
        assertEquals(path, poolB.get(dsB(a.node(), n), "io.flocker:mount_path"));
        assertFalse(Files.exists(Path.of("/tmp/pwned-push-it")));
        assertThrows(io.flocker.volume.InvalidVolumeName.class, () -> VolumeName.of("x;touch /tmp/pwned"));
    }

    @Test
    void aFullRemotePoolGivesAClearErrorAndACleanReceiver() throws Exception {
        VolumeName n = fresh();
        Volume v = a.create(n, Path.of("/d"));
        Files.write(v.mountpoint().resolve("big"), random(24 << 20, 9));
        // Fill B's pool without writing: reserve all but a little of its space.
        long avail = Long.parseLong(poolB.get(poolB.name(), "available"));
        String hog = poolB.ds("hog");
        poolB.zfs("create", "-o", "refreservation=" + (avail - (4 << 20)), hog);
        try {
            List<String> before = poolB.all();
            RemoteCommandFailed f = assertThrows(RemoteCommandFailed.class, () -> push(n));
            assertTrue(f.getMessage().contains("space"), f.getMessage());
            assertEquals(before, poolB.all(), "no copy, no partial state left behind");
        } finally {
            poolB.zfs("destroy", hog);
        }
    }

    @Test
    void theCliPushesAndReportsTheReceiversError() throws Exception {
        VolumeName n = fresh();
        a.create(n, Path.of("/d"));
        // Reached through an alias of an ssh_config of its own, which also names the key.
        Path config = dir.resolve("cli_ssh_config");
        Files.writeString(config, "Host node-b\n  HostName 127.0.0.1\n  Port 22\n  IdentityFile "
            + copyOfTheLoginKey("cli_config_key") + "\n");
        List<String> cli = List.of(TestBed.projectDir().resolve("bin/flocker-volume").toString(), "--config",
            dir.resolve("a.json").toString(), "--pool", poolA.name(), "--mountpoint", poolA.mountpoint().toString(), "-v",
            "push", "-F", config.toString(), "--known-hosts", TestBed.knownHosts().toString(),
            "--remote-command", remoteB(), n.value(), "node-b");
        TestBed.Result ok = TestBed.run(cli);
        assertEquals(0, ok.exitCode(), ok.stderr());
        assertTrue(ok.stdout().contains("(full)"), ok.stdout());
        assertTrue(ok.stderr().contains("cipher "), "-v names the cipher: " + ok.stderr());
        assertTrue(poolB.has(dsB(a.node(), n)));

        List<String> broken = new java.util.ArrayList<>(cli);
        broken.remove("-v");
        broken.set(broken.indexOf("--remote-command") + 1, remoteB().replace("--pool " + poolB.name(), "--pool nosuchpool"));
        TestBed.Result bad = TestBed.run(broken);
        assertEquals(1, bad.exitCode());
        assertTrue(bad.stderr().contains("nosuchpool") && bad.stderr().contains("node-b"), bad.stderr());
        assertEquals(1, bad.stderr().strip().lines().count(), "one line: " + bad.stderr());
    }

    // ---- per-destination bases, tags, the lock -----------------------------

    private static final PushOptions KEEP_ONE = new PushOptions(1, TransferListener.NONE);

    @Test
    void manyPushesToOneDestinationAndTheOtherStillGetsAnIncremental() throws Exception {
        VolumeName n = fresh();
        Volume v = a.create(n, Path.of("/data"));
        Files.write(v.mountpoint().resolve("big"), random(2 << 20, 21));
        MemoryRemote toC = new MemoryRemote(c);
        PushResult firstB;
        try (RemoteNode b = connectB()) {
            firstB = new Pusher(a).push(n, b, KEEP_ONE); // over SSH: the receiver announces its GUIDs and UUID
        }
        assertFalse(firstB.incremental());
        PushResult cLast = null;
        for (int i = 0; i < 3; i++) {
            Files.write(v.mountpoint().resolve("c" + i), random(64 << 10, i));
            cLast = new Pusher(a).push(n, toC, KEEP_ONE);
            assertEquals(i > 0, cLast.incremental());
        }
        String ds = v.dataset();
        assertFalse(poolA.has(ds + "@" + firstB.snapshot()), "B's snapshot was pruned here");
        Files.write(v.mountpoint().resolve("b-again"), random(64 << 10, 99));
        PushResult b2;
        try (RemoteNode b = connectB()) {
            b2 = new Pusher(a).push(n, b, KEEP_ONE);
        }
        assertTrue(b2.incremental(), "from B's bookmark");
        assertEquals(firstB.snapshot(), b2.from());
        assertTrue(b2.bytes() < 1 << 20, "only what changed travelled: " + b2.bytes() + " bytes");
        assertArrayEquals(random(64 << 10, 99), Files.readAllBytes(mountB(a.node(), n).resolve("b-again")));
        assertArrayEquals(random(64 << 10, 2), Files.readAllBytes(mountB(a.node(), n).resolve("c2")));
        // one bookmark per destination, at the snapshot each has
        String bookmarks = poolA.zfs("list", "-H", "-t", "bookmark", "-o", "name,guid", "-r", ds);
        assertEquals(2, bookmarks.strip().lines().count(), bookmarks);
        assertTrue(bookmarks.contains(poolB.get(dsB(a.node(), n) + "@" + b2.snapshot(), "guid")), bookmarks);
        assertTrue(bookmarks.contains(poolC.get(poolC.ds(a.node() + "." + n.value()) + "@" + cLast.snapshot(), "guid")),
            bookmarks);
        assertEquals("received", poolB.get(dsB(a.node(), n) + "@" + b2.snapshot(), VolumeService.PUSH_TAG),
            "the receiver tagged what it took in");
        a.destroy(n);
        assertEquals("", poolA.zfs("list", "-H", "-t", "bookmark", "-o", "name", "-r", poolA.name()).lines()
            .filter(l -> l.contains(n.value())).reduce("", String::concat), "the bookmarks went with the volume");
    }

    @Test
    void usersSnapshotsNamedFlockerSurvivePushAndPruneAndASpaceBreaksNothing() throws Exception {
        VolumeName n = fresh();
        Volume v = a.create(n, Path.of("/data"));
        String ds = v.dataset();
        poolA.zfs("snapshot", ds + "@flocker-before-upgrade");
        poolA.zfs("snapshot", ds + "@flocker-pre upgrade"); // ZFS takes a space; our own names never have one
        MemoryRemote toC = new MemoryRemote(c);
        for (int i = 0; i < 3; i++) {
            Files.writeString(v.mountpoint().resolve("f"), "round " + i);
            assertNotNull(new Pusher(a).push(n, toC, KEEP_ONE));
        }
        PushResult last;
        try (RemoteNode b = connectB()) {
            new Pusher(a).push(n, b, KEEP_ONE);
            last = new Pusher(a).push(n, b, KEEP_ONE);
        }
        String snaps = poolA.zfs("list", "-H", "-t", "snapshot", "-o", "name", "-r", ds);
        assertTrue(snaps.contains(ds + "@flocker-before-upgrade") && snaps.contains(ds + "@flocker-pre upgrade"), snaps);
        assertEquals(3, snaps.strip().lines().count(), "the two of the user and the newest push snapshot: " + snaps);
        assertEquals(last.snapshot(), snaps.strip().lines().reduce((x, y) -> y).orElseThrow().substring(ds.length() + 1));
        assertEquals(nodeB.toString(), poolA.get(ds + "@" + last.snapshot(), VolumeService.PUSH_TAG),
            "tagged with its destination");
        assertEquals("-", poolA.get(ds + "@flocker-before-upgrade", VolumeService.PUSH_TAG));
    }

    @Test
    void twoConcurrentPushesOfOneVolumeAreSerialized() throws Exception {
        VolumeName n = fresh();
        Volume v = a.create(n, Path.of("/data"));
        Files.write(v.mountpoint().resolve("big"), random(1 << 20, 5));
        MemoryRemote toC = new MemoryRemote(c);
        var threads = Executors.newFixedThreadPool(2);
        try {
            var one = threads.submit(() -> new Pusher(a).push(n, toC, PushOptions.defaults()));
            var two = threads.submit(() -> new Pusher(a).push(n, toC, PushOptions.defaults()));
            PushResult r1 = one.get(5, TimeUnit.MINUTES);
            PushResult r2 = two.get(5, TimeUnit.MINUTES);
            assertEquals(1, toC.mostAtOnce.get(), "one push at a time");
            PushResult later = r1.incremental() ? r1 : r2, earlier = later == r1 ? r2 : r1;
            assertFalse(earlier.incremental());
            assertEquals(earlier.snapshot(), later.from());
        } finally {
            threads.shutdownNow();
        }
    }

    /**
     * The plugin's Mount of a volume being handed off waits for the handoff's lock and then fails, naming
     * it; it never mounts a volume halfway moved. Afterwards the new owner has it, whole.
     */
    @Test
    void aPluginMountDuringAHandoffWaitsThenFailsNamingItAndTheHandoffCompletes() throws Exception {
        VolumeName n = fresh();
        Volume v = a.create(n, Path.of("/data"));
        Files.writeString(v.mountpoint().resolve("state"), "before the handoff");
        VolumeDriver plugin = new VolumeDriver(new VolumeService(a.node(),
            ZfsStoragePool.open(poolA.name(), poolA.mountpoint()), dockerA,
            new VolumeLocks(VolumeLocks.DEFAULT_DIRECTORY, Duration.ofSeconds(1))));
        MemoryRemote toC = new MemoryRemote(c);
        List<String> seen = new CopyOnWriteArrayList<>();
        toC.duringReceive = () -> {
            try {
                CompletableFuture.supplyAsync(() -> plugin.mount(n, "container-1")).join();
                seen.add("mounted");
            } catch (CompletionException e) {
                seen.add(e.getCause().getMessage());
            }
        };
        new Pusher(a).handoff(n, toC, PushOptions.defaults());
        assertFalse(seen.isEmpty(), "the plugin asked during the handoff");
        for (String s : seen) assertTrue(s.contains("busy") && s.contains("hand off to"), s);
        assertTrue(a.get(n).isEmpty(), "A no longer owns it");
        Volume mine = c.get(n).orElseThrow();
        assertFalse(mine.readOnly());
        assertEquals("before the handoff", Files.readString(mine.mountpoint().resolve("state")));
        c.destroy(n);
    }

    @Test
    void aLockHeldByAnotherProcessMakesAPushWaitThenFailNamingItAndKill9FreesIt() throws Exception {
        VolumeName n = fresh();
        a.create(n, Path.of("/data"));
        // The default lock directory, as the CLI and the plugin use it in the guest.
        VolumeService impatient = new VolumeService(a.node(), ZfsStoragePool.open(poolA.name(), poolA.mountpoint()), dockerA,
            new VolumeLocks(VolumeLocks.DEFAULT_DIRECTORY, Duration.ofSeconds(2)));
        Process holder = LockHolder.start(VolumeLocks.DEFAULT_DIRECTORY, poolA.name(),
            n.value(), "hand off to elsewhere");
        MemoryRemote toC = new MemoryRemote(c);
        try {
            long t0 = System.nanoTime();
            VolumeBusy e = assertThrows(VolumeBusy.class,
                () -> new Pusher(impatient).push(n, toC, PushOptions.defaults()));
            assertTrue(System.nanoTime() - t0 >= 1_900_000_000L, "it waited");
            assertTrue(e.getMessage().contains("process " + holder.pid()) && e.getMessage().contains("hand off to elsewhere"),
                e.getMessage());
            assertEquals(0, toC.streams);
            assertEquals("", poolA.zfs("list", "-H", "-t", "snapshot", "-o", "name", "-r",
                poolA.ds(a.node() + "." + n.value())).strip(), "nothing was snapshotted");
            holder.destroyForcibly(); // SIGKILL
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
            assertFalse(new Pusher(impatient).push(n, toC, PushOptions.defaults()).incremental(), "free: the push goes");
        } finally {
            holder.destroyForcibly();
        }
    }
}
