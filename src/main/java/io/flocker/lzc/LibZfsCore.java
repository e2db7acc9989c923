package io.flocker.lzc;

import static io.flocker.lzc.raw.LibZfsCoreNative.*;

import io.flocker.lzc.errors.BookmarkDestructionFailure;
import io.flocker.lzc.errors.BookmarkFailure;
import io.flocker.lzc.errors.BookmarkMismatch;
import io.flocker.lzc.errors.DuplicateSnapshots;
import io.flocker.lzc.errors.Errno;
import io.flocker.lzc.errors.HoldFailure;
import io.flocker.lzc.errors.HoldReleaseFailure;
import io.flocker.lzc.errors.SnapshotDestructionFailure;
import io.flocker.lzc.errors.SnapshotFailure;
import io.flocker.lzc.errors.ZcpLimitInvalid;
import io.flocker.lzc.errors.ZfsException;
import io.flocker.lzc.errors.ZfsUnavailable;
import io.flocker.lzc.raw.NvList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.javacpp.BytePointer;

/**
 * libzfs_core for Java: one method per lzc_* call, Java types in and out.
 *
 * <p>Get the instance with {@link #open()}; it exists only after
 * libzfs_core_init succeeded, so no call can reach the library uninitialised
 * (which would abort the JVM). The instance is shared and thread-safe: the
 * library serialises nothing itself, the kernel does.
 *
 * <p>Every name is checked against ZFS's rules before the call ({@link
 * ZfsNames}), every property value against its type ({@link
 * ZfsProperties}); a refusal changes nothing. Every errno becomes a typed
 * {@link ZfsException} chosen for the call ({@code ErrorTables}). Native
 * nvlists are freed on every path. Descriptors passed in are never closed.
 *
 * <p>A call on several names (snapshot, destroySnapshots, hold, release,
 * bookmark, destroyBookmarks) fails only with its own wrapper ({@code
 * SnapshotFailure} and so on), one entry per failing name, whether the name
 * was refused here (errno 0) or by the kernel.
 *
 * <p>Where this binding differs from libzfs_core, on purpose: an empty list
 * of names is refused ({@link IllegalArgumentException}) instead of being a
 * call that does nothing; numeric properties also take sizes as {@code zfs}
 * writes them ({@code recordsize=128k}, {@link ZfsProperties#parseSize});
 * and an error names the object that is missing (the file system of a
 * snapshot that cannot be made, the source of an incremental) rather than
 * the one asked for.
 */
public final class LibZfsCore {
    /** A channel program's default and largest instruction limit (ZCP_*_INSTRLIMIT). */
    public static final long DEFAULT_INSTRUCTION_LIMIT = 10_000_000L, MAX_INSTRUCTION_LIMIT = 100_000_000L;
    /** A channel program's default and largest memory limit in bytes (ZCP_*_MEMLIMIT). */
    public static final long DEFAULT_MEMORY_LIMIT = 10L << 20, MAX_MEMORY_LIMIT = 100L << 20;

    private static final Object LOCK = new Object();
    private static volatile LibZfsCore instance;

    private LibZfsCore() {}

    /**
     * The initialised library. Opens /dev/zfs the first time; later calls
     * return the same instance.
     *
     * @throws ZfsUnavailable when /dev/zfs is missing (no zfs module) or cannot be opened
     */
    public static LibZfsCore open() {
        LibZfsCore lzc = instance;
        if (lzc != null) return lzc;
        synchronized (LOCK) {
            if (instance == null) {
                NativeLibrary.load();
                int err = libzfs_core_init();
                if (err != 0) {
                    throw new ZfsUnavailable(err == Errno.ENOENT
                        ? "ZFS is not available: /dev/zfs does not exist (is the zfs kernel module loaded?)"
                        : "ZFS is not available: /dev/zfs cannot be opened", err, "init");
                }
                instance = new LibZfsCore();
            }
            return instance;
        }
    }

    // ---- datasets --------------------------------------------------------

    /** Creates a file system with default properties. */
    public void create(String name) {
        create(name, DatasetType.FILESYSTEM, Map.of());
    }

    /**
     * Creates a file system or volume (lzc_create). It is not mounted:
     * libzfs_core never mounts, see {@link ZfsMounts}.
     *
     * @param props properties set at creation, e.g. {@code readonly=on}, {@code volsize} for a volume
     */
    public void create(String name, DatasetType type, Map<String, ?> props) {
        create(name, type, props, null);
    }

    /**
     * Like {@link #create(String, DatasetType, Map)}, with the wrapping key
     * for an encrypted dataset ({@code encryption}, {@code keyformat} and
     * {@code keylocation=prompt} in props).
     */
    public void create(String name, DatasetType type, Map<String, ?> props, byte[] wrappingKey) {
        ZfsNames.checkFilesystem("create", name);
        Map<String, Object> kprops = ZfsProperties.toKernel("create", name, props);
        if (type == DatasetType.VOLUME && !kprops.containsKey("volsize")) {
            throw new io.flocker.lzc.errors.PropertyInvalid("a volume needs the volsize property", 0, "create", name);
        }
        int err;
        try (Nvlist p = Nvlist.of(kprops)) {
            err = wrappingKey == null
                ? lzc_create(name, type.code, p.handle(), (byte[]) null, 0)
                : lzc_create(name, type.code, p.handle(), wrappingKey, wrappingKey.length);
        }
        if (err != 0) throw ErrorTables.create(err, name);
    }

    /** Creates {@code name} as a clone of the snapshot {@code origin} (lzc_clone). */
    public void clone(String name, String origin, Map<String, ?> props) {
        ZfsNames.checkFilesystem("clone", name);
        ZfsNames.checkSnapshot("clone", origin);
        ZfsNames.checkOnePool("clone", List.of(name, origin));
        Map<String, Object> kprops = ZfsProperties.toKernel("clone", name, props);
        int err;
        try (Nvlist p = Nvlist.of(kprops)) {
            err = lzc_clone(name, origin, p.handle());
        }
        if (err != 0) throw ErrorTables.clone(err, name, origin, lzc_exists(origin) != 0);
    }

    /**
     * Makes a clone independent of its origin (lzc_promote); the origin's
     * snapshots up to the clone's origin move to the clone.
     *
     * @throws io.flocker.lzc.errors.SnapshotExists naming the conflicting snapshot
     */
    public void promote(String name) {
        ZfsNames.checkFilesystem("promote", name);
        byte[] conflict = new byte[ZfsNames.MAX_NAME_LENGTH + 1];
        int err = lzc_promote(name, conflict, conflict.length);
        // The kernel names the conflicting snapshot by its short name.
        String c = cString(conflict);
        if (err != 0) throw ErrorTables.promote(err, name, c.isEmpty() || c.contains("@") ? c : name + "@" + c);
    }

    /** Renames a file system or volume within its pool (lzc_rename). */
    public void rename(String source, String target) {
        ZfsNames.checkFilesystem("rename", source);
        ZfsNames.checkFilesystem("rename", target);
        ZfsNames.checkOnePool("rename", List.of(source, target));
        int err = lzc_rename(source, target);
        if (err != 0) throw ErrorTables.rename(err, source, target, lzc_exists(source) != 0);
    }

    /**
     * Destroys a file system or volume (lzc_destroy). It must be unmounted and
     * have no children or snapshots; snapshots go with {@link #destroySnapshots}.
     */
    public void destroy(String name) {
        ZfsNames.checkFilesystem("destroy", name);
        int err = lzc_destroy(name);
        if (err != 0) throw ErrorTables.destroy(err, name);
    }

    /** Whether the dataset, snapshot or bookmark exists (lzc_exists). */
    public boolean exists(String name) {
        if (name != null && name.indexOf('#') >= 0) {
            ZfsNames.checkBookmark("exists", name);
            // lzc_exists asks for objset stats, which bookmarks do not have.
            NvList out = new NvList((org.bytedeco.javacpp.Pointer) null);
            int err = lzc_get_bookmark_props(name, out);
            Nvlist.drain(out);
            return err == 0;
        }
        ZfsNames.checkFilesystemOrSnapshot("exists", name);
        return lzc_exists(name) != 0;
    }

    // ---- snapshots -------------------------------------------------------

    /** Takes one snapshot. */
    public void snapshot(String snapshot) {
        snapshot(List.of(snapshot), Map.of());
    }

    /**
     * Takes all the snapshots at once, in one transaction group: all are made
     * or none (lzc_snapshot). They must be in one pool, at most one per file
     * system.
     *
     * @param props user properties to set on each new snapshot
     * @throws io.flocker.lzc.errors.SnapshotFailure with one error per failing snapshot
     */
    public void snapshot(Collection<String> snapshots, Map<String, ?> props) {
        requireSome("snapshot", snapshots);
        Set<String> filesystems = new HashSet<>();
        Prechecks pre = new Prechecks();
        for (String s : snapshots) {
            pre.check(() -> {
                ZfsNames.checkSnapshot("snapshot", s);
                if (!filesystems.add(ZfsNames.filesystemOf(s))) throw new DuplicateSnapshots(0, "snapshot", s);
            });
        }
        if (!pre.failed()) pre.check(() -> ZfsNames.checkOnePool("snapshot", snapshots));
        for (String key : props == null ? Set.<String>of() : props.keySet()) {
            if (!ZfsProperties.isUserProperty(key)) {
                pre.check(() -> {
                    throw new io.flocker.lzc.errors.PropertyInvalid(
                        "only user properties (module:name) can be set on snapshots, not " + key, 0, "snapshot",
                        snapshots.iterator().next());
                });
            }
        }
        pre.done((l, n) -> new SnapshotFailure(0, "snapshot", l, n));
        Map<String, Object> kprops = ZfsProperties.toKernel("snapshot", snapshots.iterator().next(), props);
        int err;
        Map<String, Object> errlist;
        try (Nvlist snaps = Nvlist.of(nameSet(snapshots)); Nvlist p = Nvlist.of(kprops)) {
            NvList out = new NvList((org.bytedeco.javacpp.Pointer) null);
            err = lzc_snapshot(snaps.handle(), p.handle(), out);
            errlist = Nvlist.drain(out);
        }
        if (err != 0) throw ErrorTables.snapshot(err, errlist, snapshots);
    }

    /**
     * Destroys snapshots, all or none (lzc_destroy_snaps). Snapshots that do
     * not exist are skipped.
     *
     * @param defer mark held or cloned snapshots for destruction once their
     *     last hold or clone is gone, instead of failing
     */
    public void destroySnapshots(Collection<String> snapshots, boolean defer) {
        requireSome("destroy_snaps", snapshots);
        Prechecks pre = new Prechecks();
        for (String s : snapshots) pre.check(() -> ZfsNames.checkSnapshot("destroy_snaps", s));
        if (!pre.failed()) pre.check(() -> ZfsNames.checkOnePool("destroy_snaps", snapshots));
        pre.done((l, n) -> new SnapshotDestructionFailure(0, "destroy_snaps", l, n));
        int err;
        Map<String, Object> errlist;
        try (Nvlist snaps = Nvlist.of(nameSet(snapshots))) {
            NvList out = new NvList((org.bytedeco.javacpp.Pointer) null);
            err = lzc_destroy_snaps(snaps.handle(), defer ? 1 : 0, out);
            errlist = Nvlist.drain(out);
        }
        if (err != 0) throw ErrorTables.destroySnaps(err, errlist, snapshots);
    }

    /**
     * Bytes that destroying the snapshots from {@code first} to {@code last}
     * (inclusive, same file system) would free (lzc_snaprange_space).
     */
    public long snaprangeSpace(String first, String last) {
        ZfsNames.checkSnapshot("snaprange_space", first);
        ZfsNames.checkSnapshot("snaprange_space", last);
        ZfsNames.checkOnePool("snaprange_space", List.of(first, last));
        long[] used = new long[1];
        int err = lzc_snaprange_space(first, last, used);
        if (err != 0) throw ErrorTables.snaprangeSpace(err, first, last, lzc_exists(first) != 0);
        return used[0];
    }

    /** Rolls a file system back to its newest snapshot; returns that snapshot's name. */
    public String rollback(String filesystem) {
        ZfsNames.checkFilesystem("rollback", filesystem);
        byte[] target = new byte[ZfsNames.MAX_NAME_LENGTH + 1];
        int err = lzc_rollback(filesystem, target, target.length);
        if (err != 0) throw ErrorTables.rollback(err, "rollback", filesystem, null);
        return cString(target);
    }

    /**
     * Rolls back to {@code snapshot}, only if it is still the newest one
     * (lzc_rollback_to): a snapshot taken meanwhile makes this fail instead
     * of losing it.
     */
    public void rollbackTo(String filesystem, String snapshot) {
        ZfsNames.checkFilesystem("rollback_to", filesystem);
        ZfsNames.checkSnapshot("rollback_to", snapshot);
        if (!ZfsNames.filesystemOf(snapshot).equals(filesystem)) {
            throw new io.flocker.lzc.errors.SnapshotMismatch("the snapshot is not of this file system", 0,
                "rollback_to", filesystem, snapshot);
        }
        int err = lzc_rollback_to(filesystem, snapshot);
        if (err != 0) throw ErrorTables.rollback(err, "rollback_to", filesystem, snapshot);
    }

    // ---- holds -----------------------------------------------------------

    /**
     * Places holds: snapshot name to tag (lzc_hold). A held snapshot cannot
     * be destroyed.
     *
     * @param cleanupFd -1 for lasting holds; or a descriptor from {@link
     *     #openCleanupDescriptor()}, whose closing releases these holds
     * @return the snapshots that did not exist (skipped, not an error)
     */
    public List<String> hold(Map<String, String> holds, int cleanupFd) {
        requireSome("hold", holds.keySet());
        Prechecks pre = new Prechecks();
        for (Map.Entry<String, String> h : holds.entrySet()) {
            pre.check(() -> ZfsNames.checkSnapshot("hold", h.getKey()));
            pre.check(() -> ZfsNames.checkHoldTag("hold", h.getValue()));
        }
        if (!pre.failed()) pre.check(() -> ZfsNames.checkOnePool("hold", holds.keySet()));
        pre.done((l, n) -> new HoldFailure(0, "hold", l, n));
        int err;
        Map<String, Object> errlist;
        try (Nvlist nv = Nvlist.of(holds)) {
            NvList out = new NvList((org.bytedeco.javacpp.Pointer) null);
            err = lzc_hold(nv.handle(), cleanupFd, out);
            errlist = Nvlist.drain(out);
        }
        if (err != 0) throw ErrorTables.hold(err, errlist, holds);
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Object> e : errlist.entrySet()) {
            if (e.getValue() instanceof Integer code && code == Errno.ENOENT) missing.add(e.getKey());
        }
        return missing;
    }

    /**
     * Releases holds: snapshot name to the tags to release (lzc_release).
     * What does not exist is skipped, as the kernel does, and reported.
     *
     * @return what was not found: a missing snapshot by its name, a missing
     *     hold as {@code snapshot#tag}; empty when everything was released
     */
    public List<String> release(Map<String, ? extends Collection<String>> holds) {
        requireSome("release", holds.keySet());
        Map<String, Object> nv = new LinkedHashMap<>();
        Prechecks pre = new Prechecks();
        for (Map.Entry<String, ? extends Collection<String>> h : holds.entrySet()) {
            pre.check(() -> ZfsNames.checkSnapshot("release", h.getKey()));
            for (String tag : h.getValue()) pre.check(() -> ZfsNames.checkHoldTag("release", tag));
            nv.put(h.getKey(), nameSet(h.getValue()));
        }
        if (!pre.failed()) pre.check(() -> ZfsNames.checkOnePool("release", holds.keySet()));
        pre.done((l, n) -> new HoldReleaseFailure(0, "release", l, n));
        int err;
        Map<String, Object> errlist;
        try (Nvlist n = Nvlist.of(nv)) {
            NvList out = new NvList((org.bytedeco.javacpp.Pointer) null);
            err = lzc_release(n.handle(), out);
            errlist = Nvlist.drain(out);
        }
        if (err != 0) throw ErrorTables.release(err, errlist, holds.keySet());
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Object> e : errlist.entrySet()) {
            if (e.getValue() instanceof Integer code && code == Errno.ENOENT) missing.add(e.getKey());
        }
        return missing;
    }

    /** The holds on a snapshot: tag to the time it was placed (seconds since the epoch). */
    public Map<String, Long> getHolds(String snapshot) {
        ZfsNames.checkSnapshot("get_holds", snapshot);
        NvList out = new NvList((org.bytedeco.javacpp.Pointer) null);
        int err = lzc_get_holds(snapshot, out);
        Map<String, Object> holds = Nvlist.drain(out);
        if (err != 0) throw ErrorTables.getHolds(err, snapshot);
        Map<String, Long> result = new LinkedHashMap<>();
        holds.forEach((k, v) -> result.put(k, v instanceof Number n ? n.longValue() : 0L));
        return result;
    }

    /**
     * A descriptor for temporary holds: holds placed with it are released
     * when it is closed (also when the process dies). Close it with
     * {@link #closeDescriptor(int)}.
     */
    public int openCleanupDescriptor() {
        int fd = flocker_open_rdwr("/dev/zfs");
        if (fd < 0) throw new ZfsUnavailable("cannot open /dev/zfs for temporary holds", -fd, "hold");
        return fd;
    }

    /** Closes a descriptor this class opened ({@link #openCleanupDescriptor()}). */
    public void closeDescriptor(int fd) {
        int err = flocker_close(fd);
        if (err < 0) throw new ZfsException("closing descriptor " + fd + " failed", -err, "close");
    }

    // ---- bookmarks -------------------------------------------------------

    /**
     * Creates bookmarks: bookmark name ({@code fs#mark}) to the snapshot or
     * bookmark it marks, of the same file system (lzc_bookmark).
     */
    public void bookmark(Map<String, String> bookmarks) {
        requireSome("bookmark", bookmarks.keySet());
        Prechecks pre = new Prechecks();
        for (Map.Entry<String, String> b : bookmarks.entrySet()) {
            pre.check(() -> {
                ZfsNames.checkBookmark("bookmark", b.getKey());
                ZfsNames.checkSnapshotOrBookmark("bookmark", b.getValue());
                if (!ZfsNames.filesystemOf(b.getKey()).equals(ZfsNames.filesystemOf(b.getValue()))) {
                    throw new BookmarkMismatch(0, "bookmark", b.getKey(), b.getValue());
                }
            });
        }
        if (!pre.failed()) pre.check(() -> ZfsNames.checkOnePool("bookmark", bookmarks.keySet()));
        pre.done((l, n) -> new BookmarkFailure(0, "bookmark", l, n));
        int err;
        Map<String, Object> errlist;
        try (Nvlist nv = Nvlist.of(bookmarks)) {
            NvList out = new NvList((org.bytedeco.javacpp.Pointer) null);
            err = lzc_bookmark(nv.handle(), out);
            errlist = Nvlist.drain(out);
        }
        if (err != 0) throw ErrorTables.bookmark(err, errlist, bookmarks);
    }

    /**
     * The bookmarks of a file system, full name to properties (guid,
     * createtxg, creation), oldest first (lzc_get_bookmarks).
     */
    public Map<String, Map<String, Object>> getBookmarks(String filesystem) {
        ZfsNames.checkFilesystem("get_bookmarks", filesystem);
        Map<String, Object> raw;
        int err;
        try (Nvlist props = Nvlist.of(nameSet(List.of("guid", "createtxg", "creation")))) {
            NvList out = new NvList((org.bytedeco.javacpp.Pointer) null);
            err = lzc_get_bookmarks(filesystem, props.handle(), out);
            raw = Nvlist.drain(out);
        }
        if (err != 0) throw ErrorTables.getBookmarks(err, "get_bookmarks", filesystem);
        List<Map.Entry<String, Map<String, Object>>> marks = new ArrayList<>();
        for (Map.Entry<String, Object> e : raw.entrySet()) {
            marks.add(Map.entry(filesystem + "#" + e.getKey(), flattenValues(e.getValue())));
        }
        marks.sort((a, b) -> Long.compare(longOf(a.getValue().get("createtxg")), longOf(b.getValue().get("createtxg"))));
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        marks.forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** The properties of one bookmark (lzc_get_bookmark_props). */
    public Map<String, Object> getBookmarkProps(String bookmark) {
        ZfsNames.checkBookmark("get_bookmark_props", bookmark);
        NvList out = new NvList((org.bytedeco.javacpp.Pointer) null);
        int err = lzc_get_bookmark_props(bookmark, out);
        Map<String, Object> raw = Nvlist.drain(out);
        if (err != 0) throw ErrorTables.getBookmarks(err, "get_bookmark_props", bookmark);
        return flattenValues(raw);
    }

    /** Destroys bookmarks, all or none; missing ones are skipped (lzc_destroy_bookmarks). */
    public void destroyBookmarks(Collection<String> bookmarks) {
        requireSome("destroy_bookmarks", bookmarks);
        Prechecks pre = new Prechecks();
        for (String b : bookmarks) pre.check(() -> ZfsNames.checkBookmark("destroy_bookmarks", b));
        if (!pre.failed()) pre.check(() -> ZfsNames.checkOnePool("destroy_bookmarks", bookmarks));
        pre.done((l, n) -> new BookmarkDestructionFailure(0, "destroy_bookmarks", l, n));
        int err;
        Map<String, Object> errlist;
        try (Nvlist nv = Nvlist.of(nameSet(bookmarks))) {
            NvList out = new NvList((org.bytedeco.javacpp.Pointer) null);
            err = lzc_destroy_bookmarks(nv.handle(), out);
            errlist = Nvlist.drain(out);
        }
        if (err != 0) throw ErrorTables.destroyBookmarks(err, errlist, bookmarks);
    }

    // ---- send and receive ------------------------------------------------

    /**
     * Writes a send stream of {@code snapshot} to {@code fd} (lzc_send).
     * Blocks until the whole stream is written; run it on its own thread when
     * someone else reads the other end of a pipe. {@code snapshot} may also be
     * a file system, whose current state is sent, as lzc_send allows (it must
     * not change meanwhile: an unmounted one, say).
     *
     * @param from null for a full stream; else an earlier snapshot or a
     *     bookmark of the same file system, for an incremental one
     * @param fd a pipe or file open for writing; not closed here
     */
    public void send(String snapshot, String from, int fd, Set<SendFlag> flags) {
        if (snapshot != null && snapshot.indexOf('@') < 0) ZfsNames.checkFilesystem("send", snapshot);
        else ZfsNames.checkSnapshot("send", snapshot);
        checkSendSource("send", snapshot, from);
        int err = lzc_send(snapshot, from, fd, SendFlag.mask(flags));
        if (err != 0) throw ErrorTables.send(err, "send", snapshot, from, lzc_exists(snapshot) != 0);
    }

    /**
     * Continues an interrupted send from the object and offset a receive
     * resume token names ({@link ResumeToken}), lzc_send_resume.
     */
    public void sendResume(String snapshot, String from, int fd, Set<SendFlag> flags, long object, long offset) {
        checkSendNames("send_resume", snapshot, from);
        int err = lzc_send_resume(snapshot, from, fd, SendFlag.mask(flags), object, offset);
        if (err != 0) throw ErrorTables.send(err, "send_resume", snapshot, from, lzc_exists(snapshot) != 0);
    }

    /** The estimated size in bytes of the stream {@link #send} would write (lzc_send_space). */
    public long sendSpace(String snapshot, String from, Set<SendFlag> flags) {
        checkSendNames("send_space", snapshot, from);
        long[] space = new long[1];
        int err = lzc_send_space(snapshot, from, SendFlag.mask(flags), space);
        if (err != 0) throw ErrorTables.send(err, "send_space", snapshot, from, lzc_exists(snapshot) != 0);
        return space[0];
    }

    /**
     * Reads a send stream from {@code fd} and creates {@code snapshot} from it
     * (lzc_receive_one). A stream that fails leaves the target as it was
     * (or, with {@code resumable}, a partial state that a resumed send
     * completes).
     *
     * @param fd a pipe or file open for reading; not closed here
     * @return the number of stream bytes read, the begin record included
     * @throws io.flocker.lzc.errors.ReceivePropertyFailure when the data
     *     arrived but some properties were refused
     */
    public long receive(String snapshot, int fd, ReceiveOptions options) {
        return receive(snapshot, fd, options, null);
    }

    /**
     * Like {@link #receive(String, int, ReceiveOptions)} for a stream whose
     * begin record the caller has already read ({@link StreamHeader#read}).
     */
    public long receive(String snapshot, int fd, ReceiveOptions options, StreamHeader header) {
        ZfsNames.checkSnapshot("receive", snapshot);
        ReceiveOptions o = options == null ? ReceiveOptions.DEFAULTS : options;
        if (o.origin() != null) {
            ZfsNames.checkSnapshot("receive", o.origin());
            ZfsNames.checkOnePool("receive", List.of(snapshot, o.origin()));
        }
        Map<String, Object> kprops = ZfsProperties.toKernel("receive", snapshot, o.properties());
        long[] read = new long[1];
        long[] errflags = new long[1];
        long[] handle = new long[1];
        int err;
        Map<String, Object> propErrors;
        try (Nvlist p = Nvlist.of(kprops); BytePointer begin = header == null ? null : header.nativeCopy()) {
            NvList errors = new NvList((org.bytedeco.javacpp.Pointer) null);
            err = lzc_receive_one(snapshot, p.handle(), o.origin(), o.force() ? 1 : 0, o.resumable() ? 1 : 0,
                o.raw() ? 1 : 0, fd, begin == null ? null : new io.flocker.lzc.raw.dmu_replay_record(begin), -1,
                read, errflags, handle, errors);
            propErrors = Nvlist.drain(errors);
        }
        if (err == Errno.EBUSY && hasPartialReceive(ZfsNames.filesystemOf(snapshot))) {
            // The kernel answers a new stream onto a saved partial receive with a bare EBUSY.
            err = Errno.ZFS_ERR_RESUME_EXISTS;
        }
        if (err != 0) throw ErrorTables.receive(err, snapshot, o.resumable());
        if (!propErrors.isEmpty()) throw ErrorTables.receiveProperties(propErrors, snapshot);
        // read_bytes leaves out the begin record, which is read before the kernel counts.
        return read[0] + StreamHeader.SIZE;
    }

    /**
     * Discards what a broken resumable receive left on {@code filesystem}
     * (as {@code zfs receive -A} does): the hidden {@code %recv} clone of an
     * incremental one, or the file system itself when a full one never
     * completed (it then has no snapshot).
     *
     * @return whether there was a partial state
     */
    public boolean abortReceive(String filesystem) {
        ZfsNames.checkFilesystem("abort_receive", filesystem);
        // %recv is the kernel's own name, outside what users may name.
        String clone = filesystem + "/%recv";
        if (lzc_exists(clone) != 0) {
            int err = lzc_destroy(clone);
            if (err != 0) throw ErrorTables.destroy(err, clone);
            return true;
        }
        if (!hasPartialReceive(filesystem) || !snapshots(filesystem).isEmpty()) return false;
        int err = lzc_destroy(filesystem);
        if (err != 0) throw ErrorTables.destroy(err, filesystem);
        return true;
    }

    private boolean hasPartialReceive(String filesystem) {
        try {
            return lzc_exists(filesystem) != 0 && receiveResumeToken(filesystem) != null;
        } catch (ZfsException e) {
            return false;
        }
    }

    // ---- channel programs ------------------------------------------------

    /**
     * Runs a Lua channel program in syncing context: its changes are atomic,
     * in one transaction group (lzc_channel_program).
     *
     * @param args the program's argument, as a Lua table ({@code local args = ...})
     * @return what the program returned, under the key "return"
     */
    public Map<String, Object> channelProgram(String pool, String program, Map<String, ?> args,
                                              long instructionLimit, long memoryLimit) {
        return runProgram(pool, program, args, instructionLimit, memoryLimit, true);
    }

    /**
     * Runs a read-only channel program without waiting for a transaction
     * group (lzc_channel_program_nosync): fast, but it cannot change anything.
     */
    public Map<String, Object> channelProgramNoSync(String pool, String program, Map<String, ?> args,
                                                    long instructionLimit, long memoryLimit) {
        return runProgram(pool, program, args, instructionLimit, memoryLimit, false);
    }

    /**
     * Runs a read-only program (no sync) with the largest instruction limit.
     * libzfs_core sizes the result buffer by the memory limit, so a large
     * limit costs a large allocation on every call: this starts with the
     * default limit, and only a result too big for it pays for the largest.
     */
    public Map<String, Object> readProgram(String pool, String program, Map<String, ?> args) {
        try {
            return channelProgramNoSync(pool, program, args, MAX_INSTRUCTION_LIMIT, DEFAULT_MEMORY_LIMIT);
        } catch (io.flocker.lzc.errors.ZcpMemoryError e) {
            return channelProgramNoSync(pool, program, args, MAX_INSTRUCTION_LIMIT, MAX_MEMORY_LIMIT);
        }
    }

    private Map<String, Object> runProgram(String pool, String program, Map<String, ?> args,
                                           long instructionLimit, long memoryLimit, boolean sync) {
        ZfsNames.checkPool("channel_program", pool);
        if (instructionLimit <= 0 || instructionLimit > MAX_INSTRUCTION_LIMIT) {
            throw new ZcpLimitInvalid("instruction limit " + instructionLimit + " is not in 1.." + MAX_INSTRUCTION_LIMIT,
                0, "channel_program", pool);
        }
        if (memoryLimit <= 0 || memoryLimit > MAX_MEMORY_LIMIT) {
            throw new ZcpLimitInvalid("memory limit " + memoryLimit + " is not in 1.." + MAX_MEMORY_LIMIT,
                0, "channel_program", pool);
        }
        int err;
        Map<String, Object> out;
        try (Nvlist a = Nvlist.of(args == null ? Map.of() : args)) {
            NvList result = new NvList((org.bytedeco.javacpp.Pointer) null);
            err = sync
                ? lzc_channel_program(pool, program, instructionLimit, memoryLimit, a.handle(), result)
                : lzc_channel_program_nosync(pool, program, instructionLimit, memoryLimit, a.handle(), result);
            out = Nvlist.drain(result);
        }
        if (err != 0) {
            Object e = out.get("error");
            throw ErrorTables.channelProgram(err, pool, e instanceof String s ? s : null);
        }
        return out;
    }

    // ---- listing (channel programs) ---------------------------------------

    /**
     * {@code root} and its descendants down to {@code depth} levels (0: root
     * alone, 1: its children, ...), each followed by its snapshots (oldest
     * first) when {@code snapshots} is set; read by one channel program, so all
     * of it is one consistent view. Reads the core properties (type, used,
     * mountpoint, readonly, creation, guid, createtxg) and every user property.
     */
    public List<DatasetInfo> list(String root, int depth, boolean snapshots) {
        return DatasetLister.list(this, root, depth, snapshots, DatasetLister.CORE, null);
    }

    /**
     * Like {@link #list(String, int, boolean)}, reading only the named user
     * properties: much faster on large trees, since walking all user
     * properties of a dataset costs more than reading all its native ones.
     */
    public List<DatasetInfo> list(String root, int depth, boolean snapshots, Collection<String> userProperties) {
        return DatasetLister.list(this, root, depth, snapshots, DatasetLister.CORE, List.copyOf(userProperties));
    }

    /** Every property {@link DatasetInfo} has, and every user property, of one dataset or snapshot. */
    public DatasetInfo get(String name) {
        return DatasetLister.list(this, name, 0, false, DatasetLister.FULL, null).get(0);
    }

    /** The snapshots of a file system, oldest first. */
    public List<DatasetInfo> snapshots(String filesystem) {
        ZfsNames.checkFilesystem("list", filesystem);
        List<DatasetInfo> all = new ArrayList<>(DatasetLister.list(this, filesystem, 0, true, DatasetLister.CORE, List.of()));
        all.removeIf(d -> !d.isSnapshot());
        return all;
    }

    /** The token of a partially received stream on {@code filesystem}, or null when there is none. */
    public String receiveResumeToken(String filesystem) {
        ZfsNames.checkFilesystem("list", filesystem);
        return get(filesystem).receiveResumeToken();
    }

    // ---- pools -----------------------------------------------------------

    /** Waits until everything written so far is on disk (lzc_sync, with force). */
    public void sync(String pool) {
        ZfsNames.checkPool("sync", pool);
        int err;
        try (Nvlist args = Nvlist.of(Map.of("force", Boolean.TRUE))) {
            err = lzc_sync(pool, args.handle(), (NvList) null);
        }
        if (err != 0) throw ErrorTables.sync(err, "sync", pool);
    }

    /** Takes a pool checkpoint: a state the whole pool can be rewound to (lzc_pool_checkpoint). */
    public void checkpoint(String pool) {
        ZfsNames.checkPool("pool_checkpoint", pool);
        int err = lzc_pool_checkpoint(pool);
        if (err != 0) throw ErrorTables.checkpoint(err, "pool_checkpoint", pool);
    }

    /** Discards the pool's checkpoint (lzc_pool_checkpoint_discard). */
    public void discardCheckpoint(String pool) {
        ZfsNames.checkPool("pool_checkpoint_discard", pool);
        int err = lzc_pool_checkpoint_discard(pool);
        if (err != 0) throw ErrorTables.checkpoint(err, "pool_checkpoint_discard", pool);
    }

    // ---- encryption keys -------------------------------------------------

    /**
     * Loads the wrapping key of an encrypted dataset (lzc_load_key).
     *
     * @param verifyOnly only check that the key is right, loading nothing
     */
    public void loadKey(String filesystem, boolean verifyOnly, byte[] key) {
        ZfsNames.checkFilesystem("load_key", filesystem);
        int err = lzc_load_key(filesystem, verifyOnly ? 1 : 0, key, key.length);
        if (err != 0) throw ErrorTables.key(err, "load_key", filesystem);
    }

    /** Unloads the key of an encrypted dataset; it must be unmounted (lzc_unload_key). */
    public void unloadKey(String filesystem) {
        ZfsNames.checkFilesystem("unload_key", filesystem);
        int err = lzc_unload_key(filesystem);
        if (err != 0) throw ErrorTables.key(err, "unload_key", filesystem);
    }

    /**
     * Changes the wrapping key (lzc_change_key).
     *
     * @param props key properties ({@code keyformat}, {@code keylocation}, {@code pbkdf2iters}) for a new key
     * @param key the new wrapping key, or null when inheriting
     */
    public void changeKey(String filesystem, KeyChange change, Map<String, ?> props, byte[] key) {
        ZfsNames.checkFilesystem("change_key", filesystem);
        Map<String, Object> kprops = ZfsProperties.toKernel("change_key", filesystem, props);
        int err;
        try (Nvlist p = Nvlist.of(kprops)) {
            err = key == null
                ? lzc_change_key(filesystem, change.code, p.handle(), (byte[]) null, 0)
                : lzc_change_key(filesystem, change.code, p.handle(), key, key.length);
        }
        if (err != 0) throw ErrorTables.key(err, "change_key", filesystem);
    }

    // ---- helpers ---------------------------------------------------------

    private static void checkSendNames(String op, String snapshot, String from) {
        ZfsNames.checkSnapshot(op, snapshot);
        checkSendSource(op, snapshot, from);
    }

    private static void checkSendSource(String op, String snapshot, String from) {
        if (from != null) {
            ZfsNames.checkSnapshotOrBookmark(op, from);
            ZfsNames.checkOnePool(op, List.of(snapshot, from));
        }
    }

    private static void requireSome(String op, Collection<String> names) {
        if (names == null || names.isEmpty()) throw new IllegalArgumentException(op + ": no names given");
    }

    static Map<String, Object> nameSet(Collection<String> names) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String n : names) m.put(n, Nvlist.FLAG);
        return m;
    }

    /** {@code {prop: {value: v}}} becomes {@code {prop: v}}. */
    private static Map<String, Object> flattenValues(Object props) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (props instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                Object v = e.getValue() instanceof Map<?, ?> inner && inner.containsKey("value") ? inner.get("value") : e.getValue();
                out.put((String) e.getKey(), v);
            }
        }
        return out;
    }

    private static long longOf(Object o) {
        return o instanceof Number n ? n.longValue() : 0L;
    }

    private static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) n++;
        return new String(b, 0, n, java.nio.charset.StandardCharsets.UTF_8);
    }
}
