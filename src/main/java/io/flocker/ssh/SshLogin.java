package io.flocker.ssh;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A logged-in SSH session to another machine (JSch), with this project's
 * rules: host keys always checked against known_hosts (a new host trusted
 * only when asked, {@link SshSettings#acceptNewHostKey()}; a changed key
 * never), public keys only, the ciphers {@link SshSettings} allows, with
 * libcrypto computing the AEAD ones where it can ({@link NativeCiphers}).
 * What runs over it is the caller's business; closing ends the session.
 */
public final class SshLogin implements AutoCloseable {
    private final Session session;

    private SshLogin(Session session) {
        this.session = session;
    }

    /**
     * Connects and logs in.
     *
     * @throws HostKeyRefused when the server's key is unknown (and not to be
     *     accepted) or has changed: nothing has been sent
     * @throws SshFailed when the connection or the login fails
     */
    public static SshLogin open(Destination destination, SshSettings settings) {
        JSch jsch = new JSch();
        SshConfigFile.Host configured = SshConfigFile.lookup(settings.sshConfig(), destination,
            !SshSettings.defaultSshConfig().equals(settings.sshConfig()));
        Destination target = configured.apply(destination);
        boolean aliased = !target.toString().equals(destination.toString());
        String shown = aliased ? destination + " (" + target + ", by " + configured.source() + ")" : destination.toString();
        List<String> keys = SshIdentities.install(jsch, settings, shown, configured.identityFiles());
        Path known = settings.knownHosts();
        if (!Files.exists(known) && !settings.acceptNewHostKey()) {
            throw new HostKeyRefused("cannot check the host key of " + shown + ": there is no known_hosts file at "
                + known + " (--known-hosts names another, --accept-new-host-key trusts the host on first use)");
        }
        try {
            if (Files.exists(known)) jsch.setKnownHosts(known.toString());
        } catch (JSchException e) {
            throw new SshFailed("cannot read known_hosts file " + known + ": " + e.getMessage(), e);
        }
        Session session;
        try {
            session = jsch.getSession(target.user(), target.host(), target.port());
            if (configured.hostKeyAlias() != null) session.setHostKeyAlias(configured.hostKeyAlias());
        } catch (JSchException e) {
            throw new SshFailed("cannot connect to " + shown + ": " + e.getMessage(), e);
        }
        KnownHostsCheck check = new KnownHostsCheck(jsch.getHostKeyRepository(), settings.acceptNewHostKey(), known);
        session.setHostKeyRepository(check);
        session.setConfig("StrictHostKeyChecking", "yes");
        session.setConfig("PreferredAuthentications", "publickey");
        String ciphers = settings.cipherList();
        NativeCiphers.install(session);
        session.setConfig("cipher.c2s", ciphers);
        session.setConfig("cipher.s2c", ciphers);
        session.setConfig("CheckCiphers", ciphers);
        session.setServerAliveCountMax(8);
        try {
            session.setServerAliveInterval(15_000);
            session.connect((int) settings.connectTimeout().toMillis());
        } catch (JSchException e) {
            session.disconnect();
            if (check.refusal != null) throw new HostKeyRefused(check.refusal + " (" + shown + ")");
            String m = String.valueOf(e.getMessage());
            if (m.contains("Auth fail") || m.contains("Auth cancel")) {
                throw new SshFailed("SSH login to " + shown + " failed: the server accepted none of the keys "
                    + keys, e);
            }
            throw new SshFailed("cannot connect to " + shown + ": " + m, e);
        }
        return new SshLogin(session);
    }

    /** The session, to open channels on. */
    public Session session() {
        return session;
    }

    /**
     * The cipher the server chose for what we send, and "(libcrypto)" when
     * libcrypto computes it.
     */
    public String cipher() {
        return NativeCiphers.describe(session.getCipherAlgorithmC2S());
    }

    /** Ends the session, and with it every channel still open. */
    @Override
    public void close() {
        session.disconnect();
    }
}
