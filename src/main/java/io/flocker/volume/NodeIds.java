package io.flocker.volume;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Node UUIDs as they appear in dataset names and the identity file: the
 * canonical lower-case form only. {@link UUID#fromString} alone would accept
 * "1-2-3-4-5", and a dataset named with it would never round-trip.
 */
public final class NodeIds {
    private static final Pattern CANONICAL =
        Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private NodeIds() {}

    /** Whether {@code text} is a UUID in canonical form. */
    public static boolean isCanonical(String text) {
        return text != null && CANONICAL.matcher(text).matches();
    }

    /** @throws InvalidNodeId naming {@code text} when it is not a canonical UUID */
    public static UUID parse(String text) {
        if (!isCanonical(text)) throw new InvalidNodeId(text);
        return UUID.fromString(text);
    }
}
