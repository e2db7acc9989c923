package io.flocker.sockets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flocker.volume.VolumeException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import jdk.net.UnixDomainPrincipal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may call a socket we serve, from the peer credentials the kernel reports (Debian's users and groups). */
class SocketAccessTest {
    private static final UserPrincipalLookupService LOOKUP = FileSystems.getDefault().getUserPrincipalLookupService();

    @TempDir
    Path dir;

    private static UnixDomainPrincipal peer(String user, String group) throws IOException {
        return new UnixDomainPrincipal(LOOKUP.lookupPrincipalByName(user), LOOKUP.lookupPrincipalByGroupName(group));
    }

    @Test
    void ownerOnlyServesRootAndThisProcessesUserWithMode0600() throws IOException {
        SocketAccess a = SocketAccess.ownerOnly();
        assertTrue(a.allows(peer("root", "root")));
        assertTrue(a.allows(peer("0", "nogroup")), "root whatever its group");
        assertTrue(a.allows(new UnixDomainPrincipal(Files.getOwner(Path.of("/proc/self")), LOOKUP.lookupPrincipalByGroupName("nogroup"))));
        assertFalse(a.allows(peer("nobody", "nogroup")));
        assertFalse(a.allows(peer("nobody", "root")), "root's group is not root");
        assertEquals("rw-------", PosixFilePermissions.toString(a.socketMode()));
        assertEquals("rwx------", PosixFilePermissions.toString(a.directoryMode()));
        assertTrue(a.group().isEmpty());
    }

    @Test
    void aGroupAddsItsMembersByGidOrByTheGroupFileAndNobodyElse() throws IOException {
        Path groups = dir.resolve("group");
        Files.writeString(groups, "root:x:0:\ndaemon:x:1:bin,nobody\nnogroup:x:65534:\n");
        SocketAccess a = SocketAccess.withGroup("daemon", groups);
        assertTrue(a.allows(peer("nobody", "daemon")), "its effective group");
        assertTrue(a.allows(peer("nobody", "nogroup")), "listed as a member");
        assertFalse(a.allows(peer("sys", "nogroup")), "neither");
        assertFalse(SocketAccess.withGroup("nogroup", groups).allows(peer("sys", "daemon")));
        assertTrue(SocketAccess.withGroup("1", groups).allows(peer("bin", "bin")), "a group given by number");
        assertEquals("rw-rw----", PosixFilePermissions.toString(a.socketMode()));
        assertEquals("rwxr-x---", PosixFilePermissions.toString(a.directoryMode()));
        assertEquals("daemon", a.group().orElseThrow().getName());
        assertTrue(a.allowed().endsWith(", and group daemon"), a.allowed());
    }

    @Test
    void anUnreadableGroupFileListsNobody() throws IOException {
        SocketAccess a = SocketAccess.withGroup("daemon", dir.resolve("absent"));
        assertFalse(a.allows(peer("nobody", "nogroup")));
        assertTrue(a.allows(peer("nobody", "daemon")));
    }

    @Test
    void aGroupThatDoesNotExistIsNamed() {
        VolumeException e = assertThrows(VolumeException.class, () -> SocketAccess.withGroup("no-such-grp"));
        assertEquals("no such group 'no-such-grp' (the group given to use the socket)", e.getMessage());
    }
}
