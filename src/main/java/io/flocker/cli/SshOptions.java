package io.flocker.cli;

import io.flocker.ssh.SshSettings;
import io.flocker.volume.push.PushOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options of every command that reaches another machine. */
final class SshOptions {
    @Option(names = {"-i", "--identity"}, paramLabel = "FILE",
        description = "a private key to log in with (ed25519 or RSA), offered first; may repeat (default: ssh-agent's "
            + "keys, then the SSH configuration's IdentityFile, or else ~/.ssh/id_ed25519, id_rsa, id_ecdsa)")
    List<Path> identities = new ArrayList<>();

    @Option(names = "--identity-passphrase-file", paramLabel = "FILE",
        description = "a file whose first line is the passphrase of keys that have one (keys in ssh-agent, at "
            + "SSH_AUTH_SOCK, are offered first and need none)")
    Path passphraseFile;

    @Option(names = "--no-agent", description = "offer no keys of ssh-agent, even when SSH_AUTH_SOCK names one")
    boolean noAgent;

    @Option(names = "--known-hosts", paramLabel = "FILE",
        description = "the known_hosts file that must hold the host's key (default: ~/.ssh/known_hosts)")
    Path knownHosts;

    @Option(names = "--accept-new-host-key",
        description = "trust a host seen for the first time and record its key (a changed key is refused anyway)")
    boolean acceptNewHostKey;

    @Option(names = {"-F", "--ssh-config"}, paramLabel = "FILE",
        description = "the OpenSSH client configuration whose Host aliases (HostName, User, Port, IdentityFile, "
            + "HostKeyAlias) apply; 'none' reads none (default: ~/.ssh/config)")
    String sshConfig;

    @Option(names = "--remote-command", paramLabel = "CMD",
        description = "how to run flocker-volume on the other machine (default: ${DEFAULT-VALUE})")
    String remoteCommand = "flocker-volume";

    @Option(names = "--remote-socket", paramLabel = "PATH",
        description = "the node socket of the agent on the other machine, tried first through SSH stream forwarding "
            + "(nothing is started there, and the agent's pool is the one reached); where it cannot be opened, "
            + "--remote-command runs; 'none' never tries it (default: /run/flocker/node.sock, unless --remote-command "
            + "is given: then none)")
    String remoteSocket;

    @Option(names = "--answer-timeout", paramLabel = "SECONDS", converter = Seconds.class,
        description = "how long the other machine's flocker-volume has to answer, and to finish once its input "
            + "ended, before it is cut off (default: 120)")
    java.time.Duration answerTimeout = SshSettings.DEFAULT_ANSWER_TIMEOUT;

    @Option(names = "--keep", paramLabel = "N", converter = KeepCount.class,
        description = "push snapshots each side keeps afterwards (default: ${DEFAULT-VALUE})")
    int keep = PushOptions.DEFAULT_KEEP;

    /** The settings these options give, for {@code root}'s caller (relative paths and the ssh-agent are the caller's). */
    SshSettings settings(FlockerVolume root) {
        List<Path> ids = identities.stream().map(root::callersPath).toList();
        SshSettings s = SshSettings.defaults().withIdentities(ids).withAcceptNewHostKey(acceptNewHostKey)
            .withRemoteCommand(remoteCommand).withAnswerTimeout(answerTimeout)
            .withPassphraseFile(root.callersPath(passphraseFile));
        if (root.caller != null) s = s.withAgentSocket(root.caller.sshAgent());
        if (noAgent) s = s.withAgentSocket(null);
        if (remoteSocket != null) s = s.withNodeSocket(remoteSocket.equals("none") ? null : remoteSocket);
        if (sshConfig != null) s = s.withSshConfig(sshConfig.equals("none") ? null : root.callersPath(Path.of(sshConfig)));
        return knownHosts != null ? s.withKnownHosts(root.callersPath(knownHosts)) : s;
    }
}
