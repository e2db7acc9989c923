package io.flocker.cli;

import io.flocker.volume.NodeIds;
import io.flocker.volume.VolumeName;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code snapshots UUID NAME}: what the receiving side of a push already has. */
@Command(name = "snapshots", mixinStandardHelpOptions = true, description = {"Print the snapshots of volume NAME of node UUID, oldest first, one per line.",
    "Prints nothing when this node has no such volume."})
final class SnapshotsCommand implements Callable<Integer> {
    @ParentCommand
    FlockerVolume root;

    @Parameters(index = "0", paramLabel = "UUID", description = "the owner node's UUID")
    String owner;

    @Parameters(index = "1", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
        UUID o = NodeIds.parse(owner);
        VolumeName n = VolumeName.of(name);
        try (FlockerVolume.Session s = root.open()) {
            for (String snap : s.service().snapshots(o, n)) root.out().println(snap);
        }
        return 0;
    }
}
