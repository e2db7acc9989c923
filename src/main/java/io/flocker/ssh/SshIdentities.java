package io.flocker.ssh;

import com.jcraft.jsch.AgentIdentityRepository;
import com.jcraft.jsch.AgentProxyException;
import com.jcraft.jsch.Identity;
import com.jcraft.jsch.IdentityRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.SSHAgentConnector;
import com.jcraft.jsch.UnixDomainSocketFactory;
import io.flocker.volume.VolumeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Vector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys a login offers: the key files named with --identity first, then
 * an ssh-agent's (its keys never leave it), then the IdentityFile keys the
 * SSH configuration gives for the host; with neither kind of file, the
 * agent's and then the default ~/.ssh/id_* files, as OpenSSH does.
 * A key file with a passphrase is opened with the passphrase file's line.
 * A key file named with --identity that cannot be used is an error naming
 * it; any other that cannot be opened is left out (there may be an agent),
 * and named if no key is left at all.
 */
final class SshIdentities {
    private static final Logger LOG = LoggerFactory.getLogger(SshIdentities.class);

    private SshIdentities() {}

    /** Installs the keys to offer into {@code jsch}; returns their names, for messages. */
    static List<String> install(JSch jsch, SshSettings settings, String destination, List<Path> configured) {
        List<Identity> fromAgent = new ArrayList<>(), fromFiles = new ArrayList<>(), fromConfig = new ArrayList<>();
        List<String> agentNames = new ArrayList<>(), fileNames = new ArrayList<>(), configNames = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Path socket = settings.agentSocket();
        if (socket != null && Files.exists(socket)) {
            try {
                AgentIdentityRepository agent = new AgentIdentityRepository(
                    new SSHAgentConnector(new UnixDomainSocketFactory(), socket));
                if (agent.getStatus() == IdentityRepository.RUNNING) {
                    for (Identity i : agent.getIdentities()) {
                        fromAgent.add(i);
                        agentNames.add("ssh-agent key " + VolumeException.printable(i.getName()));
                    }
                }
            } catch (AgentProxyException | RuntimeException e) {
                LOG.warn("not using the ssh-agent at {}: {}", socket, e.toString());
            }
        }
        boolean named = !settings.identities().isEmpty();
        byte[] passphrase = passphrase(settings.passphraseFile());
        try {
            for (Path k : settings.keysToOffer(configured)) {
                // Only --identity's keys must work; the configuration's, like OpenSSH's, are tried where they open.
                boolean explicit = settings.identities().contains(k);
                if (!explicit && !Files.isReadable(k)) {
                    LOG.debug("not offering {}: there is no readable file", k);
                    skipped.add(k + " (no readable file)");
                    continue;
                }
                String why = null;
                try {
                    jsch.addIdentity(k.toString(), passphrase);
                } catch (JSchException e) {
                    boolean wrong = passphrase != null
                        && String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("passphrase");
                    if (!wrong && explicit) {
                        throw new SshFailed("cannot use SSH key " + VolumeException.quote(k.toString()) + ": "
                            + e.getMessage(), e);
                    }
                    why = wrong ? "the passphrase from " + settings.passphraseFile() + " does not open it"
                        : VolumeException.printable(String.valueOf(e.getMessage()));
                }
                Identity added = why == null ? added(jsch, k) : null;
                if (added != null && added.isEncrypted()) {
                    why = passphrase == null ? "it has a passphrase and none was given (a passphrase file, "
                        + "--identity-passphrase-file, or ssh-agent)" : "the passphrase from " + settings.passphraseFile()
                        + " does not open it";
                }
                if (why != null) {
                    if (explicit) throw new SshFailed("cannot use SSH key " + VolumeException.quote(k.toString()) + ": " + why);
                    LOG.debug("not offering {}: {}", k, why);
                    skipped.add(k + " (" + why + ")");
                    continue;
                }
                if (added != null && !fromFiles.contains(added) && !fromConfig.contains(added)) {
                    boolean configuredOnly = !explicit && configured.contains(k);
                    (configuredOnly ? fromConfig : fromFiles).add(added);
                    (configuredOnly ? configNames : fileNames).add(k.toString());
                }
            }
        } finally {
            if (passphrase != null) Arrays.fill(passphrase, (byte) 0);
        }
        // Keys named with --identity go first (a server counts failed tries); otherwise the agent's, then the
        // configuration's IdentityFile keys (or the defaults), as OpenSSH offers them.
        List<Identity> offered = new ArrayList<>(named ? fromFiles : fromAgent);
        offered.addAll(named ? fromAgent : fromFiles);
        offered.addAll(fromConfig);
        List<String> names = new ArrayList<>(named ? fileNames : agentNames);
        names.addAll(named ? agentNames : fileNames);
        names.addAll(configNames);
        if (offered.isEmpty()) {
            throw new SshFailed("no SSH key to log in to " + destination + " with: give one with --identity, load one "
                + "into ssh-agent (SSH_AUTH_SOCK), or create ~/.ssh/id_ed25519"
                + (skipped.isEmpty() ? "" : "; not used: " + String.join(", ", skipped)));
        }
        jsch.setIdentityRepository(new Offered(offered));
        return names;
    }

    /** The identity JSch holds for key file {@code k} (it keeps one per key, however often added). */
    private static Identity added(JSch jsch, Path k) {
        Vector<Identity> all = jsch.getIdentityRepository().getIdentities();
        for (Identity i : all) if (k.toString().equals(i.getName())) return i;
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    private static byte[] passphrase(Path file) {
        if (file == null) return null;
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int nl = text.indexOf('\n');
            String line = nl >= 0 ? text.substring(0, nl) : text;
            if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
            return line.getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SshFailed("cannot read the passphrase file " + VolumeException.quote(file.toString()) + ": "
                + e.getMessage(), e);
        }
    }

    /** A fixed list: adding or removing through JSch must never touch the agent's keys. */
    private static final class Offered implements IdentityRepository {
        private final List<Identity> identities;

        Offered(List<Identity> identities) {
            this.identities = List.copyOf(identities);
        }

        @Override
        public String getName() {
            return "flocker-volume";
        }

        @Override
        public int getStatus() {
            return RUNNING;
        }

        @Override
        public Vector<Identity> getIdentities() {
            return new Vector<>(identities);
        }

        @Override
        public boolean add(byte[] identity) {
            return false;
        }

        @Override
        public boolean remove(byte[] blob) {
            return false;
        }

        @Override
        public void removeAll() {}
    }
}
