package io.flocker.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.flocker.node.NodeClient;
import io.flocker.node.NodeServer;
import io.flocker.sockets.SocketAccess;
import io.flocker.volume.VolumeId;
import io.flocker.volume.VolumeName;
import io.flocker.volume.VolumeService;
import io.flocker.volume.docker.FakeDataContainers;
import io.flocker.volume.memory.MemoryStoragePool;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's node socket runs the CLI's own receive-state, receive and
 * acquire on the agent's service, and nothing else.
 */
class NodeRequestsTest {
    @TempDir
    Path dir;

    private final UUID a = UUID.randomUUID(), b = UUID.randomUUID();
    private final MemoryStoragePool poolA = new MemoryStoragePool("flocker", Path.of("/flocker"));
    private final MemoryStoragePool poolB = new MemoryStoragePool("flocker", Path.of("/flocker"));
    private final VolumeService nodeA = new VolumeService(a, poolA, new FakeDataContainers());
    private final VolumeService nodeB = new VolumeService(b, poolB, new FakeDataContainers());
    private final VolumeName db = VolumeName.of("db");
    private NodeServer server;
    private Path socket;

    @BeforeEach
    void serve() {
        socket = dir.resolve("node.sock");
        server = NodeServer.start(socket, SocketAccess.ownerOnly(),
            new NodeRequests(new FlockerVolume.Session(nodeB, null), false));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private NodeClient.Reply call(byte[] stdin, String... args) throws Exception {
        return NodeClient.call(socket, List.of(args), stdin);
    }

    @Test
    void noWordsAsksTheNodesUuid() throws Exception {
        assertEquals(new NodeClient.Reply(b + "\n", "", 0), call(null));
    }

    @Test
    void aStreamSentThroughTheSocketBecomesTheReadOnlyCopy() throws Exception {
        nodeA.create(db, Path.of("/var/db"));
        poolA.snapshot(new VolumeId(a, db), "push-1");
        NodeClient.Reply state = call(null, "receive-state", a.toString(), "db");
        assertEquals(0, state.status(), state.stderr());
        assertTrue(state.stdout().startsWith("flocker-volume/1 {\"exists\":false,"), state.stdout());
        assertTrue(state.stdout().contains("\"node\":\"" + b + "\""), state.stdout());

        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        poolA.send(new VolumeId(a, db), "push-1", null, stream, n -> {});
        NodeClient.Reply r = call(stream.toByteArray(), "receive", "--announce", "--mount-path", "/var/db", "--keep", "2",
            "--epoch", "0", a.toString(), "db");
        assertEquals(0, r.status(), r.stderr());
        String[] lines = r.stdout().split("\n");
        assertTrue(lines[0].startsWith("flocker-volume/1 {\"exists\":false"), r.stdout());
        assertEquals("push-1", lines[1]);
        assertTrue(nodeB.get(a, db).orElseThrow().readOnly());
        assertEquals(List.of("push-1"), poolB.snapshots(new VolumeId(a, db)));

        NodeClient.Reply acquired = call(null, "acquire", a.toString(), "db");
        assertEquals(0, acquired.status(), acquired.stderr());
        assertTrue(nodeB.get(b, db).orElseThrow().owned(), "node B owns it now");
    }

    @Test
    void aFailedCommandSaysWhyOnItsErrorLinesAsTheCliWould() throws Exception {
        NodeClient.Reply r = call(new byte[] {1, 2, 3}, "receive", a.toString(), "db");
        assertEquals(1, r.status());
        assertTrue(r.stderr().startsWith("flocker-volume: "), r.stderr());
        assertTrue(nodeB.list().isEmpty(), "nothing received");
        NodeClient.Reply badName = call(null, "receive-state", a.toString(), "no/such");
        assertEquals(1, badName.status());
        assertTrue(badName.stderr().contains("no/such"), badName.stderr());
    }

    @Test
    void otherCommandsAndRootOptionsAreRefusedAndChangeNothing() throws Exception {
        nodeB.create(db, Path.of("/var/db"));
        for (String[] args : new String[][] {{"destroy", "db"}, {"create", "x", "/x"}, {"push", "db", "root@elsewhere"},
                {"receive-state", "--help"}, {"list"}, {"plugin"}}) {
            NodeClient.Reply r = call(null, args);
            assertEquals(2, r.status(), String.join(" ", args) + ": " + r);
            assertTrue(r.stderr().startsWith("flocker-volume: the node socket serves receive-state, receive and acquire"),
                r.stderr());
        }
        for (String[] args : new String[][] {{"--pool", "other", "receive-state", a.toString(), "db"},
                {"-v", "receive-state", a.toString(), "db"}, {"--config", "/etc/passwd", "acquire", a.toString(), "db"}}) {
            NodeClient.Reply r = call(null, args);
            assertEquals(2, r.status(), String.join(" ", args) + ": " + r);
            assertTrue(r.stderr().startsWith("flocker-volume: the node socket takes no option before the command"),
                r.stderr());
        }
        assertEquals(1, nodeB.list().size(), "the volume is still there");
        assertTrue(nodeB.get(b, db).orElseThrow().owned());
    }
}
