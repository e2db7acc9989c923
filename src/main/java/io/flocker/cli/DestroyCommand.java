package io.flocker.cli;

import io.flocker.volume.VolumeName;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code destroy NAME}: a volume this node owns, its data container and its snapshots. */
@Command(name = "destroy", mixinStandardHelpOptions = true, description = "Destroy a volume this node owns: its data container, dataset and snapshots.")
final class DestroyCommand implements Callable<Integer> {
    @ParentCommand
    FlockerVolume root;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
        VolumeName n = VolumeName.of(name);
        try (FlockerVolume.Session s = root.open()) {
            s.service().destroy(n);
        }
        return 0;
    }
}
