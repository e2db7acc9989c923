package io.flocker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.flocker.volume.StoragePool;
import io.flocker.volume.docker.DataContainers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * A pushing node's lines, read without picocli, mean exactly what picocli
 * makes of them; every other line is left to picocli.
 */
class ProtocolLineTest {
    private static final Backend UNUSED = new Backend() {
        @Override
        public StoragePool pool(String name, Path mountRoot) {
            throw new AssertionError("reading a line opens nothing");
        }

        @Override
        public DataContainers containers(String image) {
            throw new AssertionError("reading a line opens nothing");
        }
    };

    private static final String U = UUID.randomUUID().toString();

    /** What a command read from a line holds: its root's options and its own. */
    private static List<Object> fields(Object command) {
        List<Object> f = new ArrayList<>();
        FlockerVolume root;
        if (command instanceof ReceiveCommand c) {
            root = c.root;
            f.addAll(java.util.Arrays.asList("receive", c.owner, c.name, c.mountPath, c.noMountPath, c.keep, c.epoch, c.announce));
        } else if (command instanceof ReceiveStateCommand c) {
            root = c.root;
            f.addAll(List.of("receive-state", c.owner, c.name));
        } else if (command instanceof AcquireCommand c) {
            root = c.root;
            f.addAll(List.of("acquire", c.owner, c.name, c.image));
        } else {
            throw new AssertionError("not a protocol command: " + command);
        }
        f.addAll(List.of(root.config, root.pool, root.mountRoot, root.verbose));
        return f;
    }

    private static Object picocli(String... args) {
        CommandLine cl = FlockerVolume.commandLine(UNUSED, args);
        CommandLine.ParseResult r = cl.parseArgs(args);
        return r.subcommand().commandSpec().userObject();
    }

    @Test
    void theLinesAPushSendsMeanWhatPicocliMakesOfThem() {
        String[] root = {"--config", "/etc/flocker/b.json", "--pool", "tank", "--mountpoint", "/srv/vol"};
        List<String[]> lines = List.of(
            new String[] {"receive-state", U, "web"},
            new String[] {"acquire", U, "web"},
            new String[] {"acquire", U, "web", "--image", "alpine:3"},
            new String[] {"receive", "--announce", "--mount-path", "/data", "--keep", "3", "--epoch", "7", U, "web"},
            new String[] {"receive", "--announce", "--no-mount-path", "--keep", "1", "--epoch", "0", U, "web"},
            new String[] {"receive", U, "web"},
            new String[] {"receive", U, "--epoch", "12", "web", "--announce"},
            new String[] {"acquire", U, "web", "--image", ""});
        for (String[] line : lines) {
            for (boolean withRoot : new boolean[] {false, true}) {
                List<String> args = new ArrayList<>(withRoot ? List.of(root) : List.of());
                if (withRoot) args.add(0, "-v");
                args.addAll(List.of(line));
                String[] a = args.toArray(String[]::new);
                Callable<Integer> mine = ProtocolLine.read(new FlockerVolume(UNUSED), a);
                assertNotNull(mine, "read without picocli: " + args);
                assertEquals(fields(picocli(a)), fields(mine), args.toString());
            }
        }
    }

    @Test
    void aRootOptionsValueMayBeTheNameOfAnotherCommand() {
        String[] a = {"--pool", "receive", "receive-state", U, "web"};
        Callable<Integer> mine = ProtocolLine.read(new FlockerVolume(UNUSED), a);
        assertNotNull(mine);
        assertEquals(fields(picocli(a)), fields(mine));
    }

    @Test
    void everyOtherLineIsLeftToPicocli() {
        for (String[] line : List.of(
            new String[] {}, new String[] {"list"}, new String[] {"--help"}, new String[] {"receive", "--help", U, "v"},
            new String[] {"receive", U}, new String[] {"receive", U, "v", "extra"}, new String[] {"receive-state", U},
            new String[] {"receive", "--keep", "0", U, "v"}, new String[] {"receive", "--keep", "-1", U, "v"},
            new String[] {"receive", "--keep", "zero", U, "v"}, new String[] {"receive", "--keep", "9999999999", U, "v"},
            new String[] {"receive", "--epoch", "-1", U, "v"}, new String[] {"receive", "--epoch", "0x10", U, "v"},
            new String[] {"receive", "--keep=3", U, "v"}, new String[] {"receive", "--announce", "--announce", U, "v"},
            new String[] {"receive", "--mount-path", U, "v"}, new String[] {"receive", U, "-v"},
            new String[] {"receive", "--", U, "v"}, new String[] {"receive-state", "--announce", U, "v"},
            new String[] {"acquire", "--image", U, "v"}, new String[] {"acquire", "--keep", "2", U, "v"},
            new String[] {"-v", "-v", "receive-state", U, "v"}, new String[] {"-v", "--verbose", "receive-state", U, "v"},
            new String[] {"--pool", "a", "--pool", "b", "receive-state", U, "v"},
            new String[] {"--pool", "--config", "receive-state", U, "v"}, new String[] {"--config", "x\0y", "receive-state", U, "v"},
            new String[] {"-vh", "receive-state", U, "v"}, new String[] {"--pool=p", "receive-state", U, "v"},
            new String[] {"help", "receive"}, new String[] {"destroy", U, "v"},
            new String[] {"receive-state", U, "@names"}, new String[] {"--pool", "@pool", "receive-state", U, "v"},
            new String[] {"acquire", "--image", "@image", U, "v"},
            new String[] {"--pool", "receive-state", "receive-state", U, "v"},
            new String[] {"--config", "acquire", "acquire", U, "v"})) {
            assertNull(ProtocolLine.read(new FlockerVolume(UNUSED), line), "left to picocli: " + List.of(line));
        }
    }
}
