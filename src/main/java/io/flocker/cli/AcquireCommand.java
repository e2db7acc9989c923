package io.flocker.cli;

import io.flocker.volume.NodeIds;
import io.flocker.volume.Volume;
import io.flocker.volume.VolumeName;
import io.flocker.volume.docker.DockerDataContainers;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code acquire UUID NAME}: take over the copy of another node's volume. */
@Command(name = "acquire", mixinStandardHelpOptions = true, description = {
    "Take over this node's copy of volume NAME of node UUID: it becomes this node's volume, writable,",
    "with its data container. Prints its mountpoint."})
final class AcquireCommand implements Callable<Integer> {
    @ParentCommand
    FlockerVolume root;

    @Parameters(index = "0", paramLabel = "UUID", description = "the node that owned the volume")
    String owner;

    @Parameters(index = "1", paramLabel = "NAME")
    String name;

    @Option(names = "--image", paramLabel = "IMAGE", description = "the data container's image (default: ${DEFAULT-VALUE})")
    String image = DockerDataContainers.DEFAULT_IMAGE;

    @Override
    public Integer call() {
        var o = NodeIds.parse(owner);
        VolumeName n = VolumeName.of(name);
        try (FlockerVolume.Session s = root.open(image)) {
            Volume v = s.service().acquire(o, n);
            root.out().println(v.mountpoint());
        }
        return 0;
    }
}
