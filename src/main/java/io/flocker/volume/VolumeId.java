package io.flocker.volume;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Which volume: its owner node and its name. Two nodes may each own a volume
 * of the same name; the pair is unique, and it is what storage is keyed by:
 * {@link #key()} is the last component of the dataset and of the mountpoint.
 *
 * @param owner the UUID of the node that owns (may write) the volume
 * @param name the volume's name
 */
public record VolumeId(UUID owner, VolumeName name) {
    public VolumeId {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(name, "name");
    }

    /** {@code <uuid>.<name>}. */
    public String key() {
        return owner + "." + name.value();
    }

    /**
     * The id a key names, or empty when {@code key} is not of the form
     * {@code <uuid>.<name>} (a dataset someone else made in the pool).
     */
    public static Optional<VolumeId> fromKey(String key) {
        if (key == null || key.length() < 38 || key.charAt(36) != '.') return Optional.empty();
        String uuid = key.substring(0, 36);
        if (!NodeIds.isCanonical(uuid)) return Optional.empty();
        try {
            return Optional.of(new VolumeId(UUID.fromString(uuid), new VolumeName(key.substring(37))));
        } catch (InvalidVolumeName e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return key();
    }
}
