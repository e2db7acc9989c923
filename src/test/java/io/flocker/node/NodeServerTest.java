package io.flocker.node;

import static org.junit.jupiter.api.Assertions.*;

import io.flocker.sockets.SocketAccess;
import io.flocker.volume.VolumeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node socket's server on a real unix socket: framing, refusals, and a stop that lets requests finish. */
class NodeServerTest {
    @TempDir
    Path dir;

    private static final NodeServer.Handler ECHO = (args, in, out, err) -> {
        try {
            byte[] input = in.readAllBytes();
            out.println("args " + args);
            out.print("no newline");
            err.println("read " + input.length + " bytes: " + new String(input, StandardCharsets.UTF_8));
            return 7;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    };

    @Test
    void aRequestGetsItsOutputErrorAndExitStatusAsLines() throws Exception {
        Path socket = dir.resolve("run/node.sock");
        try (NodeServer s = NodeServer.start(socket, SocketAccess.ownerOnly(), ECHO)) {
            assertEquals(socket, s.socket());
            assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
            NodeClient.Reply r = NodeClient.call(socket, List.of("receive", "a b"), "stream\nbytes".getBytes());
            assertEquals("args [receive, a b]\nno newline\n", r.stdout());
            assertEquals("read 12 bytes: stream\nbytes\n", r.stderr());
            assertEquals(7, r.status());
            // one after another on the same server
            assertEquals(7, NodeClient.call(socket, List.of(), null).status());
        }
        assertFalse(Files.exists(socket, LinkOption.NOFOLLOW_LINKS), "the socket file is removed");
    }

    @Test
    void aBadRequestLineIsRefusedWithStatus2AndTheHandlerNeverRuns() throws Exception {
        Path socket = dir.resolve("node.sock");
        NodeServer.Handler never = (args, in, out, err) -> {
            throw new AssertionError("ran " + args);
        };
        try (NodeServer s = NodeServer.start(socket, SocketAccess.ownerOnly(), never)) {
            NodeClient.Reply r = NodeClient.raw(socket, "receive-state a b\n".getBytes(), null);
            assertEquals(2, r.status());
            assertTrue(r.stderr().startsWith("flocker-volume: not a node request"), r.stderr());
            NodeClient.Reply json = NodeClient.raw(socket, "flocker-node/1 {\"op\":1}\n".getBytes(), null);
            assertEquals(2, json.status());
            byte[] huge = ("flocker-node/1 [\"" + "x".repeat(NodeFraming.MAX_REQUEST) + "\"]\n").getBytes();
            NodeClient.Reply tooLong = NodeClient.raw(socket, huge, null);
            assertEquals(2, tooLong.status());
            assertTrue(tooLong.stderr().contains("longer than " + NodeFraming.MAX_REQUEST), tooLong.stderr());
            NodeClient.Reply none = NodeClient.raw(socket, new byte[0], null);
            assertEquals(new NodeClient.Reply("", "", -1), none, "a caller that sends nothing (a probe) is told nothing");
            NodeClient.Reply cut = NodeClient.raw(socket, "flocker-node/1 [\"rece".getBytes(), null);
            assertEquals(2, cut.status(), "a request line cut short");
        }
    }

    @Test
    void aLiveServerIsNeverReplacedAndADeadOnesSocketIs() throws Exception {
        Path socket = dir.resolve("node.sock");
        try (NodeServer s = NodeServer.start(socket, SocketAccess.ownerOnly(), ECHO)) {
            VolumeException e = assertThrows(VolumeException.class,
                () -> NodeServer.start(socket, SocketAccess.ownerOnly(), ECHO));
            assertEquals("another process serves on " + socket + " (a flocker-volume agent running already?)", e.getMessage());
            assertEquals(7, NodeClient.call(socket, List.of(), null).status(), "the first still serves");
        }
        // What kill -9 leaves: a socket file nobody listens on.
        try (var dead = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            dead.bind(java.net.UnixDomainSocketAddress.of(socket));
        }
        try (NodeServer s = NodeServer.start(socket, SocketAccess.ownerOnly(), ECHO)) {
            assertEquals(7, NodeClient.call(socket, List.of(), null).status());
        }
        Path file = dir.resolve("file");
        Files.writeString(file, "x");
        VolumeException notSocket = assertThrows(VolumeException.class,
            () -> NodeServer.start(file, SocketAccess.ownerOnly(), ECHO));
        assertTrue(notSocket.getMessage().endsWith("it exists and is not a socket"), notSocket.getMessage());
        assertEquals("x", Files.readString(file), "left as it was");
    }

    @Test
    void closingLetsTheRequestInFlightFinishAndTakesNoNewOne() throws Exception {
        Path socket = dir.resolve("node.sock");
        CountDownLatch running = new CountDownLatch(1), release = new CountDownLatch(1);
        NodeServer s = NodeServer.start(socket, SocketAccess.ownerOnly(), (args, in, out, err) -> {
            running.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                return 99;
            }
            out.println("finished");
            return 0;
        });
        CompletableFuture<NodeClient.Reply> call = CompletableFuture.supplyAsync(() -> {
            try {
                return NodeClient.call(socket, List.of("receive"), null);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertTrue(running.await(10, TimeUnit.SECONDS));
        CompletableFuture<Void> stop = CompletableFuture.runAsync(s::close);
        Thread.sleep(300);
        assertFalse(stop.isDone(), "the stop waits for the request in flight");
        assertFalse(Files.exists(socket, LinkOption.NOFOLLOW_LINKS), "but no new caller finds the socket");
        release.countDown();
        stop.get(10, TimeUnit.SECONDS);
        NodeClient.Reply r = call.get(10, TimeUnit.SECONDS);
        assertEquals(new NodeClient.Reply("finished\n", "", 0), r);
        s.close(); // again: nothing
    }

    @Test
    void aCallerThatGoesSilentIsCutOffAfterTheIdleTimeoutButWorkIsNot() throws Exception {
        Path socket = dir.resolve("node.sock");
        CompletableFuture<String> handlerSaw = new CompletableFuture<>();
        NodeServer.Handler slow = (args, in, out, err) -> {
            if (args.equals(List.of("work"))) {
                try {
                    Thread.sleep(1_200); // longer than the idle timeout, but no wait on the caller
                } catch (InterruptedException e) {
                    return 99;
                }
                out.println("done");
                return 0;
            }
            try {
                in.readAllBytes();
                handlerSaw.complete("read to the end");
            } catch (IOException e) {
                handlerSaw.complete("cut: " + e.getClass().getSimpleName());
            }
            return 0;
        };
        try (NodeServer s = NodeServer.start(socket, SocketAccess.ownerOnly(), slow, java.time.Duration.ofMillis(300))) {
            assertEquals(new NodeClient.Reply("done\n", "", 0), NodeClient.call(socket, List.of("work"), null),
                "a command working without I/O is not idle");
            try (var ch = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(socket))) {
                NodeClient.write(ch, NodeFraming.request(List.of("receive")));
                NodeClient.write(ch, "part of a stream".getBytes());
                long start = System.nanoTime();
                // and nothing more, without closing: the server must cut it off
                NodeClient.Reply r = NodeClient.read(ch);
                long ms = (System.nanoTime() - start) / 1_000_000;
                assertEquals(-1, r.status(), "no exit status: the connection was cut");
                assertTrue(ms >= 250 && ms < 5_000, ms + " ms");
            }
            assertTrue(handlerSaw.get(10, TimeUnit.SECONDS).startsWith("cut: "), handlerSaw.get());
            assertThrows(IllegalArgumentException.class,
                () -> NodeServer.start(dir.resolve("b.sock"), SocketAccess.ownerOnly(), ECHO, java.time.Duration.ZERO));
        }
    }

    @Test
    void aRequestLineThatIsNotUtf8IsRefused() throws Exception {
        Path socket = dir.resolve("node.sock");
        try (NodeServer s = NodeServer.start(socket, SocketAccess.ownerOnly(), ECHO)) {
            byte[] line = {'f', 'l', 'o', 'c', 'k', 'e', 'r', '-', 'n', 'o', 'd', 'e', '/', '1', ' ', '[', '"', (byte) 0xc3,
                '"', ']', '\n'};
            NodeClient.Reply r = NodeClient.raw(socket, line, null);
            assertEquals(new NodeClient.Reply("", "flocker-volume: the request line is not UTF-8\n", 2), r);
        }
    }

    @Test
    void aGroupThatCouldNotReachTheSocketIsRefusedBeforeAnythingIsMade() throws Exception {
        String group = Files.readAttributes(dir, java.nio.file.attribute.PosixFileAttributes.class).group().getName();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path closed = Files.createDirectory(dir.resolve("closed"));
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
        Path socket = closed.resolve("node/node.sock");
        VolumeException e = assertThrows(VolumeException.class,
            () -> NodeServer.start(socket, SocketAccess.withGroup(group), ECHO));
        assertEquals("the group '" + group + "' could not reach the node socket at " + socket + ": the directory " + closed
            + " is rwx------ and " + Files.getOwner(closed).getName() + ":" + group + "'s, which the group may not enter; "
            + "give the socket a directory of its own (one that is missing is made for the group), such as "
            + "/run/flocker-node/node.sock", e.getMessage());
        assertFalse(Files.exists(closed.resolve("node")), "nothing was made");
        // The group may enter it: the missing directory is made for the group, 0750.
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwxr-x---"));
        try (NodeServer s = NodeServer.start(socket, SocketAccess.withGroup(group), ECHO)) {
            assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
            assertEquals("rw-rw----", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS)));
            assertEquals(7, NodeClient.call(socket, List.of(), null).status());
        }
        // No group: the directories are root's business.
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
        try (NodeServer s = NodeServer.start(socket, SocketAccess.ownerOnly(), ECHO)) {
            assertEquals(7, NodeClient.call(socket, List.of(), null).status());
        }
    }

    @Test
    void noThreadOutlivesTheServer() throws Exception {
        Path socket = dir.resolve("node.sock");
        NodeServer s = NodeServer.start(socket, SocketAccess.ownerOnly(), ECHO);
        for (int i = 0; i < 5; i++) NodeClient.call(socket, List.of("x"), null);
        s.close();
        for (int i = 0; i < 100 && flockerThreads() > 0; i++) Thread.sleep(20);
        assertEquals(0, flockerThreads(), "threads left: " + Thread.getAllStackTraces().keySet());
    }

    private static long flockerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("flocker-node")).count();
    }
}
