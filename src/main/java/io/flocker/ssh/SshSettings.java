package io.flocker.ssh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How to reach and trust the other machine.
 *
 * @param identities private keys to offer (ed25519 or RSA); empty
 *     means the usual ~/.ssh/id_ed25519 and ~/.ssh/id_rsa, where they exist
 * @param knownHosts the known_hosts file that must hold the server's key
 * @param acceptNewHostKey trust a host seen for the first time and record its
 *     key (a changed key is refused all the same)
 * @param remoteCommand how to run flocker-volume over there, as a shell
 *     command prefix (e.g. "flocker-volume --pool tank"); the arguments that
 *     follow are quoted
 * @param connectTimeout how long to wait for the connection and login
 * @param answerTimeout how long a remote flocker-volume has to give its first
 *     answer (what it holds, before a stream) once started
 * @param ciphers the ciphers to offer, most wanted first; empty means the
 *     fastest for this CPU first ({@link CipherChoice})
 * @param passphraseFile a file whose first line is the passphrase of the
 *     identities that have one; null for none
 * @param agentSocket an ssh-agent's socket whose keys are offered first
 *     (as SSH_AUTH_SOCK names it by default); null for no agent
 * @param sshConfig an OpenSSH client configuration whose Host aliases,
 *     HostName, User, Port, IdentityFile and HostKeyAlias apply ({@link
 *     SshConfigFile}); null for none
 * @param nodeSocket the path of the node socket of an agent on the other
 *     machine, tried first through SSH's stream forwarding (then nothing is
 *     started over there, and the agent's pool and node are what a push
 *     reaches); where it cannot be opened at a connection's first command,
 *     {@code remoteCommand} runs for all of them. Null never tries it.
 */
public record SshSettings(List<Path> identities, Path knownHosts, boolean acceptNewHostKey, String remoteCommand,
                          Duration connectTimeout, List<String> ciphers, Duration answerTimeout, Path passphraseFile,
                          Path agentSocket, Path sshConfig, String nodeSocket) {
    /** {@link #answerTimeout} unless set: a JVM start and a pool look take seconds, a hung remote forever. */
    public static final Duration DEFAULT_ANSWER_TIMEOUT = Duration.ofMinutes(2);
    /** Where an agent serves its node socket unless told otherwise. */
    public static final String DEFAULT_NODE_SOCKET = "/run/flocker/node.sock";

    public SshSettings {
        if (nodeSocket != null && !nodeSocket.startsWith("/")) {
            throw new IllegalArgumentException("the node socket must be an absolute path, not "
                + io.flocker.volume.VolumeException.quote(nodeSocket));
        }
        identities = List.copyOf(identities);
        if (remoteCommand == null || remoteCommand.isBlank()) remoteCommand = "flocker-volume";
        if (connectTimeout == null) connectTimeout = Duration.ofSeconds(30);
        if (answerTimeout == null) answerTimeout = DEFAULT_ANSWER_TIMEOUT;
        if (answerTimeout.isNegative() || answerTimeout.isZero()) {
            throw new IllegalArgumentException("the answer timeout must be positive, not " + answerTimeout);
        }
        ciphers = ciphers == null ? List.of() : List.copyOf(ciphers);
        for (String c : ciphers) {
            if (!CipherChoice.SUPPORTED.contains(c)) {
                throw new IllegalArgumentException("unknown SSH cipher " + io.flocker.volume.VolumeException.quote(c)
                    + " (known: " + String.join(", ", CipherChoice.SUPPORTED) + ")");
            }
        }
    }

    /** Settings as before agents and passphrases: neither is used. */
    public SshSettings(List<Path> identities, Path knownHosts, boolean acceptNewHostKey, String remoteCommand,
                       Duration connectTimeout, List<String> ciphers, Duration answerTimeout) {
        this(identities, knownHosts, acceptNewHostKey, remoteCommand, connectTimeout, ciphers, answerTimeout, null, null,
            null);
    }

    /** Settings as before the SSH client configuration: none is read. */
    public SshSettings(List<Path> identities, Path knownHosts, boolean acceptNewHostKey, String remoteCommand,
                       Duration connectTimeout, List<String> ciphers, Duration answerTimeout, Path passphraseFile,
                       Path agentSocket) {
        this(identities, knownHosts, acceptNewHostKey, remoteCommand, connectTimeout, ciphers, answerTimeout,
            passphraseFile, agentSocket, null, null);
    }

    /** Settings as before agents' node sockets: the remote command always runs. */
    public SshSettings(List<Path> identities, Path knownHosts, boolean acceptNewHostKey, String remoteCommand,
                       Duration connectTimeout, List<String> ciphers, Duration answerTimeout, Path passphraseFile,
                       Path agentSocket, Path sshConfig) {
        this(identities, knownHosts, acceptNewHostKey, remoteCommand, connectTimeout, ciphers, answerTimeout,
            passphraseFile, agentSocket, sshConfig, null);
    }

    /**
     * ~/.ssh keys, known_hosts and config, the ssh-agent SSH_AUTH_SOCK names,
     * strict host keys, remote {@code flocker-volume}.
     */
    public static SshSettings defaults() {
        Path ssh = Path.of(System.getProperty("user.home"), ".ssh");
        String agent = System.getenv("SSH_AUTH_SOCK");
        return new SshSettings(List.of(), ssh.resolve("known_hosts"), false, "flocker-volume", Duration.ofSeconds(30),
            List.of(), DEFAULT_ANSWER_TIMEOUT, null, agent == null || agent.isBlank() ? null : Path.of(agent),
            defaultSshConfig(), DEFAULT_NODE_SOCKET);
    }

    /** ~/.ssh/config: the SSH configuration read unless told otherwise, and the only one that may be absent. */
    public static Path defaultSshConfig() {
        return Path.of(System.getProperty("user.home"), ".ssh", "config");
    }

    /**
     * The keys to offer: those given, then those the configuration names for
     * the host; with neither, the default files that exist.
     */
    List<Path> keysToOffer(List<Path> configured) {
        if (!identities.isEmpty() || !configured.isEmpty()) {
            List<Path> all = new ArrayList<>(identities);
            for (Path p : configured) if (!all.contains(p)) all.add(p);
            return all;
        }
        List<Path> found = new ArrayList<>();
        Path ssh = Path.of(System.getProperty("user.home"), ".ssh");
        for (String n : List.of("id_ed25519", "id_rsa", "id_ecdsa")) {
            if (Files.isReadable(ssh.resolve(n))) found.add(ssh.resolve(n));
        }
        return found;
    }

    public SshSettings withIdentities(List<Path> ids) {
        return new SshSettings(ids, knownHosts, acceptNewHostKey, remoteCommand, connectTimeout, ciphers, answerTimeout,
            passphraseFile, agentSocket, sshConfig, nodeSocket);
    }

    public SshSettings withKnownHosts(Path file) {
        return new SshSettings(identities, file, acceptNewHostKey, remoteCommand, connectTimeout, ciphers, answerTimeout,
            passphraseFile, agentSocket, sshConfig, nodeSocket);
    }

    public SshSettings withAcceptNewHostKey(boolean accept) {
        return new SshSettings(identities, knownHosts, accept, remoteCommand, connectTimeout, ciphers, answerTimeout,
            passphraseFile, agentSocket, sshConfig, nodeSocket);
    }

    /**
     * Runs {@code command} over there. A command other than the plain
     * {@code flocker-volume} (one naming a pool or a config, say) also stops
     * the default node socket from being tried, since the agent behind it
     * serves its own pool and node; {@link #withNodeSocket} afterwards asks
     * for one all the same.
     */
    public SshSettings withRemoteCommand(String command) {
        boolean plain = command == null || command.isBlank() || command.strip().equals("flocker-volume");
        String socket = !plain && DEFAULT_NODE_SOCKET.equals(nodeSocket) ? null : nodeSocket;
        return new SshSettings(identities, knownHosts, acceptNewHostKey, command, connectTimeout, ciphers, answerTimeout,
            passphraseFile, agentSocket, sshConfig, socket);
    }

    /** Offers only {@code names}, in this order (e.g. to match a server's policy, or to compare ciphers). */
    public SshSettings withCiphers(List<String> names) {
        return new SshSettings(identities, knownHosts, acceptNewHostKey, remoteCommand, connectTimeout, names, answerTimeout,
            passphraseFile, agentSocket, sshConfig, nodeSocket);
    }

    /**
     * Gives a remote flocker-volume {@code timeout} for its first answer: its
     * JVM start and its look at the pool, on a busy machine.
     */
    public SshSettings withAnswerTimeout(Duration timeout) {
        return new SshSettings(identities, knownHosts, acceptNewHostKey, remoteCommand, connectTimeout, ciphers, timeout,
            passphraseFile, agentSocket, sshConfig, nodeSocket);
    }

    /** Reads the passphrase of the identities that have one from the first line of {@code file}. */
    public SshSettings withPassphraseFile(Path file) {
        return new SshSettings(identities, knownHosts, acceptNewHostKey, remoteCommand, connectTimeout, ciphers, answerTimeout,
            file, agentSocket, sshConfig, nodeSocket);
    }

    /** Offers the keys of the ssh-agent at {@code socket} first; null offers no agent's. */
    public SshSettings withAgentSocket(Path socket) {
        return new SshSettings(identities, knownHosts, acceptNewHostKey, remoteCommand, connectTimeout, ciphers, answerTimeout,
            passphraseFile, socket, sshConfig, nodeSocket);
    }

    /** Reads Host aliases and what they say from {@code file} (OpenSSH's ssh_config); null reads none. */
    public SshSettings withSshConfig(Path file) {
        return new SshSettings(identities, knownHosts, acceptNewHostKey, remoteCommand, connectTimeout, ciphers, answerTimeout,
            passphraseFile, agentSocket, file, nodeSocket);
    }

    /** Tries the agent's node socket at {@code path} first; null never tries one (the remote command runs). */
    public SshSettings withNodeSocket(String path) {
        return new SshSettings(identities, knownHosts, acceptNewHostKey, remoteCommand, connectTimeout, ciphers, answerTimeout,
            passphraseFile, agentSocket, sshConfig, path);
    }

    /** The cipher list to offer. */
    String cipherList() {
        return ciphers.isEmpty() ? CipherChoice.preferred() : String.join(",", ciphers);
    }
}
