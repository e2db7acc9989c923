package io.flocker.lzc;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flocker.lzc.errors.BookmarkNameInvalid;
import io.flocker.lzc.errors.FilesystemNameInvalid;
import io.flocker.lzc.errors.NameInvalid;
import io.flocker.lzc.errors.NameTooLong;
import io.flocker.lzc.errors.PoolsDiffer;
import io.flocker.lzc.errors.SnapshotNameInvalid;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ZfsNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"tank", "tank/a", "tank/a/b-c_d.e:f", "tank/with space", "T/x", "tank/..a", "tank/a.",
        "mirrorless"})
    void acceptsValidFilesystemNames(String name) {
        if (name.equals("mirrorless")) {
            // OpenZFS reserves every pool name that starts with "mirror".
            assertThrows(FilesystemNameInvalid.class, () -> ZfsNames.checkFilesystem("t", name));
        } else {
            assertDoesNotThrow(() -> ZfsNames.checkFilesystem("t", name));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/tank", "tank/", "tank//a", "tank/a@s", "tank/a#b", "tank/.", "tank/..", "tank/a%b",
        "tank/a\u00e9", "tank/a\nb", "tank/a*", "tank/$(reboot)", "tank/a;b", "1tank/a", "raidz1/a", "draid/x",
        "spare", "log", "c0t0d0/a", "tank/a\u0000"})
    void refusesInvalidFilesystemNames(String name) {
        FilesystemNameInvalid e = assertThrows(FilesystemNameInvalid.class, () -> ZfsNames.checkFilesystem("create", name));
        assertEquals(0, e.errno(), "refused before the kernel");
        assertEquals("create", e.operation());
        assertTrue(e.getMessage().contains(name.isEmpty() ? "empty" : name), "the message names the input: " + e.getMessage());
    }

    @Test
    void nullIsRefusedNotAnNpe() {
        assertThrows(FilesystemNameInvalid.class, () -> ZfsNames.checkFilesystem("create", null));
        assertThrows(SnapshotNameInvalid.class, () -> ZfsNames.checkSnapshot("snapshot", null));
    }

    @Test
    void lengthLimitIs255() {
        String ok = "tank/" + "a".repeat(250);
        assertEquals(255, ok.length());
        assertDoesNotThrow(() -> ZfsNames.checkFilesystem("t", ok));
        NameTooLong e = assertThrows(NameTooLong.class, () -> ZfsNames.checkFilesystem("t", ok + "b"));
        assertEquals(ok + "b", e.name());
        assertThrows(NameTooLong.class, () -> ZfsNames.checkSnapshot("t", ok + "@s"));
    }

    @Test
    void nestingLimitIs50() {
        String fifty = "tank" + "/a".repeat(50);
        assertDoesNotThrow(() -> ZfsNames.checkFilesystem("t", fifty));
        assertThrows(FilesystemNameInvalid.class, () -> ZfsNames.checkFilesystem("t", fifty + "/a"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tank@s", "tank/a@s", "tank/a@s:1 x", "tank/a@2026-11-25T10.00"})
    void acceptsSnapshots(String name) {
        assertDoesNotThrow(() -> ZfsNames.checkSnapshot("t", name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tank/a", "tank/a@", "@s", "tank/a@s@t", "tank/a@s/b", "tank/a@s#b", "tank/a@s*", "tank/a@.."})
    void refusesBadSnapshots(String name) {
        assertThrows(SnapshotNameInvalid.class, () -> ZfsNames.checkSnapshot("t", name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tank/a", "tank/a#", "#m", "tank/a#m#n", "tank/a@s#m", "tank/a#m/x"})
    void refusesBadBookmarks(String name) {
        assertThrows(BookmarkNameInvalid.class, () -> ZfsNames.checkBookmark("t", name));
    }

    @Test
    void bookmarksAndHoldTags() {
        assertDoesNotThrow(() -> ZfsNames.checkBookmark("t", "tank/a#m1"));
        assertDoesNotThrow(() -> ZfsNames.checkSnapshotOrBookmark("t", "tank/a#m1"));
        assertDoesNotThrow(() -> ZfsNames.checkHoldTag("t", "any text, even / and @"));
        assertThrows(NameInvalid.class, () -> ZfsNames.checkHoldTag("t", ""));
        assertThrows(NameTooLong.class, () -> ZfsNames.checkHoldTag("t", "x".repeat(256)));
    }

    @Test
    void onePoolPerAtomicCall() {
        assertDoesNotThrow(() -> ZfsNames.checkOnePool("snapshot", List.of("a/x@s", "a/y@s", "a@s")));
        PoolsDiffer e = assertThrows(PoolsDiffer.class, () -> ZfsNames.checkOnePool("snapshot", List.of("a/x@s", "b/y@s")));
        assertEquals(List.of("a/x@s", "b/y@s"), e.names());
    }

    @Test
    void splitsNames() {
        assertEquals("tank", ZfsNames.poolOf("tank/a/b@s"));
        assertEquals("tank", ZfsNames.poolOf("tank#b"));
        assertEquals("tank/a/b", ZfsNames.filesystemOf("tank/a/b@s"));
        assertEquals("tank/a", ZfsNames.filesystemOf("tank/a#m"));
        assertEquals("tank/a", ZfsNames.filesystemOf("tank/a"));
    }
}
