package io.flocker.cli;

import io.flocker.volume.MountPaths;
import io.flocker.volume.Volume;
import io.flocker.volume.VolumeName;
import io.flocker.volume.docker.DockerDataContainers;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code create NAME MOUNT_PATH}: a volume this node owns, with its data container. */
@Command(name = "create", mixinStandardHelpOptions = true, description = {"Create a volume owned by this node: a ZFS dataset, mounted, and a data "
    + "container flocker-NAME-data for docker run --volumes-from.", "Prints the volume's mountpoint."})
final class CreateCommand implements Callable<Integer> {
    @ParentCommand
    FlockerVolume root;

    @Parameters(index = "0", paramLabel = "NAME", description = "letters, digits, '_', '.', '-'; a letter or digit first")
    String name;

    @Parameters(index = "1", paramLabel = "MOUNT_PATH", description = "where containers see the volume (absolute)")
    String mountPath;

    @Option(names = "--image", paramLabel = "IMAGE",
        description = "the data container's image, present on the daemon (default: ${DEFAULT-VALUE})")
    String image = DockerDataContainers.DEFAULT_IMAGE;

    @Override
    public Integer call() {
        // Check the input before anything is opened: a bad name changes nothing anywhere.
        VolumeName n = VolumeName.of(name);
        Path p = MountPaths.of(mountPath);
        try (FlockerVolume.Session s = root.open(image)) {
            Volume v = s.service().create(n, p);
            root.out().println(v.mountpoint());
        }
        return 0;
    }
}
