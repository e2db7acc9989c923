package io.flocker.volume.zfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flocker.testbed.TestPool;
import io.flocker.testbed.WithTestPools;
import io.flocker.volume.Filesystem;
import io.flocker.volume.StorageException;
import io.flocker.volume.VolumeId;
import io.flocker.volume.VolumeName;
import io.flocker.volume.VolumeProperties;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What the contract cannot show of properties and users on ZFS: they are
 * real dataset properties, seen the same by the zfs command, and a new pool
 * object (a restarted plugin) reads what an old one wrote.
 */
@WithTestPools
class ZfsPropertiesAndUsersIT {
    private final TestPool tp;
    private final Path root;
    private final ZfsStoragePool pool;
    private final UUID owner = UUID.randomUUID();

    ZfsPropertiesAndUsersIT(TestPool tp) {
        this.tp = tp;
        this.root = tp.mountpoint().resolveSibling(tp.name() + ".volumes");
        this.pool = ZfsStoragePool.open(tp.name(), root);
    }

    private VolumeId id(String name) {
        return new VolumeId(owner, VolumeName.of(name));
    }

    @Test
    void propertiesAreSetOnTheDatasetAndTheKernelKeepsThem() {
        VolumeProperties p = VolumeProperties.of(Map.of("quota", "32M", "recordsize", "8K", "compression", "gzip-6"));
        Filesystem fs = pool.create(id("props"), null, false, p);
        assertEquals("33554432", tp.get(fs.dataset(), "quota"));
        assertEquals("8192", tp.get(fs.dataset(), "recordsize"));
        assertEquals("gzip", tp.get(fs.dataset(), "compression"));
        assertEquals("-", tp.get(fs.dataset(), ZfsStoragePool.MOUNT_PATH_PROPERTY), "no mount path recorded");
        assertEquals("yes", tp.get(fs.dataset(), "mounted"));
        assertEquals(p, ZfsStoragePool.open(tp.name(), root).properties(id("props")));
    }

    @Test
    void inheritedAndHandSetPropertiesAreTold() {
        tp.zfs("set", "compression=zle", tp.name());
        try {
            Filesystem fs = pool.create(id("inherits"), Path.of("/data"), false);
            assertEquals("zle", tp.get(fs.dataset(), "compression"));
            assertEquals(VolumeProperties.NONE, pool.properties(id("inherits")), "inherited from the pool: not the volume's own");
            tp.zfs("set", "recordsize=64K", fs.dataset());
            assertEquals(VolumeProperties.of(Map.of("recordsize", "64K")), pool.properties(id("inherits")));
        } finally {
            tp.zfs("inherit", "compression", tp.name());
        }
    }

    @Test
    void usersAreUserPropertiesOneEach() {
        Filesystem fs = pool.create(id("used"), null, false, VolumeProperties.NONE);
        String docker = "3f1e".repeat(16);
        assertEquals(1, pool.addUser(id("used"), docker));
        assertEquals(2, pool.addUser(id("used"), "Other ID"));
        List<String> props = tp.zfs("get", "-H", "-o", "property,value,source", "all", fs.dataset()).lines()
            .filter(l -> l.startsWith(VolumeUsers.PREFIX)).sorted().toList();
        assertEquals(2, props.size(), props.toString());
        assertTrue(props.contains(VolumeUsers.PREFIX + VolumeUsers.hash(docker) + "\t" + docker + "\tlocal"), props.toString());
        assertTrue(props.contains(VolumeUsers.PREFIX + VolumeUsers.hash("Other ID") + "\tOther ID\tlocal"), props.toString());

        ZfsStoragePool restarted = ZfsStoragePool.open(tp.name(), root);
        assertEquals(Set.of(docker, "Other ID"), restarted.users(id("used")));
        assertEquals(1, restarted.removeUser(id("used"), docker));
        assertEquals(Set.of("Other ID"), pool.users(id("used")));
        assertFalse(tp.zfs("get", "-H", "-o", "property", "all", fs.dataset()).contains(VolumeUsers.hash(docker)));

        tp.zfs("set", "io.flocker:note=not a user", fs.dataset());
        assertEquals(Set.of("Other ID"), pool.users(id("used")), "other user properties are not users");
    }

    @Test
    void aUserIdTooLongForZfsIsRefusedAndChangesNothing() {
        pool.create(id("long"), null, false, VolumeProperties.NONE);
        StorageException e = assertThrows(StorageException.class, () -> pool.addUser(id("long"), "x".repeat(9000)));
        assertTrue(e.getMessage().startsWith("cannot record the users of"), e.getMessage());
        assertEquals(Set.of(), pool.users(id("long")));
    }
}
