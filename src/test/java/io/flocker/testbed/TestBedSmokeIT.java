package io.flocker.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flocker.lzc.LibZfsCore;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The test bed's own parts, each proven once: ZFS, pools, dockerd, sshd. */
@WithTestPools
class TestBedSmokeIT {

    @Test
    void devZfsOpensThroughTheBinding(TestPool pool) {
        LibZfsCore lzc = LibZfsCore.open();
        assertTrue(lzc.exists(pool.name()), "the test pool's root dataset is visible through libzfs_core");
        assertFalse(lzc.exists(pool.name() + "/no-such-dataset"));
    }

    @Test
    void filePoolIsOnlineAndGoesAway(TestPool pool) {
        assertEquals("ONLINE", pool.zpool("list", "-H", "-o", "health", pool.name()).trim());
        String extra = pool.name() + "y";
        String script = TestBed.projectDir().resolve("test-pools/pool.sh").toString();
        TestBed.run(script, "create", extra, "128M").requireSuccess();
        assertTrue(Files.exists(Path.of("/testbed/pools", extra + ".img")));
        assertEquals("ONLINE", pool.zpool("list", "-H", "-o", "health", extra).trim());
        TestBed.run(script, "destroy", extra).requireSuccess();
        assertFalse(Files.exists(Path.of("/testbed/pools", extra + ".img")), "the pool's file is removed");
        assertEquals(1, TestBed.run("zpool", "list", extra).exitCode(), "the pool is gone");
    }

    @Test
    void dockerdAnswersOnItsSocket() throws IOException {
        TestBed.requireDocker();
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of("/var/run/docker.sock"))) {
            ch.write(ByteBuffer.wrap("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer buf = ByteBuffer.allocate(4096);
            while (ch.read(buf) > 0) { /* read to EOF: HTTP/1.0 closes */ }
            String reply = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII);
            assertTrue(reply.startsWith("HTTP/1.0 200") || reply.startsWith("HTTP/1.1 200"), reply);
            assertTrue(reply.endsWith("OK"), reply);
        }
        assertTrue(TestBed.run("docker", "image", "inspect", "busybox").exitCode() == 0, "the local busybox image exists");
    }

    @Test
    void sshdAcceptsTheGeneratedKeyWithAKnownHostKey() {
        TestBed.Result r = TestBed.run(List.of("ssh", "-i", TestBed.sshKey().toString(), "-o", "BatchMode=yes",
            "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + TestBed.knownHosts(),
            "root@127.0.0.1", "echo", "logged-in-as-$(id -un)"), null, java.time.Duration.ofSeconds(60));
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("logged-in-as-root", r.stdout().trim());
    }
}
