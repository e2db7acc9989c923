package io.flocker.volume;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Docker's volume driver semantics on the volume manager: what the volume
 * plugin ({@code io.flocker.plugin}) serves, with no state of its own.
 *
 * <p>Docker sees this node's volumes, by name: those it creates here, with
 * storage properties and with no data container, and those made by {@code
 * flocker-volume create}, which containers may then get with {@code -v} as
 * well. Other nodes' copies are not shown.
 *
 * <p>Each mount is recorded as a user of the volume under the caller's ID,
 * with the volume in storage ({@link StoragePool#addUser}), so a restarted
 * plugin knows what a stopped one knew. A volume stays mounted for its whole
 * life, whether it has users or not: were it unmounted when its last user
 * left, its path would be an empty directory on the root file system, and
 * whatever wrote there would vanish under the next mount. Staying mounted
 * also keeps listing fast (ZFS reads an unmounted dataset's properties far
 * slower) and makes Mount cost no mount(2) after the first. Mount mounts a
 * volume it finds unmounted (after a restart, or a command that stopped
 * half-way). A volume with users cannot be removed through Docker, and
 * neither can one with a data container ({@code flocker-volume destroy}
 * removes both).
 *
 * <p>Safe to use from several threads and processes: the calls on one
 * volume hold its lock ({@link VolumeService#lock}), so that a mount and the
 * unmount of the last user before it cannot interleave, and a mount waits
 * for a push or handoff of the volume (by the CLI, in another process) to
 * end. Creating, removing, mounting and unmounting wait up to the lock's
 * timeout, then fail with {@link VolumeBusy} naming the holder.
 */
public final class VolumeDriver {
    /** The longest caller ID taken; Docker's are 64 characters. */
    public static final int MAX_USER_ID = 1024;

    private final VolumeService service;

    /** A volume as Get shows it: the volume, who uses it, and the properties set on it. */
    public record Status(Volume volume, Set<String> users, VolumeProperties properties) {}

    /**
     * @param service the volume manager of this node; the driver makes and
     *     removes no data containers through it
     */
    public VolumeDriver(VolumeService service) {
        this.service = Objects.requireNonNull(service, "service");
    }

    /** This node's UUID. */
    public UUID node() {
        return service.node();
    }

    /**
     * Creates a volume this node owns with {@code properties} and no data container.
     *
     * @throws VolumeExists when this node has a volume of that name
     * @throws InvalidVolumeName when the name is too long for the pool
     */
    public Volume create(VolumeName name, VolumeProperties properties) {
        try (VolumeLocks.Held held = service.lock(name, "plugin create")) {
            return service.create(name, properties);
        }
    }

    /**
     * Removes a volume that Docker made.
     *
     * @throws NotOwner when only other nodes have a volume of that name
     * @throws VolumeNotFound when no node has
     * @throws VolumeBusy when a container uses it, or it has a data container
     */
    public void remove(VolumeName name) {
        try (VolumeLocks.Held held = service.lock(name, "plugin remove")) {
            Volume v = service.owned(name);
            if (v.mountPath() != null) {
                throw new VolumeBusy("volume " + VolumeException.quote(name.value()) + " has a data container (it was "
                    + "made by flocker-volume create, for containers at " + v.mountPath() + "): remove it with "
                    + "flocker-volume destroy " + name.value(), null);
            }
            Set<String> users = service.pool().users(v.id());
            if (!users.isEmpty()) {
                throw new VolumeBusy("volume " + VolumeException.quote(name.value()) + " is in use by " + users.size()
                    + (users.size() == 1 ? " container" : " containers") + " (mount IDs " + abbreviate(users)
                    + "): stop them first", null);
            }
            service.pool().destroy(v.id());
        }
    }

    /**
     * Mounts the volume for the caller {@code user} (Docker's mount ID) and
     * records it as a user; mounting it again for the same caller changes
     * nothing.
     *
     * @return where the volume is mounted
     * @throws NotOwner when only other nodes have a volume of that name
     * @throws VolumeNotFound when no node has
     */
    public Path mount(VolumeName name, String user) {
        checkUser(user);
        try (VolumeLocks.Held held = service.lock(name, "plugin mount")) {
            Volume v = service.owned(name);
            service.pool().addUser(v.id(), user);
            try {
                service.pool().mount(v.id());
            } catch (RuntimeException | Error e) {
                try {
                    service.pool().removeUser(v.id(), user);
                } catch (RuntimeException undo) {
                    e.addSuppressed(undo);
                }
                throw e;
            }
            return v.mountpoint();
        }
    }

    /**
     * Forgets the caller {@code user}; the volume stays mounted (see the class
     * comment). A caller that was not recorded is no error (Docker may repeat
     * an unmount).
     *
     * @return how many users the volume has left
     */
    public int unmount(VolumeName name, String user) {
        checkUser(user);
        try (VolumeLocks.Held held = service.lock(name, "plugin unmount")) {
            return service.pool().removeUser(service.owned(name).id(), user);
        }
    }

    /** Where this node's volume {@code name} is (or is mounted when used). */
    public Path path(VolumeName name) {
        return service.owned(name).mountpoint();
    }

    /** This node's volume {@code name}, its users and its properties. */
    public Status get(VolumeName name) {
        Volume v = service.owned(name);
        return new Status(v, service.pool().users(v.id()), service.pool().properties(v.id()));
    }

    /** This node's volumes, by name. */
    public List<Volume> list() {
        return service.list().stream().filter(Volume::owned).toList();
    }

    /**
     * Refuses a caller ID that is empty, too long or has control characters.
     *
     * @throws VolumeException naming it
     */
    public static String checkUser(String user) {
        String why = user == null || user.isEmpty() ? "it is empty (Docker sends one with every Mount and Unmount)"
            : user.length() > MAX_USER_ID ? user.length() + " characters, at most " + MAX_USER_ID
            : user.chars().anyMatch(Character::isISOControl) ? "it has control characters" : null;
        if (why != null) {
            String shown = user == null ? "null" : VolumeException.quote(user.length() > 80 ? user.substring(0, 80) + "..." : user);
            throw new VolumeException("invalid mount ID " + shown + ": " + why);
        }
        return user;
    }

    private static String abbreviate(Set<String> users) {
        List<String> shown = users.stream().sorted().limit(3).map(u -> u.length() > 12 ? u.substring(0, 12) : u).toList();
        return String.join(", ", shown) + (users.size() > 3 ? ", ..." : "");
    }
}
