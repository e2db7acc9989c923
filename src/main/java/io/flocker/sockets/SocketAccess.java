package io.flocker.sockets;

import io.flocker.volume.VolumeException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import jdk.net.UnixDomainPrincipal;

/**
 * Who may use a unix socket we serve: root, the user this process runs as,
 * and, when one is given, the members of one group. The socket file's mode
 * says the same to the kernel (0600, or 0660 owned by the group), and each
 * connection's peer credentials ({@code SO_PEERCRED}) are checked again, so
 * that a mode loosened by hand, or a connection made through another path,
 * still gets no more.
 *
 * <p>A group's members are the callers whose effective group it is, and the
 * users it lists in {@code /etc/group}: the kernel gives the peer's uid and
 * gid only, not its supplementary groups.
 */
public final class SocketAccess {
    private static final Set<PosixFilePermission> OWNER = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_GROUP = PosixFilePermissions.fromString("rw-rw----");
    private static final Set<PosixFilePermission> DIR_OWNER = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> DIR_OWNER_GROUP = PosixFilePermissions.fromString("rwxr-x---");

    private final UserPrincipal root;
    private final UserPrincipal self;
    private final String groupName;
    private final GroupPrincipal group;
    private final Path groupFile;

    private SocketAccess(String groupName, Path groupFile) {
        var lookup = FileSystems.getDefault().getUserPrincipalLookupService();
        try {
            this.root = lookup.lookupPrincipalByName("0");
            this.self = Files.getOwner(Path.of("/proc/self"));
        } catch (IOException e) {
            throw new VolumeException("cannot tell which user this process runs as: " + e, e);
        }
        this.groupName = groupName;
        this.groupFile = groupFile;
        if (groupName == null) {
            this.group = null;
        } else {
            try {
                this.group = lookup.lookupPrincipalByGroupName(groupName);
            } catch (UserPrincipalNotFoundException e) {
                throw new VolumeException("no such group " + VolumeException.quote(groupName)
                    + " (the group given to use the socket)", e);
            } catch (IOException e) {
                throw new VolumeException("cannot look up the group " + VolumeException.quote(groupName) + ": " + e, e);
            }
        }
    }

    /** Root and this process's user only. */
    public static SocketAccess ownerOnly() {
        return new SocketAccess(null, null);
    }

    /**
     * Also the members of {@code group} (a name, or a number).
     *
     * @throws VolumeException naming the group when there is no such group
     */
    public static SocketAccess withGroup(String group) {
        return withGroup(group, Path.of("/etc/group"));
    }

    static SocketAccess withGroup(String group, Path groupFile) {
        Objects.requireNonNull(group, "group");
        return new SocketAccess(group, groupFile);
    }

    /** The group allowed besides root and this process's user, if any. */
    public Optional<GroupPrincipal> group() {
        return Optional.ofNullable(group);
    }

    /** The socket file's mode: 0600, or 0660 with a group. */
    public Set<PosixFilePermission> socketMode() {
        return group == null ? OWNER : OWNER_GROUP;
    }

    /** The mode of a directory made for the socket: 0700, or 0750 with a group. */
    public Set<PosixFilePermission> directoryMode() {
        return group == null ? DIR_OWNER : DIR_OWNER_GROUP;
    }

    /** Whether the caller {@code peer} may use the socket. */
    public boolean allows(UnixDomainPrincipal peer) {
        UserPrincipal user = peer.user();
        if (user.equals(root) || user.equals(self)) return true;
        if (group == null) return false;
        return peer.group().equals(group) || listedIn(user.getName());
    }

    /**
     * Why the caller at the other end of {@code channel} may not call, as its
     * peer credentials say; null when it may.
     *
     * @param what the server and its socket, for the refusal ("the volume plugin on /run/...")
     */
    public String refusal(java.nio.channels.SocketChannel channel, String what) {
        UnixDomainPrincipal peer;
        try {
            peer = channel.getOption(jdk.net.ExtendedSocketOptions.SO_PEERCRED);
        } catch (IOException | UnsupportedOperationException e) {
            return "refused: the caller's credentials cannot be read: " + e.getMessage();
        }
        if (allows(peer)) return null;
        return "permission denied: user " + VolumeException.quote(peer.user().getName()) + " (group "
            + VolumeException.quote(peer.group().getName()) + ") may not use " + what + "; it serves " + allowed();
    }

    /** Who the socket serves, for a refusal: "root and USER" with ", and group G". */
    public String allowed() {
        String users = self.equals(root) ? "root" : "root and " + self.getName();
        return group == null ? users : users + ", and group " + group.getName();
    }

    private boolean listedIn(String user) {
        List<String> lines;
        try {
            lines = Files.readAllLines(groupFile);
        } catch (IOException e) {
            return false;
        }
        for (String line : lines) {
            String[] f = line.split(":", -1);
            if (f.length == 4 && (f[0].equals(group.getName()) || f[2].equals(groupName))
                && Arrays.asList(f[3].split(",")).contains(user)) {
                return true;
            }
        }
        return false;
    }
}
