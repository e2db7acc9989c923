package io.flocker.volume;

import java.util.List;
import java.util.Map;
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
 * @param guids the copy's snapshots to their GUIDs (the sender's bookmarks are
 *     matched by GUID); empty when the receiver did not say (an older one)
 */
public record ReceiveState(boolean exists, List<String> snapshots, Optional<String> resumeToken, long epoch,
                           Optional<UUID> newestOwner, long newestEpoch, Map<String, Long> guids) {
    public ReceiveState {
        snapshots = List.copyOf(snapshots);
        guids = Map.copyOf(guids);
    }

    /** A state from a node that says nothing about epochs or GUIDs. */
    public ReceiveState(boolean exists, List<String> snapshots, Optional<String> resumeToken) {
        this(exists, snapshots, resumeToken, 0, Optional.empty(), 0, Map.of());
    }

    /** A state with GUIDs, from a node that says nothing about epochs. */
    public ReceiveState(boolean exists, List<String> snapshots, Optional<String> resumeToken, Map<String, Long> guids) {
        this(exists, snapshots, resumeToken, 0, Optional.empty(), 0, guids);
    }

    /** A state with epochs, from a node that says nothing about GUIDs. */
    public ReceiveState(boolean exists, List<String> snapshots, Optional<String> resumeToken, long epoch,
                        Optional<UUID> newestOwner, long newestEpoch) {
        this(exists, snapshots, resumeToken, epoch, newestOwner, newestEpoch, Map.of());
    }
}
