package io.flocker.lzc;

import java.util.Map;

/**
 * How {@link LibZfsCore#receive} takes a stream. Immutable; each {@code with}
 * method returns a changed copy.
 *
 * @param force roll the target back to its newest snapshot (or destroy and
 *     replace it, for a full stream) when it changed since
 * @param resumable keep a partially received state when the stream breaks,
 *     so that a send from the target's receive_resume_token can finish it
 * @param raw the stream was sent raw (encrypted blocks kept encrypted)
 * @param origin for a stream of a clone: the snapshot to clone from, or null
 * @param properties received properties to set on the new snapshot's
 *     dataset (e.g. {@code readonly=on}), as for {@link ZfsProperties#toKernel}
 */
public record ReceiveOptions(boolean force, boolean resumable, boolean raw, String origin,
                             Map<String, ?> properties) {
    /** No force, not resumable, not raw, no origin, no properties. */
    public static final ReceiveOptions DEFAULTS = new ReceiveOptions(false, false, false, null, Map.of());

    public ReceiveOptions {
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    public ReceiveOptions withForce(boolean f) { return new ReceiveOptions(f, resumable, raw, origin, properties); }

    public ReceiveOptions withResumable(boolean r) { return new ReceiveOptions(force, r, raw, origin, properties); }

    public ReceiveOptions withRaw(boolean r) { return new ReceiveOptions(force, resumable, r, origin, properties); }

    public ReceiveOptions withOrigin(String o) { return new ReceiveOptions(force, resumable, raw, o, properties); }

    public ReceiveOptions withProperties(Map<String, ?> p) { return new ReceiveOptions(force, resumable, raw, origin, p); }
}
