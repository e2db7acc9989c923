package io.flocker.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class VolumeNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "Z", "0", "data", "my-vol_2.0", "9.9", "A-"})
    void goodNamesAreTaken(String name) {
        assertEquals(name, VolumeName.of(name).value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "/abs", "a@snap", "50%", "a b", " lead", "x$(reboot)", "a;b", "a|b", "a&b", "a`b`",
        "a'b", "a\"b", "a*", "a?", "a\\b", "a>b", "a<b", "a:b", "a#b", "a,b", "a\nb", "a\tb", "ä", "-x", ".x", "_x",
        ".", ".."})
    void badNamesAreRefusedNamingThem(String name) {
        InvalidVolumeName e = assertThrows(InvalidVolumeName.class, () -> VolumeName.of(name));
        assertEquals(name, e.input());
        assertTrue(e.getMessage().startsWith("invalid volume name " + VolumeException.quote(name) + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void emptyAndNullAreRefused() {
        assertEquals("invalid volume name '': a name must not be empty",
            assertThrows(InvalidVolumeName.class, () -> VolumeName.of("")).getMessage());
        assertThrows(InvalidVolumeName.class, () -> VolumeName.of(null));
    }

    @Test
    void theMessageSaysWhichCharacter() {
        assertTrue(assertThrows(InvalidVolumeName.class, () -> VolumeName.of("a/b")).getMessage().contains("'/' is not allowed"));
        assertTrue(assertThrows(InvalidVolumeName.class, () -> VolumeName.of("a b")).getMessage().contains("a space"));
        assertTrue(assertThrows(InvalidVolumeName.class, () -> VolumeName.of("a\nb")).getMessage()
            .contains("'a\\nb'"), "newline escaped");
    }

    @Test
    void lengthLimitLeavesRoomForPoolUuidAndSnapshot() {
        // <pool>/<uuid>.<name>@<36-char snapshot> must fit 255.
        assertEquals(255 - "flocker".length() - 1 - 36 - 1 - 1 - 36, VolumeName.maxLength("flocker"));
        assertEquals(VolumeName.maxLength("p"), VolumeName.MAX_LENGTH);
        VolumeName.of("a".repeat(VolumeName.MAX_LENGTH));
        InvalidVolumeName e = assertThrows(InvalidVolumeName.class, () -> VolumeName.of("a".repeat(VolumeName.MAX_LENGTH + 1)));
        assertTrue(e.getMessage().contains((VolumeName.MAX_LENGTH + 1) + " characters"), e.getMessage());
    }

    @Test
    void checkFitsIsAboutThePool() {
        VolumeName n = VolumeName.of("a".repeat(VolumeName.maxLength("flocker") + 1));
        n.checkFits("p");
        InvalidVolumeName e = assertThrows(InvalidVolumeName.class, () -> n.checkFits("flocker"));
        assertTrue(e.getMessage().contains("pool 'flocker'"), e.getMessage());
        assertTrue(e.getMessage().contains(n.value()), "names the input");
        VolumeName.of("a".repeat(VolumeName.maxLength("flocker"))).checkFits("flocker");
    }

    @Test
    void snapshotNames() {
        assertEquals("2026-01-01T00.00.00", VolumeName.checkSnapshotName("2026-01-01T00.00.00"));
        assertEquals(UUID.randomUUID().toString().length(), VolumeName.MAX_SNAPSHOT_NAME);
        assertThrows(InvalidVolumeName.class, () -> VolumeName.checkSnapshotName("a@b"));
        assertTrue(assertThrows(InvalidVolumeName.class, () -> VolumeName.checkSnapshotName("x y")).getMessage()
            .startsWith("invalid snapshot name 'x y'"));
    }

    @Test
    void keysRoundTripAndStrangersAreNotVolumes() {
        UUID u = UUID.randomUUID();
        VolumeId id = new VolumeId(u, VolumeName.of("v.1"));
        assertEquals(u + ".v.1", id.key());
        assertEquals(Optional.of(id), VolumeId.fromKey(id.key()));
        for (String stranger : new String[] {"data", u.toString(), u + ".", u + ".bad name", u.toString().toUpperCase() + ".x",
            "1-2-3-4-5.x", u + "_x"}) {
            assertEquals(Optional.empty(), VolumeId.fromKey(stranger), stranger);
        }
    }

    @Test
    void nodeIdsMustBeCanonical() {
        UUID u = UUID.randomUUID();
        assertEquals(u, NodeIds.parse(u.toString()));
        for (String bad : new String[] {"", "1-2-3-4-5", u.toString().toUpperCase(), u + "0", "not-a-uuid"}) {
            InvalidNodeId e = assertThrows(InvalidNodeId.class, () -> NodeIds.parse(bad), bad);
            assertTrue(e.getMessage().contains(VolumeException.quote(bad)), e.getMessage());
        }
    }
}
