package io.flocker.volume.usage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A directory laid out like /proc: processes with a mount namespace link, a comm and a mountinfo. */
final class FakeProc {
    final Path root;

    FakeProc(Path root) {
        this.root = root;
    }

    /** Process {@code pid} named {@code comm} in namespace {@code ns} whose mounts are {@code mountinfo}. */
    FakeProc process(long pid, String comm, long ns, String mountinfo) {
        try {
            Path p = root.resolve(Long.toString(pid));
            Files.createDirectories(p.resolve("ns"));
            Files.createSymbolicLink(p.resolve("ns/mnt"), Path.of("mnt:[" + ns + "]"));
            Files.writeString(p.resolve("comm"), comm + "\n");
            Files.writeString(p.resolve("mountinfo"), mountinfo);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** This process is {@code pid}. */
    FakeProc self(long pid) {
        try {
            Files.createSymbolicLink(root.resolve("self"), Path.of(Long.toString(pid)));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A mountinfo line of a ZFS mount. */
    static String zfs(int id, String root, String at, String optional, String dataset) {
        return id + " 1 0:" + id + " " + root + " " + at + " rw,nosuid,nodev,relatime" + (optional.isEmpty() ? "" : " " + optional)
            + " - zfs " + dataset + " rw,xattr,posixacl\n";
    }

    static final String ROOT = "1 0 254:1 / / rw,relatime shared:1 - ext4 /dev/vda rw\n";
}
