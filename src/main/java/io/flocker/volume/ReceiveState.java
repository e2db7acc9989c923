package io.flocker.volume;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a node holds of another node's volume, as a sender asks before a push.
 *
 * @param exists whether it has a copy (complete or partial)
 * @param snapshots the copy's snapshots, oldest first
 * @param resumeToken the token of a partially received stream, if one is waiting
 * @param guids the copy's snapshots to their GUIDs (the sender's bookmarks are
 *     matched by GUID); empty when the receiver did not say (an older one)
 */
public record ReceiveState(boolean exists, List<String> snapshots, Optional<String> resumeToken, Map<String, Long> guids) {
    public ReceiveState {
        snapshots = List.copyOf(snapshots);
        guids = Map.copyOf(guids);
    }

    /** A state without GUIDs. */
    public ReceiveState(boolean exists, List<String> snapshots, Optional<String> resumeToken) {
        this(exists, snapshots, resumeToken, Map.of());
    }
}
