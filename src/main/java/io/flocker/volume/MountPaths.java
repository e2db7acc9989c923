package io.flocker.volume;

import java.nio.file.Path;

/**
 * Checks a mount path: where containers see a volume. Docker takes it in a
 * bind ({@code host:container}), so it must be absolute, must not be "/",
 * and must not contain ':'.
 */
public final class MountPaths {
    /** Linux's PATH_MAX minus the terminating NUL. */
    private static final int MAX_LENGTH = 4095;

    private MountPaths() {}

    /**
     * The path {@code text} names.
     *
     * @throws InvalidMountPath naming {@code text} and saying what is wrong
     */
    public static Path of(String text) {
        if (text == null || text.isEmpty()) throw new InvalidMountPath(String.valueOf(text), "it is empty");
        if (!text.startsWith("/")) throw new InvalidMountPath(text, "it must be absolute (start with '/')");
        if (text.length() > MAX_LENGTH) throw new InvalidMountPath(text, "longer than " + MAX_LENGTH + " characters");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ':') throw new InvalidMountPath(text, "':' is not allowed (Docker binds are host:container)");
            if (c < 0x20 || c == 0x7f) throw new InvalidMountPath(text, "control characters are not allowed");
        }
        for (String part : text.split("/")) {
            if (part.equals(".") || part.equals("..")) throw new InvalidMountPath(text, "'.' and '..' are not allowed");
        }
        Path p = Path.of(text).normalize();
        if (p.getNameCount() == 0) throw new InvalidMountPath(text, "a volume cannot be mounted over the container's root");
        return p;
    }
}
