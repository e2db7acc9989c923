package io.flocker.volume;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What a node holds of another node's volume, as a sender asks before a push.
 *
 * @param exists whether it has a copy (complete or partial)
 * @param snapshots the copy's snapshots, oldest first
 * @param resumeToken the token of a partially received stream, if one is waiting
 * @param epoch the copy's epoch (owner changes it has seen); 0 when there is none
 * @param newestOwner of every file system of that volume name it holds, whoever owns it, the owner of the
 *     one with the highest epoch: a sender that is not that owner is a former owner
 * @param newestEpoch that file system's epoch; 0 when it holds none
 */
public record ReceiveState(boolean exists, List<String> snapshots, Optional<String> resumeToken, long epoch,
                           Optional<UUID> newestOwner, long newestEpoch) {
    public ReceiveState {
        snapshots = List.copyOf(snapshots);
    }

    /** A state from a node that says nothing about epochs. */
    public ReceiveState(boolean exists, List<String> snapshots, Optional<String> resumeToken) {
        this(exists, snapshots, resumeToken, 0, Optional.empty(), 0);
    }
}
