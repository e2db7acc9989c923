package io.flocker.ssh;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.UserInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * known_hosts as the SSH session's host key repository, with trust on first
 * use when asked. A host is new only when known_hosts has no key for it at
 * all: a host recorded with a key of one type that offers a key of another
 * type is refused like a changed key (JSch alone would call it "not
 * included", and trust on first use would then accept a man in the middle).
 *
 * <p>A key trusted on first use is added to the file as it is on disk at
 * that moment, under a lock that other flocker-volume processes take too,
 * through a copy renamed over it: concurrent pushes to new hosts all keep
 * their lines, and a crash leaves the old file or the new one, whole.
 * JSch's own copy of the file is never written back.
 */
final class KnownHostsCheck implements HostKeyRepository {
    private static final Logger LOG = LoggerFactory.getLogger(KnownHostsCheck.class);
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");
    /** File locks are the process's: threads of one JVM take this first. */
    private static final Object IN_PROCESS = new Object();

    private final HostKeyRepository known;
    private final boolean acceptNew;
    private final Path file;
    volatile String refusal;

    /**
     * @param known what the file held when the session began (JSch's parse of it)
     * @param acceptNew whether a host with no key at all in the file is trusted and recorded
     * @param file the known_hosts file
     */
    KnownHostsCheck(HostKeyRepository known, boolean acceptNew, Path file) {
        this.known = known;
        this.acceptNew = acceptNew;
        this.file = file;
    }

    @Override
    public int check(String host, byte[] key) {
        int r = known.check(host, key);
        if (r == CHANGED) {
            refusal = "the host key of " + host + " has CHANGED since it was recorded in " + file
                + ": refusing to connect (someone may be intercepting; if the host was reinstalled, remove its old "
                + "key from " + file + ")";
            return r;
        }
        if (r != NOT_INCLUDED) return r;
        HostKey offered;
        try {
            offered = new HostKey(host, key);
        } catch (JSchException e) {
            refusal = "the host " + host + " offered a host key that cannot be read: " + e.getMessage();
            return NOT_INCLUDED;
        }
        HostKey[] recorded = known.getHostKey(host, null);
        if (recorded != null && recorded.length > 0) {
            String types = Arrays.stream(recorded).map(HostKey::getType).distinct().collect(Collectors.joining(", "));
            refusal = "the host " + host + " offered a " + offered.getType() + " host key, but " + file
                + " records it with " + types + ": refusing to connect (someone may be intercepting; a host that "
                + "changed its key type must be recorded again by hand)";
            return CHANGED;
        }
        if (!acceptNew) {
            refusal = "the host key of " + host + " is not in " + file
                + ": refusing to connect (add it, or pass --accept-new-host-key to trust it on first use)";
            return r;
        }
        try {
            String raced = record(host, key, offered.getHost() + " " + offered.getType() + " " + offered.getKey() + "\n");
            if (raced == null) {
                LOG.info("recorded the new host key of {} ({}) in {}, trusting it on first use", host,
                    offered.getType(), file);
                return OK;
            }
            refusal = raced;
            return CHANGED;
        } catch (IOException | JSchException e) {
            refusal = "cannot record the new host key of " + host + " in " + file + ": " + e.getMessage();
            return NOT_INCLUDED;
        }
    }

    // Read, append, write aside, rename: under the lock, so that a concurrent recorder's line is read, not lost.
    // Null once recorded (or found recorded meanwhile, with this very key); else why it is refused.
    private String record(String host, byte[] key, String line) throws IOException, JSchException {
        synchronized (IN_PROCESS) {
            return recordLocked(host, key, line);
        }
    }

    private String recordLocked(String host, byte[] key, String line) throws IOException, JSchException {
        // A link is followed: the file it names is the one replaced.
        Path target = Files.isSymbolicLink(file) ? file.toRealPath() : file.toAbsolutePath();
        Path dir = target.getParent();
        if (!Files.exists(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Path lockFile = dir.resolve("." + target.getFileName() + ".lock");
        try (FileChannel lockChannel = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                 PosixFilePermissions.asFileAttribute(PRIVATE));
             FileLock held = lockChannel.lock()) {
            boolean exists = Files.exists(target);
            byte[] now = exists ? Files.readAllBytes(target) : new byte[0];
            // Another process may have recorded this host since the session began: its entry decides.
            JSch current = new JSch();
            current.setKnownHosts(new java.io.ByteArrayInputStream(now));
            HostKeyRepository there = current.getHostKeyRepository();
            if (there.check(host, key) == OK) return null;
            HostKey[] recorded = there.getHostKey(host, null);
            if (recorded != null && recorded.length > 0) {
                return "the host " + host + " was recorded in " + file + " by another connection meanwhile, with "
                    + "another key than the one it offered now: refusing to connect (someone may be intercepting)";
            }
            Set<PosixFilePermission> mode = exists ? Files.getPosixFilePermissions(target) : PRIVATE;
            Path aside = Files.createTempFile(dir, "." + target.getFileName() + ".", ".new",
                PosixFilePermissions.asFileAttribute(PRIVATE));
            try {
                try (FileChannel out = FileChannel.open(aside, StandardOpenOption.WRITE)) {
                    out.write(ByteBuffer.wrap(now));
                    if (now.length > 0 && now[now.length - 1] != '\n') out.write(ByteBuffer.wrap(new byte[] {'\n'}));
                    out.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII)));
                    out.force(true);
                }
                Files.setPosixFilePermissions(aside, mode);
                if (exists) {
                    var owner = Files.getOwner(target);
                    if (!owner.equals(Files.getOwner(aside))) Files.setOwner(aside, owner);
                }
                Files.move(aside, target, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(aside);
            }
            return null;
        }
    }

    // Nothing is added to JSch's copy: adding would make JSch rewrite the file from what it read at the start.
    @Override public void add(HostKey hostkey, UserInfo ui) { }
    @Override public void remove(String host, String type) { }
    @Override public void remove(String host, String type, byte[] key) { }
    @Override public String getKnownHostsRepositoryID() { return known.getKnownHostsRepositoryID(); }
    @Override public HostKey[] getHostKey() { return known.getHostKey(); }
    @Override public HostKey[] getHostKey(String host, String type) { return known.getHostKey(host, type); }
}
