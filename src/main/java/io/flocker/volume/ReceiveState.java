package io.flocker.volume;

import java.util.List;
import java.util.Optional;

/**
 * What a node holds of another node's volume, as a sender asks before a push.
 *
 * @param exists whether it has a copy (complete or partial)
 * @param snapshots the copy's snapshots, oldest first
 * @param resumeToken the token of a partially received stream, if one is waiting
 */
public record ReceiveState(boolean exists, List<String> snapshots, Optional<String> resumeToken) {
    public ReceiveState {
        snapshots = List.copyOf(snapshots);
    }
}
