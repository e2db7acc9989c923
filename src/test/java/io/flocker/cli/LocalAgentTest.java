package io.flocker.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.flocker.node.NodeClient;
import io.flocker.node.NodeServer;
import io.flocker.sockets.SocketAccess;
import io.flocker.volume.VolumeName;
import io.flocker.volume.VolumeService;
import io.flocker.volume.docker.FakeDataContainers;
import io.flocker.volume.memory.MemoryStoragePool;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CLI's push and handoff sent to the agent's control socket, on the
 * in-memory pool: what is sent, what runs where, and when the CLI runs the
 * command itself after all. AgentIT pushes through it on real ZFS and sshd.
 */
class LocalAgentTest {
    @TempDir
    Path dir;

    private final UUID node = UUID.randomUUID();
    private final MemoryStoragePool pool = new MemoryStoragePool("flocker", Path.of("/flocker"));
    private final VolumeService service = new VolumeService(node, pool, new FakeDataContainers());
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    private NodeServer server;
    private Path socket;
    private FlockerVolume agent;

    @BeforeEach
    void serve() {
        socket = dir.resolve("agent.sock");
        agent = new FlockerVolume(null);
        agent.config = dir.resolve("volume.json");
        agent.pool = "tank";
        agent.mountRoot = Path.of("/tank");
        server = NodeServer.start(socket, "control socket", SocketAccess.ownerOnly(),
            new ControlRequests(new FlockerVolume.Session(service, null), agent), Duration.ofMinutes(1));
        service.create(VolumeName.of("db"), Path.of("/var/db"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Integer run(Map<String, String> env, String... args) {
        return LocalAgent.run(args, env, dir.resolve("cwd"), new PrintStream(out, true), new PrintStream(err, true));
    }

    private Map<String, String> env() {
        return Map.of(LocalAgent.ENV, socket.toString());
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private List<String> ours(String... rest) {
        List<String> w = new java.util.ArrayList<>(List.of("--config", agent.config.toString(), "--pool", "tank",
            "--mountpoint", "/tank"));
        w.addAll(List.of(rest));
        return w;
    }

    @Test
    void aPushRunsInTheAgentWithTheCallersRelativePaths() {
        // Port 1 refuses at once; the key file is looked for in the caller's directory, not the agent's.
        Integer status = run(env(), ours("-v", "push", "db", "root@127.0.0.1:1", "-i", "keys/id", "--known-hosts",
            "kh").toArray(String[]::new));
        assertEquals(1, status, err());
        assertTrue(err().startsWith("flocker-volume: run by the local agent at " + socket + "\n"), err());
        assertTrue(err().contains(dir.resolve("cwd/keys/id").toString()), err());
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anAgentOfAnotherPoolOrNodeLeavesTheCommandToTheCli() {
        assertNull(run(env(), "push", "db", "root@127.0.0.1:1"), "the default pool is not the agent's");
        assertEquals("", err(), "silently, without -v");
        assertNull(run(env(), "-v", "--pool", "tank", "push", "db", "root@127.0.0.1:1"), "the default identity file is not");
        assertTrue(err().contains("not served by this agent: it serves pool 'tank' (identity " + agent.config
            + ", mountpoint /tank), not pool 'tank' (identity /etc/flocker/volume.json, mountpoint /flocker): running it here\n"),
            err());
        assertFalse(err().contains("run by the local agent"), err());
    }

    @Test
    void onlyPushAndHandoffGoAndNeitherHelpNorAnUnknownOption() {
        for (String[] args : new String[][] {{"list"}, {"receive", "a", "b"}, {"push", "--help"}, {"-x", "push", "db", "h"},
                {"push", "@args"}, {"--pool"}, {}}) {
            assertNull(run(env(), args), String.join(" ", args));
        }
        assertEquals("", err());
    }

    @Test
    void noAgentOrNoneMeansThisProcess() throws Exception {
        assertNull(run(Map.of(LocalAgent.ENV, dir.resolve("nothing.sock").toString()), ours("push", "db", "h")
            .toArray(String[]::new)));
        assertNull(run(Map.of(LocalAgent.ENV, "none"), ours("push", "db", "h").toArray(String[]::new)));
        // What kill -9 of an agent leaves: a socket file nobody listens on.
        Path dead = dir.resolve("dead.sock");
        try (var ch = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            ch.bind(java.net.UnixDomainSocketAddress.of(dead));
        }
        assertNull(run(Map.of(LocalAgent.ENV, dead.toString()), ours("-v", "push", "db", "h").toArray(String[]::new)));
        assertTrue(err().startsWith("flocker-volume: the local agent at " + dead + " cannot be asked ("), err());
        assertTrue(err().endsWith("): running it here\n"), err());
    }

    @Test
    void theControlSocketRefusesWhatTheCliWouldNotSend() throws Exception {
        NodeClient.Reply bare = NodeClient.call(socket, List.of("push", "db", "h"), null);
        assertEquals(2, bare.status());
        assertTrue(bare.stderr().contains("takes a request of flocker-volume's CLI"), bare.stderr());
        NodeClient.Reply relative = NodeClient.call(socket, List.of("--cwd", "rel", "--ssh-auth-sock", "", "push"), null);
        assertEquals(2, relative.status());
        List<String> list = new java.util.ArrayList<>(List.of("--cwd", "/", "--ssh-auth-sock", ""));
        list.addAll(ours("destroy", "db"));
        NodeClient.Reply destroy = NodeClient.call(socket, list, null);
        assertEquals(2, destroy.status());
        assertTrue(destroy.stderr().contains("runs push and handoff, not 'destroy'"), destroy.stderr());
        assertTrue(service.get(VolumeName.of("db")).isPresent(), "nothing was destroyed");
        List<String> at = new java.util.ArrayList<>(List.of("--cwd", "/", "--ssh-auth-sock", ""));
        at.addAll(ours("push", "@/etc/hostname"));
        NodeClient.Reply atFile = NodeClient.call(socket, at, null);
        assertEquals(new NodeClient.Reply("", "flocker-volume: the control socket takes no @FILE word: '@/etc/hostname'\n", 2),
            atFile);
        List<String> twice = new java.util.ArrayList<>(List.of("--cwd", "/", "--ssh-auth-sock", "", "--pool", "tank"));
        twice.addAll(ours("push", "db", "h"));
        assertEquals(2, NodeClient.call(socket, twice, null).status());
        List<String> option = new java.util.ArrayList<>(List.of("--cwd", "/", "--ssh-auth-sock", "", "--docker-host",
            "tcp://x", "push", "db", "h"));
        assertEquals(2, NodeClient.call(socket, option, null).status());
    }

    @Test
    void anAgentThatGoesBeforeTheExitStatusIsAFailureNotARerun() throws Exception {
        server.close();
        server = NodeServer.start(socket, "control socket", SocketAccess.ownerOnly(), (args, in, o, e) -> {
            o.println("half");
            o.flush();
            throw new IllegalStateException("the agent died");
        }, Duration.ofMinutes(1));
        assertEquals(1, run(env(), ours("push", "db", "h").toArray(String[]::new)));
        assertEquals("half\n", out.toString(StandardCharsets.UTF_8));
        assertTrue(err().contains("failed before the push ended (it closed the connection without an exit status)"),
            err());
    }
}
