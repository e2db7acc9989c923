package io.flocker.cli;

import io.flocker.volume.VolumeName;
import io.flocker.volume.docker.DockerDataContainers;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code repair [NAME]}: put right what an interrupted command left. */
@Command(name = "repair", mixinStandardHelpOptions = true, description = {
    "Put right what a command killed half-way left of volume NAME (all volumes without NAME): finish a destroy",
    "begun; make this node's volumes writable and other nodes' read-only, as their names say; set mountpoints",
    "from the names; mount what is unmounted; make missing data containers of this node's volumes; forget the",
    "volume plugin users of a volume that no container Docker knows has (their unmounts never came).",
    "Prints one line per action (nothing when all was right). Every changing command does this first for",
    "the volume it changes."})
final class RepairCommand implements Callable<Integer> {
    @ParentCommand
    FlockerVolume root;

    @Parameters(index = "0", paramLabel = "NAME", arity = "0..1")
    String name;

    @Option(names = "--image", paramLabel = "IMAGE", description = "data containers' image (default: ${DEFAULT-VALUE})")
    String image = DockerDataContainers.DEFAULT_IMAGE;

    @Override
    public Integer call() {
        VolumeName n = name == null ? null : VolumeName.of(name);
        try (FlockerVolume.Session s = root.open(image)) {
            List<String> done = n == null ? s.service().repair() : s.service().repair(n);
            for (String line : done) root.out().println(line);
        }
        return 0;
    }
}
