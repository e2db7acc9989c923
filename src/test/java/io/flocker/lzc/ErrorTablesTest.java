package io.flocker.lzc;

import static io.flocker.lzc.errors.Errno.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flocker.lzc.errors.*;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-call errno tables: the same errno means different things to different calls. */
class ErrorTablesTest {

    @Test
    void createTable() {
        assertInstanceOf(FilesystemExists.class, ErrorTables.create(EEXIST, "p/a"));
        assertInstanceOf(ParentNotFound.class, ErrorTables.create(ENOENT, "p/a/b"));
        assertInstanceOf(PropertyInvalid.class, ErrorTables.create(EINVAL, "p/a"));
        assertInstanceOf(WrongParent.class, ErrorTables.create(ZFS_ERR_WRONG_PARENT, "p/vol/a"));
        assertInstanceOf(NoSpace.class, ErrorTables.create(ENOSPC, "p/a"));
        assertInstanceOf(PermissionDenied.class, ErrorTables.create(EPERM, "p/a"));
        ZfsException e = ErrorTables.create(EEXIST, "p/a");
        assertEquals(EEXIST, e.errno());
        assertEquals("create", e.operation());
        assertEquals(List.of("p/a"), e.names());
        assertEquals("create p/a: file system or volume already exists (EEXIST)", e.getMessage());
    }

    @Test
    void enoentMeansDifferentThingsPerCall() {
        assertInstanceOf(ParentNotFound.class, ErrorTables.create(ENOENT, "p/a"));
        assertInstanceOf(FilesystemNotFound.class, ErrorTables.destroy(ENOENT, "p/a"));
        assertInstanceOf(SnapshotNotFound.class, ErrorTables.getHolds(ENOENT, "p/a@s"));
        assertInstanceOf(PoolNotFound.class, ErrorTables.sync(ENOENT, "sync", "p"));
        assertInstanceOf(SnapshotNotFound.class, ErrorTables.clone(ENOENT, "p/c", "p/a@s", false));
        assertInstanceOf(ParentNotFound.class, ErrorTables.clone(ENOENT, "p/x/c", "p/a@s", true));
        assertInstanceOf(FilesystemNotFound.class, ErrorTables.rename(ENOENT, "p/a", "p/b", false));
        assertInstanceOf(ParentNotFound.class, ErrorTables.rename(ENOENT, "p/a", "p/x/b", true));
        assertInstanceOf(DatasetNotFound.class, ErrorTables.receive(ENOENT, "p/x/y@s", false));
        assertInstanceOf(ZfsException.class, ErrorTables.channelProgram(ENOENT, "p", null));
        assertInstanceOf(PoolNotFound.class, ErrorTables.channelProgram(ENOENT, "p", null));
    }

    @Test
    void receiveTable() {
        assertInstanceOf(BadStream.class, ErrorTables.receive(EINVAL, "p/a@s", false));
        assertInstanceOf(StreamFeatureInvalid.class, ErrorTables.receive(EINVAL, "p/a@s", true));
        assertInstanceOf(BadStream.class, ErrorTables.receive(ECKSUM, "p/a@s", false));
        assertInstanceOf(StreamTruncated.class, ErrorTables.receive(ZFS_ERR_STREAM_TRUNCATED, "p/a@s", false));
        assertInstanceOf(StreamMismatch.class, ErrorTables.receive(ENODEV, "p/a@s", false));
        assertInstanceOf(DestinationModified.class, ErrorTables.receive(ETXTBSY, "p/a@s", false));
        assertInstanceOf(DatasetExists.class, ErrorTables.receive(EEXIST, "p/a@s", false));
        assertInstanceOf(PartialReceiveExists.class, ErrorTables.receive(ZFS_ERR_RESUME_EXISTS, "p/a@s", false));
        assertInstanceOf(StreamFeatureNotSupported.class, ErrorTables.receive(ENOTSUP, "p/a@s", false));
        assertInstanceOf(NoSpace.class, ErrorTables.receive(ENOSPC, "p/a@s", false));
        assertInstanceOf(QuotaExceeded.class, ErrorTables.receive(EDQUOT, "p/a@s", false));
        assertInstanceOf(DatasetBusy.class, ErrorTables.receive(EBUSY, "p/a@s", false));
        assertInstanceOf(ReadOnlyPool.class, ErrorTables.receive(EROFS, "p/a@s", false));
        assertInstanceOf(SuspendedPool.class, ErrorTables.receive(EAGAIN, "p/a@s", false));
        assertEquals("p", ErrorTables.receive(ENOSPC, "p/a@s", false).name(), "no space names the pool");
    }

    @Test
    void sendTable() {
        assertInstanceOf(SnapshotMismatch.class, ErrorTables.send(EXDEV, "send", "p/a@2", "p/b@1", true));
        assertEquals("p/b@1", ErrorTables.send(ENOENT, "send", "p/a@2", "p/b@1", true).name(), "the missing one is named");
        assertEquals("p/a@2", ErrorTables.send(ENOENT, "send", "p/a@2", "p/a@1", false).name());
        assertInstanceOf(StreamIoError.class, ErrorTables.send(EPIPE, "send", "p/a@2", null, true));
        assertInstanceOf(StreamIoError.class, ErrorTables.send(EINTR, "send", "p/a@2", null, true), "a reader gone mid-stream");
        assertInstanceOf(FilesystemNotFound.class, ErrorTables.send(ENOENT, "send", "p/a", null, false));
        ReceivePropertyFailure props = assertInstanceOf(ReceivePropertyFailure.class,
            ErrorTables.receiveProperties(java.util.Map.of("volsize", EINVAL), "p/a@1"));
        assertEquals("volsize", props.errors().get(0).name());
        assertTrue(props.getMessage().contains("p/a@1"), props.getMessage());
        assertInstanceOf(StreamIoError.class, ErrorTables.send(EBADF, "send", "p/a@2", null, true));
    }

    @Test
    void rollbackPromoteDestroyAndKeys() {
        assertInstanceOf(SnapshotNotFound.class, ErrorTables.rollback(ESRCH, "rollback", "p/a", null));
        assertInstanceOf(SnapshotNotLatest.class, ErrorTables.rollback(EEXIST, "rollback_to", "p/a", "p/a@1"));
        assertInstanceOf(NotClone.class, ErrorTables.promote(EINVAL, "p/a", null));
        assertInstanceOf(NotClone.class, ErrorTables.promote(ENOTSOCK, "p/a", null));
        assertEquals("p/a@dup", ErrorTables.promote(EEXIST, "p/a", "p/a@dup").name());
        assertInstanceOf(DatasetBusy.class, ErrorTables.destroy(EBUSY, "p/a"));
        assertInstanceOf(DatasetBusy.class, ErrorTables.destroy(EEXIST, "p/a"));
        assertInstanceOf(EncryptionKeyInvalid.class, ErrorTables.key(EACCES, "load_key", "p/a"));
        assertInstanceOf(EncryptionKeyNotLoaded.class, ErrorTables.key(EACCES, "unload_key", "p/a"));
        assertInstanceOf(EncryptionKeyAlreadyLoaded.class, ErrorTables.key(EEXIST, "load_key", "p/a"));
        assertInstanceOf(SnapshotMismatch.class, ErrorTables.snaprangeSpace(EXDEV, "p/a@1", "p/b@2", true));
    }

    @Test
    void checkpointAndChannelPrograms() {
        assertInstanceOf(CheckpointExists.class, ErrorTables.checkpoint(ZFS_ERR_CHECKPOINT_EXISTS, "pool_checkpoint", "p"));
        assertInstanceOf(CheckpointNotFound.class, ErrorTables.checkpoint(ZFS_ERR_NO_CHECKPOINT, "x", "p"));
        assertInstanceOf(CheckpointDiscarding.class, ErrorTables.checkpoint(ZFS_ERR_DISCARDING_CHECKPOINT, "x", "p"));
        assertInstanceOf(DeviceRemovalRunning.class, ErrorTables.checkpoint(ZFS_ERR_DEVRM_IN_PROGRESS, "x", "p"));
        assertInstanceOf(DeviceTooBig.class, ErrorTables.checkpoint(ZFS_ERR_VDEV_TOO_BIG, "x", "p"));
        assertInstanceOf(ZcpTimeout.class, ErrorTables.channelProgram(ETIME, "p", null));
        assertInstanceOf(ZcpMemoryError.class, ErrorTables.channelProgram(ENOMEM, "p", null));
        assertInstanceOf(ZcpMemoryError.class, ErrorTables.channelProgram(ENOSPC, "p", null));
        assertInstanceOf(PoolNotFound.class, ErrorTables.channelProgram(ECHRNG, "p", "Could not open pool: p"));
        assertInstanceOf(ZcpPermissionError.class, ErrorTables.channelProgram(EPERM, "p", null));
        assertInstanceOf(ZcpLimitInvalid.class, ErrorTables.channelProgram(EINVAL, "p", null));
        ZfsException syntax = ErrorTables.channelProgram(EINVAL, "p", "[string]:1: unexpected symbol");
        assertInstanceOf(ZcpSyntaxError.class, syntax);
        assertTrue(syntax.getMessage().contains("unexpected symbol"));
        ZfsException runtime = ErrorTables.channelProgram(ECHRNG, "p", "boom");
        assertInstanceOf(ZcpRuntimeError.class, runtime);
        assertTrue(runtime.getMessage().contains("boom"));
    }

    @Test
    void multiObjectCallsReportEachFailingName() {
        Map<String, Object> errlist = new LinkedHashMap<>();
        errlist.put("p/a@s", EEXIST);
        errlist.put("p/b@s", ENOENT);
        ZfsException e = ErrorTables.snapshot(EEXIST, errlist, List.of("p/a@s", "p/b@s", "p/c@s"));
        SnapshotFailure f = assertInstanceOf(SnapshotFailure.class, e);
        assertEquals(2, f.errors().size());
        assertInstanceOf(SnapshotExists.class, f.errors().get(0));
        assertEquals("p/a@s", f.errors().get(0).name());
        assertInstanceOf(FilesystemNotFound.class, f.errors().get(1));
        assertEquals("p/b", f.errors().get(1).name());
        assertTrue(f.getMessage().contains("p/a@s: snapshot already exists (EEXIST)"), f.getMessage());
    }

    @Test
    void multiObjectWithoutErrlistNamesTheOnlyObjectOrNone() {
        MultipleOperationsFailure one = (MultipleOperationsFailure) ErrorTables.destroySnaps(EBUSY, Map.of(), List.of("p/a@s"));
        assertEquals("p/a@s", one.errors().get(0).name());
        assertInstanceOf(SnapshotIsHeld.class, one.errors().get(0));
        MultipleOperationsFailure many = (MultipleOperationsFailure) ErrorTables.destroySnaps(EEXIST, Map.of(),
            List.of("p/a@s", "p/b@s"));
        assertEquals(null, many.errors().get(0).name());
        assertInstanceOf(SnapshotIsCloned.class, many.errors().get(0));
    }

    @Test
    void suppressedErrorsAreCounted() {
        Map<String, Object> errlist = new LinkedHashMap<>();
        errlist.put("p/a@s", EBUSY);
        errlist.put("N_MORE_ERRORS", 5);
        MultipleOperationsFailure f = (MultipleOperationsFailure) ErrorTables.destroySnaps(EBUSY, errlist, List.of("p/a@s"));
        assertEquals(1, f.errors().size());
        assertEquals(5, f.suppressedCount());
        assertTrue(f.getMessage().contains("and 5 more"));
    }

    @Test
    void holdsAndBookmarks() {
        assertInstanceOf(BadHoldCleanupFd.class, ErrorTables.hold(EBADF, Map.of(), Map.of("p/a@s", "t")));
        HoldFailure h = (HoldFailure) ErrorTables.hold(EEXIST, Map.of("p/a@s", EEXIST), Map.of("p/a@s", "t"));
        assertInstanceOf(HoldExists.class, h.errors().get(0));
        HoldFailure big = (HoldFailure) ErrorTables.hold(E2BIG, Map.of("p/a@s", E2BIG), Map.of("p/a@s", "tag"));
        assertEquals("tag", big.errors().get(0).name(), "the too-long tag is named");
        HoldReleaseFailure r = (HoldReleaseFailure) ErrorTables.release(ENOENT, Map.of("p/a@s", ENOENT), List.of("p/a@s"));
        assertInstanceOf(HoldNotFound.class, r.errors().get(0));
        BookmarkFailure b = (BookmarkFailure) ErrorTables.bookmark(ENOENT, Map.of("p/a#m", ENOENT), Map.of("p/a#m", "p/a@s"));
        assertEquals("p/a@s", b.errors().get(0).name(), "the missing source is named");
        assertInstanceOf(BookmarkExists.class,
            ((BookmarkFailure) ErrorTables.bookmark(EEXIST, Map.of("p/a#m", EEXIST), Map.of("p/a#m", "p/a@s"))).errors().get(0));
        assertInstanceOf(BookmarkNotSupported.class,
            ((BookmarkFailure) ErrorTables.bookmark(ENOTSUP, Map.of(), Map.of("p/a#m", "p/a@s"))).errors().get(0));
    }

    @Test
    void unknownErrnoKeepsTheNumber() {
        ZfsException e = ErrorTables.create(9999, "p/a");
        assertEquals(9999, e.errno());
        assertTrue(e.getMessage().contains("errno 9999"), e.getMessage());
        assertEquals("ENOSPC", Errno.name(ENOSPC));
        assertEquals("ZFS_ERR_WRONG_PARENT", Errno.name(ZFS_ERR_WRONG_PARENT));
    }
}
