package io.flocker.cli;

import io.flocker.volume.NodeIdentity;
import io.flocker.volume.VolumeException;
import io.flocker.volume.VolumeService;
import io.flocker.volume.docker.DataContainers;
import io.flocker.volume.docker.DockerDataContainers;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code flocker-volume}: the command line face of {@link VolumeService}.
 * It parses, calls the service, prints, and sets the exit code: 0 done, 1 an
 * error (one line on stderr saying what and why; the stack trace only with
 * -v), 2 a usage error.
 */
@Command(name = "flocker-volume", mixinStandardHelpOptions = true, versionProvider = FlockerVolume.Version.class,
    sortOptions = false, usageHelpAutoWidth = true,
    description = {"Docker volumes stored as ZFS datasets, owned by this node.",
        "Without a command: print this node's UUID (making its identity file if there is none)."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:done", "1:an error (one line on stderr says what and why)", "2:a usage error"})
public final class FlockerVolume implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "the node identity file (default: ${DEFAULT-VALUE})")
    Path config = NodeIdentity.DEFAULT_FILE;

    @Option(names = "--pool", paramLabel = "NAME", description = "the ZFS pool (default: ${DEFAULT-VALUE})")
    String pool = "flocker";

    @Option(names = "--mountpoint", paramLabel = "DIR",
        description = "where volumes are mounted (default: ${DEFAULT-VALUE})")
    Path mountRoot = Path.of("/flocker");

    @Option(names = {"-v", "--verbose"}, description = "show stack traces with errors, and what the library logs")
    boolean verbose;

    @Spec
    CommandSpec spec;

    /** Where output goes when {@link ProtocolLine}, not picocli, read the line (then spec is null). */
    private PrintWriter plainOut, plainErr;

    private final Backend backend;
    /** The agent's session and the request's input, when a node socket request runs (see {@link #share}). */
    private Session shared;
    private java.io.InputStream stdin;
    /** Who asked, when the local agent runs a CLI's command for it (see {@link ControlRequests}); else null. */
    Caller caller;

    /**
     * The CLI process a command is run for by the agent: its working
     * directory (relative paths are its) and its ssh-agent (null for none).
     */
    record Caller(Path cwd, Path sshAgent) {}

    FlockerVolume(Backend backend) {
        this.backend = backend;
    }

    public static void main(String[] args) {
        String badLog = CliLogging.configure(args, System.getenv(), System.getProperties());
        if (badLog != null) {
            System.err.println("flocker-volume: " + badLog);
            System.exit(2);
        }
        // push and handoff go to the local agent where one serves this pool: its JVM, its SSH code, are warm
        Integer viaAgent = LocalAgent.run(args, System.getenv(), Path.of("").toAbsolutePath(), System.out, System.err);
        if (viaAgent != null) System.exit(viaAgent);
        System.exit(execute(Backend.REAL, new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /**
     * Runs the CLI on {@code backend} with {@code out} and {@code err}: the
     * exit code. A pushing node's line ({@link ProtocolLine}) is read without
     * picocli; every other line, and every error, through it.
     */
    static int execute(Backend backend, PrintWriter out, PrintWriter err, String... args) {
        Integer quick = ProtocolLine.run(backend, out, err, args);
        if (quick != null) return quick;
        CommandLine cl = commandLine(backend, args);
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    /**
     * The commands, in the order help lists them; in a holder, so that a line
     * read without picocli loads none of them but its own.
     */
    private static final class Commands {
        static final Map<String, Supplier<Object>> ALL = commands();
    }

    private static Map<String, Supplier<Object>> commands() {
        Map<String, Supplier<Object>> m = new LinkedHashMap<>();
        m.put("create", CreateCommand::new);
        m.put("list", ListCommand::new);
        m.put("destroy", DestroyCommand::new);
        m.put("snapshots", SnapshotsCommand::new);
        m.put("push", PushCommand::new);
        m.put("receive", ReceiveCommand::new);
        m.put("receive-state", ReceiveStateCommand::new);
        m.put("acquire", AcquireCommand::new);
        m.put("handoff", HandoffCommand::new);
        m.put("repair", RepairCommand::new);
        m.put("agent", AgentCommand::new);
        m.put("plugin", AgentCommand.Plugin::new);
        m.put("help", CommandLine.HelpCommand::new);
        return m;
    }

    /** The command line with every command, as help shows it. */
    static CommandLine commandLine(Backend backend) {
        return commandLine(backend, new String[0]);
    }

    /**
     * The command line for {@code args}: with only the command they name,
     * when they name one. picocli reads every command's annotations when it
     * is added, and a receiver started by a push should not wait for the
     * other nine (a second of its start under emulation).
     */
    static CommandLine commandLine(Backend backend, String... args) {
        return commandLine(new FlockerVolume(backend), args);
    }

    /** The command line for {@code args} on {@code root} (one the agent shares its session with). */
    static CommandLine commandLine(FlockerVolume root, String... args) {
        CommandLine cl = new CommandLine(root);
        String named = commandNamed(cl.getCommandSpec(), args);
        Commands.ALL.forEach((name, command) -> {
            if (named == null || named.equals(name)) cl.addSubcommand(name, command.get());
        });
        // A name like "-x" is a bad volume name (exit 1, named), not an unknown option.
        cl.setUnmatchedOptionsArePositionalParams(true);
        cl.setParameterExceptionHandler((e, given) -> {
            CommandLine c = e.getCommandLine();
            PrintWriter err = c.getErr();
            err.println("flocker-volume: " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
            err.print(c.getHelp().fullSynopsis());
            err.println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
            err.flush();
            return c.getCommandSpec().exitCodeOnInvalidInput();
        });
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            Failures.report(cmd.getErr(), e, root.verbose);
            return 1;
        });
        return cl;
    }

    @Override
    public Integer call() {
        spec.commandLine().getOut().println(NodeIdentity.load(config).uuid());
        return 0;
    }

    /**
     * A service over the real (or test) backend; closing it releases the
     * Docker connection.
     *
     * @param image the data containers' image
     */
    Session open(String image) {
        if (shared != null) {
            if (!image.equals(DockerDataContainers.DEFAULT_IMAGE)) {
                throw new io.flocker.volume.VolumeException("the agent makes data containers from "
                    + DockerDataContainers.DEFAULT_IMAGE + "; it takes no other image (--image " + image + ")");
            }
            return new Session(shared.service(), null);
        }
        NodeIdentity identity = NodeIdentity.load(config);
        var pool = backend.pool(this.pool, mountRoot);
        DataContainers containers = backend.containers(image);
        return new Session(new VolumeService(identity.uuid(), pool, containers), containers);
    }

    Session open() {
        return open(DockerDataContainers.DEFAULT_IMAGE);
    }

    /**
     * Runs on the agent's {@code session} (which {@link #open} lends,
     * never closing it) with {@code stdin} as standard input.
     */
    void share(Session session, java.io.InputStream stdin) {
        this.shared = session;
        this.stdin = stdin;
    }

    /** The command's standard input: descriptor 0, which the kernel reads directly, unless the agent serves. */
    java.io.InputStream stdin() {
        return stdin != null ? stdin : io.flocker.volume.DescriptorInputStream.stdin();
    }

    /** {@code p} as the caller meant it: a relative path is the caller's. */
    Path callersPath(Path p) {
        return p == null || caller == null || p.isAbsolute() ? p : caller.cwd().resolve(p);
    }

    void plainOutput(PrintWriter out, PrintWriter err) {
        plainOut = out;
        plainErr = err;
    }

    PrintWriter out() {
        return spec != null ? spec.commandLine().getOut() : plainOut;
    }

    PrintWriter err() {
        return spec != null ? spec.commandLine().getErr() : plainErr;
    }

    /** A service and what must be closed after it (nothing, when it is the agent's, lent). */
    record Session(VolumeService service, DataContainers containers) implements AutoCloseable {
        @Override
        public void close() {
            if (containers != null) containers.close();
        }
    }

    /**
     * The command {@code args} name: the first word that is neither an option
     * nor the value of a root option that takes one. Null for none, for help
     * (it names other commands) and for an unknown word (its suggestions come
     * from all of them).
     */
    private static String commandNamed(CommandSpec root, String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("-")) {
                // findOption also takes names without their dashes: only an option-looking word is looked up
                CommandLine.Model.OptionSpec option = root.findOption(args[i]);
                if (option != null && option.arity().max() > 0) i++;
            } else {
                return Commands.ALL.containsKey(args[i]) && !args[i].equals("help") ? args[i] : null;
            }
        }
        return null;
    }

    /** The version Maven put into the jar. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = FlockerVolume.class.getResourceAsStream("version.properties")) {
                if (in != null) p.load(in);
            }
            return new String[] {"flocker-volume " + p.getProperty("version", "(unknown version)")};
        }
    }

    /** Whether {@code e} is an error the user can act on (as opposed to a bug). */
    static boolean expected(Throwable e) {
        return e instanceof VolumeException;
    }
}
