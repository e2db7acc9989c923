package io.flocker.lzc;

import static org.junit.jupiter.api.Assertions.*;

import io.flocker.lzc.errors.*;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * LibZfs on the build host, which has libzfs.so.6 but no zfs module: opening
 * is a clear, typed error and no crash (libzfs_init would run modprobe and
 * wait 10 s; it is not reached); bad input is refused in Java, naming it,
 * before libzfs is called; libzfs's EZFS_* codes become the binding's
 * exceptions.
 */
class LibZfsWithoutZfsTest {

    @Test
    void openWithoutDevZfsIsAClearErrorEveryTime() {
        if (Files.exists(Path.of("/dev/zfs"))) {
            try (LibZfs z = LibZfs.open()) {
                assertNotNull(z);
            }
            return;
        }
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            ZfsUnavailable e = assertThrows(ZfsUnavailable.class, LibZfs::open);
            assertEquals(Errno.ENOENT, e.errno());
            assertTrue(e.getMessage().contains("/dev/zfs does not exist"), e.getMessage());
            assertTrue(System.nanoTime() - start < 2_000_000_000L, "no waiting for a module to appear");
        }
    }

    @Test
    void aMissingLibzfsIsNamed() {
        String why = LibZfsLibrary.attempt(() -> {
            throw new UnsatisfiedLinkError("libzfs.so.6: cannot open shared object file: No such file or directory");
        });
        assertNotNull(why);
        ZfsUnavailable e = LibZfsLibrary.unavailable(why);
        assertTrue(e.getMessage().startsWith("libzfs_init: libzfs is not available: libzfs.so.6"), e.getMessage());
        assertTrue(e.getMessage().contains("cannot open shared object file"), e.getMessage());
        assertNull(LibZfsLibrary.attempt(() -> {}));
    }

    @Test
    void badDatasetNamesAreRefusedNamingThem() {
        NameInvalid n = assertThrows(FilesystemNameInvalid.class, () -> LibZfsInput.checkDataset("zfs_prop_set", "tank/a b/"));
        assertEquals(0, n.errno());
        assertEquals("tank/a b/", n.name());
        assertThrows(SnapshotNameInvalid.class, () -> LibZfsInput.checkDataset("zfs_prop_get", "tank@a@b"));
        assertThrows(NameInvalid.class, () -> LibZfsInput.checkDataset("zfs_prop_get", null));
        assertThrows(NameInvalid.class, () -> LibZfsInput.checkDataset("zfs_prop_get", "tank#mark"));
        assertThrows(NameTooLong.class, () -> LibZfsInput.checkDataset("zfs_prop_get", "tank/" + "x".repeat(260)));
        LibZfsInput.checkDataset("zfs_prop_get", "tank/a@snap");
        LibZfsInput.checkDataset("zfs_prop_get", "tank/a/b");
    }

    @Test
    void badPropertyNamesAreRefusedNamingThem() {
        for (String bad : new String[] {"", "ReadOnly", "read-only", "quota=1G", "userquota@root", "written@s", "x y"}) {
            PropertyValueInvalid e = assertThrows(PropertyValueInvalid.class,
                () -> LibZfsInput.checkPropertyName("zfs_prop_set", "tank/a", bad), bad);
            assertEquals(0, e.errno());
            assertEquals(bad, e.property());
            assertEquals("tank/a", e.name());
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
        PropertyValueInvalid nul = assertThrows(PropertyValueInvalid.class,
            () -> LibZfsInput.checkPropertyName("zfs_prop_set", "tank/a", null));
        assertEquals("null", nul.property());
        PropertyValueInvalid user = assertThrows(PropertyValueInvalid.class,
            () -> LibZfsInput.checkPropertyName("zfs_prop_set", "tank/a", "io.flocker:own er"));
        assertTrue(user.getMessage().contains("io.flocker:own er"), user.getMessage());
        LibZfsInput.checkPropertyName("zfs_prop_set", "tank/a", "readonly");
        LibZfsInput.checkPropertyName("zfs_prop_set", "tank/a", "special_small_blocks");
        LibZfsInput.checkPropertyName("zfs_prop_set", "tank/a", "io.flocker:owner");
    }

    @Test
    void badValuesAreRefusedNamingPropertyAndValue() {
        PropertyValueInvalid none = assertThrows(PropertyValueInvalid.class,
            () -> LibZfsInput.checkValue("zfs_prop_set", "tank/a", "quota", null));
        assertEquals("quota", none.property());
        PropertyValueInvalid nul = assertThrows(PropertyValueInvalid.class,
            () -> LibZfsInput.checkValue("zfs_prop_set", "tank/a", "io.flocker:x", "a\0b"));
        assertEquals("a\0b", nul.value());
        // 8191 bytes is the most; an ä is two.
        LibZfsInput.checkValue("zfs_prop_set", "tank/a", "io.flocker:x", "a".repeat(8191));
        PropertyValueInvalid tooLong = assertThrows(PropertyValueInvalid.class,
            () -> LibZfsInput.checkValue("zfs_prop_set", "tank/a", "io.flocker:x", "ä".repeat(4096)));
        assertTrue(tooLong.getMessage().contains("longer than 8191 bytes"), tooLong.getMessage());
    }

    @Test
    void libzfsCodesBecomeTypedExceptions() {
        ZfsException noent = LibZfsErrors.of("zfs_prop_set", "tank/gone", "readonly", "on", LibZfsErrors.EZFS_NOENT,
            "dataset does not exist");
        assertInstanceOf(DatasetNotFound.class, noent);
        assertEquals(Errno.ENOENT, noent.errno());
        assertEquals("zfs_prop_set tank/gone: dataset does not exist [EZFS_NOENT] (ENOENT)", noent.getMessage());

        ZfsException bad = LibZfsErrors.of("zfs_prop_set", "tank/a", "quota", "lots", LibZfsErrors.EZFS_BADPROP,
            "bad numeric value 'lots'");
        PropertyValueInvalid p = assertInstanceOf(PropertyValueInvalid.class, bad);
        assertEquals("quota", p.property());
        assertEquals("lots", p.value());
        assertEquals(Errno.EINVAL, p.errno());
        assertTrue(p.getMessage().contains("property quota='lots': bad numeric value 'lots' [EZFS_BADPROP]"), p.getMessage());

        for (int code : new int[] {LibZfsErrors.EZFS_PROPREADONLY, LibZfsErrors.EZFS_PROPTYPE,
            LibZfsErrors.EZFS_PROPNONINHERIT, LibZfsErrors.EZFS_PROPSPACE}) {
            assertInstanceOf(PropertyValueInvalid.class, LibZfsErrors.of("zfs_prop_set", "tank/a", "quota", "1", code, "x"));
        }
        assertInstanceOf(PermissionDenied.class, LibZfsErrors.of("zfs_prop_set", "tank/a", null, null, LibZfsErrors.EZFS_PERM, "permission denied"));
        ZfsException busy = LibZfsErrors.of("zfs_prop_set", "tank/a", "mountpoint", "/x", LibZfsErrors.EZFS_BUSY, "");
        assertInstanceOf(DatasetBusy.class, busy);
        assertEquals(Errno.EBUSY, busy.errno());
        assertEquals("failed [EZFS_BUSY]", busy.reason());
        ZfsException other = LibZfsErrors.of("zfs_prop_set", "tank/a", "mountpoint", "/x", 2090, "something new");
        assertEquals(ZfsException.class, other.getClass());
        assertEquals(2090, other.errno());
        assertEquals("something new [EZFS code 2090]", other.reason());
    }
}
