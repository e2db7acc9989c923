package io.flocker.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.KeyPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Host keys against a real known_hosts file read by JSch: new, known, of another type, and recorded concurrently. */
class KnownHostsCheckTest {
    private static final String HOST = "[10.0.0.9]:2222";

    @TempDir
    Path dir;

    private static byte[] publicKey(int type) throws Exception {
        KeyPair kp = KeyPair.genKeyPair(new JSch(), type, type == KeyPair.RSA ? 2048 : 0);
        try {
            return kp.getPublicKeyBlob();
        } finally {
            kp.dispose();
        }
    }

    private static KnownHostsCheck check(Path file, boolean acceptNew) throws Exception {
        JSch jsch = new JSch();
        if (Files.exists(file)) jsch.setKnownHosts(file.toString());
        return new KnownHostsCheck(jsch.getHostKeyRepository(), acceptNew, file);
    }

    @Test
    void aHostRecordedWithOneKeyTypeThatOffersAnotherIsRefusedEvenWhenNewKeysAreTrusted() throws Exception {
        byte[] ed = publicKey(KeyPair.ED25519);
        Path file = dir.resolve("known_hosts");
        String recorded = HOST + " ssh-ed25519 " + Base64.getEncoder().encodeToString(ed) + "\n";
        Files.writeString(file, recorded);
        KnownHostsCheck c = check(file, true);
        assertEquals(HostKeyRepository.CHANGED, c.check(HOST, publicKey(KeyPair.RSA)));
        assertEquals("the host " + HOST + " offered a ssh-rsa host key, but " + file + " records it with ssh-ed25519: "
            + "refusing to connect (someone may be intercepting; a host that changed its key type must be recorded "
            + "again by hand)", c.refusal);
        assertEquals(recorded, Files.readString(file), "nothing recorded");
        KnownHostsCheck again = check(file, true);
        assertEquals(HostKeyRepository.OK, again.check(HOST, ed), "the recorded key still passes");
        assertEquals(HostKeyRepository.CHANGED, check(file, true).check(HOST, publicKey(KeyPair.ED25519)));
    }

    @Test
    void aNewHostIsRefusedUnlessAskedAndThenAddedKeepingTheFileAndItsMode() throws Exception {
        Path file = dir.resolve("known_hosts");
        Files.writeString(file, "# kept\nother.example ssh-ed25519 " + Base64.getEncoder().encodeToString(publicKey(KeyPair.ED25519)));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        String before = Files.readString(file);
        byte[] key = publicKey(KeyPair.ED25519);
        KnownHostsCheck strict = check(file, false);
        assertEquals(HostKeyRepository.NOT_INCLUDED, strict.check(HOST, key));
        assertTrue(strict.refusal.contains("is not in " + file), strict.refusal);
        assertEquals(before, Files.readString(file));

        assertEquals(HostKeyRepository.OK, check(file, true).check(HOST, key));
        assertEquals(before + "\n" + HOST + " ssh-ed25519 " + Base64.getEncoder().encodeToString(key) + "\n",
            Files.readString(file), "appended after a newline the file lacked");
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(HostKeyRepository.OK, check(file, false).check(HOST, key), "known from then on");
        try (var listed = Files.list(dir)) {
            assertEquals(List.of(".known_hosts.lock", "known_hosts"),
                listed.map(p -> p.getFileName().toString()).sorted().toList(), "no copy left aside");
        }
    }

    @Test
    void twoFirstUsesOfOneHostWithDifferentKeysRecordOnlyTheFirstAndALinkIsFollowed() throws Exception {
        Path real = dir.resolve("real_known_hosts");
        Files.writeString(real, "");
        Path file = dir.resolve("known_hosts");
        Files.createSymbolicLink(file, real);
        KnownHostsCheck first = check(file, true), second = check(file, true), third = check(file, true);
        byte[] genuine = publicKey(KeyPair.ED25519);
        assertEquals(HostKeyRepository.OK, first.check(HOST, genuine));
        assertEquals(HostKeyRepository.CHANGED, second.check(HOST, publicKey(KeyPair.ED25519)),
            "read the file before the first recorded, but refused under the lock");
        assertTrue(second.refusal.contains("recorded in " + file + " by another connection meanwhile"), second.refusal);
        assertEquals(HostKeyRepository.OK, third.check(HOST, genuine), "the same key found recorded: not added twice");
        assertEquals(List.of(HOST + " ssh-ed25519 " + Base64.getEncoder().encodeToString(genuine)), Files.readAllLines(real));
        assertTrue(Files.isSymbolicLink(file), "the link stays a link");
    }

    @Test
    void concurrentFirstUsesAllKeepTheirLines() throws Exception {
        Path file = dir.resolve("ssh/known_hosts");
        int n = 8;
        List<KnownHostsCheck> checks = new ArrayList<>();
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            checks.add(check(file, true)); // each read the file (absent) before any of them wrote
            keys.add(publicKey(KeyPair.ED25519));
        }
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                results.add(pool.submit(() -> {
                    go.await();
                    return checks.get(k).check("host" + k + ".example", keys.get(k));
                }));
            }
            go.countDown();
            for (Future<Integer> r : results) assertEquals(HostKeyRepository.OK, r.get());
        } finally {
            pool.shutdownNow();
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(n, lines.size(), lines.toString());
        for (int i = 0; i < n; i++) {
            assertTrue(lines.contains("host" + i + ".example ssh-ed25519 " + Base64.getEncoder().encodeToString(keys.get(i))));
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    }
}
