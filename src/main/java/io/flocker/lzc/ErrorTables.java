package io.flocker.lzc;

import static io.flocker.lzc.errors.Errno.*;

import io.flocker.lzc.errors.*;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * One errno table per libzfs_core call: the same errno means different things
 * to different calls (ENOENT is a missing parent to create, a missing pool to
 * destroy_snaps), so each call picks the exception a caller can act on. Names
 * were validated before the call, so EINVAL here is never a bad name.
 */
final class ErrorTables {
    private ErrorTables() {}

    static ZfsException create(int err, String name) {
        switch (err) {
            case EINVAL: return new PropertyInvalid("a property or its value was refused", err, "create", name);
            case EEXIST: return new FilesystemExists(err, "create", name);
            case ENOENT: return new ParentNotFound(err, "create", name);
            case ZFS_ERR_WRONG_PARENT: return new WrongParent(err, "create", name);
            default: return generic(err, "create", name);
        }
    }

    static ZfsException clone(int err, String name, String origin, boolean originExists) {
        switch (err) {
            case EINVAL: return new PropertyInvalid("a property or its value was refused", err, "clone", name);
            case EXDEV: return new PoolsDiffer(err, "clone", name, origin);
            case EEXIST: return new FilesystemExists(err, "clone", name);
            case ENOENT: return originExists ? new ParentNotFound(err, "clone", name) : new SnapshotNotFound(err, "clone", origin);
            case ZFS_ERR_WRONG_PARENT: return new WrongParent(err, "clone", name);
            default: return generic(err, "clone", name);
        }
    }

    static ZfsException promote(int err, String name, String conflict) {
        switch (err) {
            case EINVAL: case ENOTSOCK: return new NotClone(err, "promote", name);
            case ENOENT: return new FilesystemNotFound(err, "promote", name);
            case EEXIST: return new SnapshotExists("the origin has a snapshot with the same name as one of the clone's",
                err, "promote", conflict != null && !conflict.isEmpty() ? conflict : name);
            default: return generic(err, "promote", name);
        }
    }

    static ZfsException rename(int err, String source, String target, boolean sourceExists) {
        switch (err) {
            case EEXIST: return new FilesystemExists(err, "rename", target);
            case ENOENT: return sourceExists ? new ParentNotFound(err, "rename", target) : new FilesystemNotFound(err, "rename", source);
            case ZFS_ERR_WRONG_PARENT: return new WrongParent(err, "rename", target);
            case EXDEV: return new PoolsDiffer(err, "rename", source, target);
            default: return generic(err, "rename", source);
        }
    }

    static ZfsException destroy(int err, String name) {
        switch (err) {
            case ENOENT: return new FilesystemNotFound(err, "destroy", name);
            case EEXIST: return new DatasetBusy("dataset has children or snapshots; destroy those first", err, "destroy", name);
            case EBUSY: return new DatasetBusy("dataset is busy (mounted, open or held)", err, "destroy", name);
            default: return generic(err, "destroy", name);
        }
    }

    static ZfsException rollback(int err, String op, String name, String snap) {
        switch (err) {
            case ESRCH: return new SnapshotNotFound("file system has no snapshot to roll back to", err, op, name);
            case ENOENT: return snap == null ? new FilesystemNotFound(err, op, name) : new SnapshotNotFound(err, op, snap);
            case EEXIST: return new SnapshotNotLatest(err, op, snap != null ? snap : name);
            case EBUSY: return new DatasetBusy(err, op, name);
            default: return generic(err, op, name);
        }
    }

    static ZfsException snaprangeSpace(int err, String first, String last, boolean firstExists) {
        switch (err) {
            case EXDEV: case EINVAL: return new SnapshotMismatch(err, "snaprange_space", first, last);
            case ENOENT: return new SnapshotNotFound(err, "snaprange_space", firstExists ? last : first);
            default: return generic(err, "snaprange_space", last);
        }
    }

    static ZfsException send(int err, String op, String snap, String from, boolean snapExists) {
        switch (err) {
            case EXDEV: return new SnapshotMismatch(err, op, from, snap);
            case ENOENT:
                if (snapExists && from != null) return new SnapshotNotFound(err, op, from);
                return snap.indexOf('@') < 0 ? new FilesystemNotFound(err, op, snap) : new SnapshotNotFound(err, op, snap);
            case ENAMETOOLONG: return new NameTooLong(err, op, snap);
            case EINVAL: return new StreamIoError("the descriptor cannot take a send stream (send into a pipe or a file)", err, op, snap);
            case EPIPE: return new StreamIoError("the reading end of the stream was closed", err, op, snap);
            // What a reader that goes away mid-stream gives: the write into the pipe is cut by SIGPIPE.
            case EINTR: return new StreamIoError("the stream was cut off: its reading end was closed, or a signal came",
                err, op, snap);
            case EBADF: return new StreamIoError("the descriptor is not open for writing", err, op, snap);
            case ENOTSUP: return new FeatureNotSupported("the receiving side of these flags is not supported by this pool", err, op, snap);
            default: return generic(err, op, snap);
        }
    }

    static ZfsException receive(int err, String snap, boolean resumable) {
        String fs = ZfsNames.filesystemOf(snap);
        switch (err) {
            case EINVAL: return resumable
                ? new StreamFeatureInvalid("the stream cannot be received as resumable (or is invalid)", err, "receive", snap)
                : new BadStream(err, "receive", snap);
            case ECKSUM: return new BadStream("the send stream's checksum does not match: it is corrupt", err, "receive", snap);
            case ZFS_ERR_STREAM_TRUNCATED: return new StreamTruncated(err, "receive", snap);
            case ENOENT: return new DatasetNotFound("the target's parent, or for an incremental stream the target, does not exist",
                err, "receive", fs);
            case EEXIST: return new DatasetExists("the target exists (a full stream needs a new name, or force)", err, "receive", snap);
            case ENOTSUP: case ZFS_ERR_UNKNOWN_SEND_STREAM_FEATURE:
                return new StreamFeatureNotSupported(err, "receive", snap);
            case ENODEV: return new StreamMismatch(err, "receive", fs);
            case ETXTBSY: return new DestinationModified(err, "receive", fs);
            case ZFS_ERR_RESUME_EXISTS: return new PartialReceiveExists(err, "receive", fs);
            case ZFS_ERR_WRONG_PARENT: return new WrongParent(err, "receive", fs);
            case EBADF: return new StreamIoError("the descriptor is not open for reading", err, "receive", snap);
            case EIO: return new StreamIoError("reading the stream failed", err, "receive", snap);
            default: return generic(err, "receive", fs);
        }
    }

    static ZfsException sync(int err, String op, String pool) {
        if (err == ENOENT) return new PoolNotFound(err, op, pool);
        return generic(err, op, pool);
    }

    static ZfsException checkpoint(int err, String op, String pool) {
        switch (err) {
            case ENOENT: return new PoolNotFound(err, op, pool);
            case ZFS_ERR_CHECKPOINT_EXISTS: return new CheckpointExists(err, op, pool);
            case ZFS_ERR_NO_CHECKPOINT: return new CheckpointNotFound(err, op, pool);
            case ZFS_ERR_DISCARDING_CHECKPOINT: return new CheckpointDiscarding(err, op, pool);
            case ZFS_ERR_DEVRM_IN_PROGRESS: return new DeviceRemovalRunning(err, op, pool);
            case ZFS_ERR_VDEV_TOO_BIG: return new DeviceTooBig(err, op, pool);
            default: return generic(err, op, pool);
        }
    }

    static ZfsException getHolds(int err, String snap) {
        switch (err) {
            case ENOENT: return new SnapshotNotFound(err, "get_holds", snap);
            case ENOTSUP: return new FeatureNotSupported(err, "get_holds", ZfsNames.poolOf(snap));
            default: return generic(err, "get_holds", snap);
        }
    }

    static ZfsException getBookmarks(int err, String op, String name) {
        if (err == ENOENT || err == ESRCH) {
            return op.equals("get_bookmarks") ? new FilesystemNotFound(err, op, name) : new BookmarkNotFound(err, op, name);
        }
        return generic(err, op, name);
    }

    static ZfsException key(int err, String op, String name) {
        switch (err) {
            case EINVAL: return new PropertyInvalid("the key or the key properties were refused", err, op, name);
            case ENOENT: return new FilesystemNotFound(err, op, name);
            case EACCES: return op.equals("load_key") ? new EncryptionKeyInvalid(err, op, name) : new EncryptionKeyNotLoaded(err, op, name);
            case EEXIST: return new EncryptionKeyAlreadyLoaded(err, op, name);
            case ENOTSUP: return new FeatureNotSupported("the dataset is not encrypted, or the pool lacks encryption", err, op, name);
            default: return generic(err, op, name);
        }
    }

    static ZfsException channelProgram(int err, String pool, String luaError) {
        String op = "channel_program";
        String why = luaError != null ? luaError : null;
        switch (err) {
            case ENOENT: return new PoolNotFound(err, op, pool);
            case ETIME: return new ZcpTimeout(err, op, pool);
            // The kernel ends a program that passes its memory limit with ENOSPC.
            case ENOMEM: case ENOSPC: return new ZcpMemoryError(err, op, pool);
            case EPERM: return new ZcpPermissionError(why != null ? why : "channel program is not allowed to do that", err, op, pool);
            case ECHRNG:
                if (why != null && why.startsWith("Could not open pool")) return new PoolNotFound(err, op, pool);
                return new ZcpRuntimeError(why != null ? "channel program raised an error: " + why
                : "channel program raised an error", err, op, pool);
            case EINVAL: return why == null ? new ZcpLimitInvalid(err, op, pool)
                : new ZcpSyntaxError("channel program does not compile: " + why, err, op, pool);
            default: return generic(err, op, pool);
        }
    }

    // ---- calls on several objects: one exception per failing name --------

    static ZfsException snapshot(int ret, Map<String, Object> errlist, Collection<String> snaps) {
        return multi(ret, errlist, snaps, (err, name) -> {
            String n = name != null ? name : null;
            switch (err) {
                case EXDEV: return new DuplicateSnapshots(err, "snapshot", n);
                case EINVAL: return new PropertyInvalid("a snapshot property was refused (only user properties can be set)",
                    err, "snapshot", n);
                case EEXIST: return new SnapshotExists(err, "snapshot", n);
                case ENOENT: return new FilesystemNotFound(err, "snapshot", n == null ? null : ZfsNames.filesystemOf(n));
                default: return generic(err, "snapshot", n);
            }
        }, (l, s) -> new SnapshotFailure(ret, "snapshot", l, s));
    }

    static ZfsException destroySnaps(int ret, Map<String, Object> errlist, Collection<String> snaps) {
        return multi(ret, errlist, snaps, (err, name) -> {
            switch (err) {
                case EEXIST: return new SnapshotIsCloned(err, "destroy_snaps", name);
                case EBUSY: return new SnapshotIsHeld(err, "destroy_snaps", name);
                case ENOENT: return new PoolNotFound(err, "destroy_snaps", name == null ? null : ZfsNames.poolOf(name));
                default: return generic(err, "destroy_snaps", name);
            }
        }, (l, s) -> new SnapshotDestructionFailure(ret, "destroy_snaps", l, s));
    }

    static ZfsException hold(int ret, Map<String, Object> errlist, Map<String, String> holds) {
        if (ret == EBADF) return new BadHoldCleanupFd(ret, "hold");
        return multi(ret, errlist, holds.keySet(), (err, name) -> {
            switch (err) {
                case EXDEV: return new PoolsDiffer(err, "hold", name);
                case ENOENT: return new FilesystemNotFound(err, "hold", name == null ? null : ZfsNames.filesystemOf(name));
                case EEXIST: return new HoldExists(err, "hold", name);
                case E2BIG: return new NameTooLong("hold tag is too long", err, "hold", name == null ? null : holds.get(name));
                case ENOTSUP: return new FeatureNotSupported("the pool does not support holds", err, "hold",
                    name == null ? null : ZfsNames.poolOf(name));
                default: return generic(err, "hold", name);
            }
        }, (l, s) -> new HoldFailure(ret, "hold", l, s));
    }

    static ZfsException release(int ret, Map<String, Object> errlist, Collection<String> snaps) {
        return multi(ret, errlist, snaps, (err, name) -> {
            switch (err) {
                case EXDEV: return new PoolsDiffer(err, "release", name);
                case ENOENT: return new HoldNotFound(err, "release", name);
                case E2BIG: return new NameTooLong("hold tag is too long", err, "release", name);
                case ENOTSUP: return new FeatureNotSupported("the pool does not support holds", err, "release",
                    name == null ? null : ZfsNames.poolOf(name));
                default: return generic(err, "release", name);
            }
        }, (l, s) -> new HoldReleaseFailure(ret, "release", l, s));
    }

    static ZfsException bookmark(int ret, Map<String, Object> errlist, Map<String, String> marks) {
        return multi(ret, errlist, marks.keySet(), (err, name) -> {
            switch (err) {
                case EINVAL: return new BookmarkMismatch(err, "bookmark", name);
                case EEXIST: return new BookmarkExists(err, "bookmark", name);
                case ENOENT: return new SnapshotNotFound(err, "bookmark", name == null ? null : marks.get(name));
                case ENOTSUP: return new BookmarkNotSupported(err, "bookmark", name == null ? null : ZfsNames.poolOf(name));
                case ZFS_ERR_BOOKMARK_SOURCE_NOT_ANCESTOR:
                    return new BookmarkMismatch("the source is not an earlier snapshot of the bookmark's file system",
                        err, "bookmark", name);
                default: return generic(err, "bookmark", name);
            }
        }, (l, s) -> new BookmarkFailure(ret, "bookmark", l, s));
    }

    static ZfsException destroyBookmarks(int ret, Map<String, Object> errlist, Collection<String> marks) {
        return multi(ret, errlist, marks, (err, name) -> generic(err, "destroy_bookmarks", name),
            (l, s) -> new BookmarkDestructionFailure(ret, "destroy_bookmarks", l, s));
    }

    static ZfsException receiveProperties(Map<String, Object> errors, String snap) {
        List<ZfsException> list = new ArrayList<>();
        // Each error is named after its property: the snapshot is the same for all, and in the message.
        for (Map.Entry<String, Object> e : errors.entrySet()) {
            int err = e.getValue() instanceof Number n ? n.intValue() : EINVAL;
            list.add(err == EINVAL
                ? new PropertyInvalid("the property was refused", err, "receive", e.getKey())
                : generic(err, "receive", e.getKey()));
        }
        return new ReceivePropertyFailure(EINVAL, "receive", snap, list, 0);
    }

    private interface MultiFactory {
        ZfsException make(List<ZfsException> errors, int suppressed);
    }

    /**
     * Per-name errors from the errlist; when the kernel gave none, one error
     * for the whole call, named only if the call had one object.
     */
    private static ZfsException multi(int ret, Map<String, Object> errlist, Collection<String> names,
                                      BiFunction<Integer, String, ZfsException> mapper, MultiFactory factory) {
        List<ZfsException> errors = new ArrayList<>();
        int suppressed = 0;
        if (errlist != null) {
            for (Map.Entry<String, Object> e : errlist.entrySet()) {
                int code = e.getValue() instanceof Number n ? n.intValue() : ret;
                if (e.getKey().equals("N_MORE_ERRORS")) suppressed = code;
                else errors.add(mapper.apply(code, e.getKey()));
            }
        }
        if (errors.isEmpty()) errors.add(mapper.apply(ret, names.size() == 1 ? names.iterator().next() : null));
        return factory.make(errors, suppressed);
    }

    /** The errno meanings that do not depend on the call. */
    static ZfsException generic(int err, String op, String name) {
        switch (err) {
            case ENOSPC: return new NoSpace(err, op, name == null ? null : ZfsNames.poolOf(name));
            case EDQUOT: return new QuotaExceeded(err, op, name);
            case EBUSY: return new DatasetBusy(err, op, name);
            case ENAMETOOLONG: return new NameTooLong(err, op, name);
            case EROFS: return new ReadOnlyPool(err, op, name == null ? null : ZfsNames.poolOf(name));
            case EAGAIN: return new SuspendedPool(err, op, name == null ? null : ZfsNames.poolOf(name));
            case EXDEV: return new PoolsDiffer(err, op, name);
            case EIO: return new ZioError(err, op, name);
            case EPERM: case EACCES: return new PermissionDenied(err, op, name);
            case ENOTSUP: return new PropertyNotSupported(err, op, name);
            case ENOENT: return new DatasetNotFound(err, op, name);
            case EEXIST: return new DatasetExists(err, op, name);
            case ZFS_ERR_BADPROP: return new PropertyInvalid(err, op, name);
            default: return new ZfsException(op + " failed", err, op, name);
        }
    }
}
