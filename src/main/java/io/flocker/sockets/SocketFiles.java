package io.flocker.sockets;

import io.flocker.volume.VolumeException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The socket files of the servers here (the volume plugin, the node socket):
 * a socket is bound in a directory of its own that only root can enter,
 * given its {@link SocketAccess} mode there, and only then linked to its
 * path, so that it never accepts a caller the mode would refuse (a bind
 * makes the file with the umask's mode). A link never replaces a socket
 * another process made meanwhile; removal takes only the file this server
 * linked.
 */
public final class SocketFiles {
    private static final FileAttribute<Set<PosixFilePermission>> ROOT_ONLY =
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private SocketFiles() {}

    /**
     * Makes {@code path}'s missing directories (the access's mode and group)
     * and clears a dead socket file a killed server left there.
     *
     * @param what the server, for messages ("the volume plugin")
     * @param running what a live socket there likely is, for the refusal ("a volume plugin running already?")
     * @throws VolumeException when another process serves on {@code path}, or it is something other than a socket
     */
    public static void prepare(Path path, SocketAccess access, String what, String running) {
        try {
            makeDirectories(path.getParent(), access);
        } catch (IOException e) {
            throw new VolumeException("cannot make the directory " + path.getParent() + " of the socket of " + what
                + ": " + e, e);
        }
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException absent) {
            return;
        }
        if (!a.isOther()) {
            throw new VolumeException("refusing to serve " + what + " on " + path + ": it exists and is not a socket");
        }
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(path));
            throw new VolumeException("another process serves on " + path + " (" + running + ")");
        } catch (IOException dead) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                throw new VolumeException("cannot remove the stale socket " + path + " of " + what + ": " + e, e);
            }
        }
    }

    /**
     * Refuses a group's access to a socket that the group could not reach:
     * a directory on the way that it may not enter (such as /run/flocker,
     * root's alone) would leave the socket's group mode doing nothing.
     * Directories still missing are made passable for it by {@link #prepare}.
     *
     * @throws VolumeException naming the directory, when there is one
     */
    public static void requireGroupCanReach(Path path, SocketAccess access, String what) {
        if (access.group().isEmpty()) return;
        GroupPrincipal group = access.group().get();
        for (Path d = path.toAbsolutePath().normalize().getParent(); d != null; d = d.getParent()) {
            PosixFileAttributes a;
            try {
                a = Files.readAttributes(d, PosixFileAttributes.class);
            } catch (NoSuchFileException missing) {
                continue;
            } catch (IOException e) {
                throw new VolumeException("cannot read the directory " + d + " on the way to " + what + ": " + e, e);
            }
            Set<PosixFilePermission> p = a.permissions();
            boolean passes = p.contains(PosixFilePermission.OTHERS_EXECUTE)
                || p.contains(PosixFilePermission.GROUP_EXECUTE) && a.group().equals(group);
            if (!passes) {
                throw new VolumeException("the group " + VolumeException.quote(group.getName()) + " could not reach "
                    + what + " at " + path + ": the directory " + d + " is " + PosixFilePermissions.toString(p) + " and "
                    + a.owner().getName() + ":" + a.group().getName() + "'s, which the group may not enter; give the "
                    + "socket a directory of its own (one that is missing is made for the group), such as /run/flocker-node/"
                    + path.getFileName());
            }
        }
    }

    /** A new directory beside {@code path} that only root can enter, to bind the socket in. */
    public static Path privateDirectory(Path path, String what) {
        try {
            return Files.createTempDirectory(path.getParent(), ".fv", ROOT_ONLY);
        } catch (IOException e) {
            throw new VolumeException("cannot make a directory to bind the socket of " + what + " in, in "
                + path.getParent() + ": " + e, e);
        }
    }

    /**
     * Gives the socket {@code bound} its mode and group, then links it at {@code path}.
     *
     * @return the file's key, for {@link #removeIfSame}
     */
    public static Object publish(Path bound, Path path, SocketAccess access) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(bound, PosixFileAttributeView.class);
        view.setPermissions(access.socketMode());
        if (access.group().isPresent()) view.setGroup(access.group().get());
        Files.createLink(path, bound);
        return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }

    /** Removes the private directory and the name the socket was bound at; the linked path stays. */
    public static void dropPrivate(Path bound) {
        try {
            Files.deleteIfExists(bound);
            Files.deleteIfExists(bound.getParent());
        } catch (IOException e) {
            // only a leftover directory that nobody but root can enter
        }
    }

    /** Removes {@code path} when it is still the file {@code fileKey}: a server started since may have put its own there. */
    public static void removeIfSame(Path path, Object fileKey) {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.fileKey() != null && a.fileKey().equals(fileKey)) Files.delete(path);
        } catch (IOException gone) {
            // removed already
        }
    }

    // The directories made here get the access's mode (and group); those that exist are left as they are.
    private static void makeDirectories(Path dir, SocketAccess access) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path d = dir; d != null && !Files.exists(d, LinkOption.NOFOLLOW_LINKS); d = d.getParent()) missing.add(0, d);
        for (Path d : missing) {
            try {
                Files.createDirectory(d, ROOT_ONLY);
            } catch (FileAlreadyExistsException raced) {
                continue;
            }
            PosixFileAttributeView view = Files.getFileAttributeView(d, PosixFileAttributeView.class);
            if (access.group().isPresent()) view.setGroup(access.group().get());
            view.setPermissions(access.directoryMode());
        }
    }
}
