package io.flocker.cli;

import io.flocker.volume.Volume;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code list [--json]}: every volume in the pool, this node's and others'. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the volumes in the pool, this node's and other nodes' (read-only).")
final class ListCommand implements Callable<Integer> {
    @ParentCommand
    FlockerVolume root;

    @Option(names = "--json", description = "a JSON array of {uuid, name, dataset, mountpoint, mount_path, owned, "
        + "readonly, used} instead of a table")
    boolean json;

    @Override
    public Integer call() {
        List<Volume> volumes;
        try (FlockerVolume.Session s = root.open()) {
            volumes = s.service().list();
        }
        root.out().print(json ? VolumeFormats.json(volumes) : VolumeFormats.table(volumes));
        root.out().flush();
        return 0;
    }
}
