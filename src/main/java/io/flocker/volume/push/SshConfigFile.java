package io.flocker.volume.push;

import io.flocker.volume.VolumeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of an OpenSSH client configuration (ssh_config(5), usually
 * ~/.ssh/config) that a push uses, for the host as it was named: HostName,
 * User, Port, IdentityFile and HostKeyAlias, in Host and Match blocks and
 * Include files. As in OpenSSH the first value given for a keyword wins, and
 * IdentityFile adds up.
 *
 * <p>A host whose connection needs ProxyJump or ProxyCommand is refused:
 * flocker-volume connects only directly, and going around the proxy could
 * reach another network. Everything else (ciphers, StrictHostKeyChecking,
 * UserKnownHostsFile...) is left to flocker-volume's own settings, so that
 * no configuration can weaken the host key check.
 */
final class SshConfigFile {
    private static final Logger LOG = LoggerFactory.getLogger(SshConfigFile.class);
    private static final int MAX_INCLUDE_DEPTH = 16;
    private static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9._-]{1,253}");

    /**
     * What the configuration says for one host; null or -1 where it says nothing.
     *
     * @param source where the values came from, for messages
     */
    record Host(String hostName, String user, int port, List<Path> identityFiles, String hostKeyAlias, String source) {
        static final Host NONE = new Host(null, null, -1, List.of(), null, null);

        /** {@code d} with this host's name, and its user and port where {@code d} named none. */
        Destination apply(Destination d) {
            String h = hostName != null ? hostName : d.host();
            String u = d.userGiven() || user == null ? d.user() : user;
            int p = d.portGiven() || port < 0 ? d.port() : port;
            return new Destination(u, h, p, d.userGiven() || user != null, d.portGiven() || port >= 0);
        }
    }

    private SshConfigFile() {}

    /**
     * Looks {@code destination}'s host up in {@code file}.
     *
     * @return {@link Host#NONE} when {@code file} is null or does not exist
     * @throws SshFailed naming the file and line of a value that cannot be used, or a proxy
     */
    static Host lookup(Path file, Destination destination) {
        if (file == null || !Files.exists(file)) return Host.NONE;
        Reading r = new Reading(destination, file.toAbsolutePath().getParent());
        r.read(file, 0, true);
        if (r.proxy != null && !r.proxy.isEmpty()) {
            throw new SshFailed("the SSH configuration " + r.proxy + " for " + VolumeException.quote(destination.host())
                + ", and flocker-volume connects only directly: name the host itself, or one it can reach directly");
        }
        String source = file.toString();
        return new Host(r.hostName, r.user, r.port, List.copyOf(r.identityFiles), r.hostKeyAlias, source);
    }

    /** One pass over the configuration for one host, the state of which keywords have been given. */
    private static final class Reading {
        private final Destination destination;
        private final Path sshDir;
        String hostName, user, hostKeyAlias, proxy;
        int port = -1;
        final List<Path> identityFiles = new ArrayList<>();

        Reading(Destination destination, Path sshDir) {
            this.destination = destination;
            this.sshDir = sshDir;
        }

        void read(Path file, int depth, boolean active) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                return;
            } catch (IOException e) {
                throw new SshFailed("cannot read the SSH configuration " + VolumeException.quote(file.toString()) + ": "
                    + e.getMessage(), e);
            }
            for (int n = 0; n < lines.size(); n++) {
                String where = file + ":" + (n + 1);
                List<String> words = words(lines.get(n), where);
                if (words.isEmpty()) continue;
                String key = words.get(0).toLowerCase(Locale.ROOT);
                List<String> args = words.subList(1, words.size());
                switch (key) {
                    case "host" -> active = hostMatches(args);
                    case "match" -> active = matchMatches(args, where);
                    case "include" -> {
                        if (!active) break;
                        if (depth >= MAX_INCLUDE_DEPTH) throw bad(where, "Include nests deeper than " + MAX_INCLUDE_DEPTH);
                        for (String a : args) for (Path p : expand(a)) read(p, depth + 1, true);
                    }
                    default -> {
                        if (active) take(key, args, where);
                    }
                }
            }
        }

        private void take(String key, List<String> args, String where) {
            if (args.isEmpty()) throw bad(where, "'" + key + "' has no value");
            String v = args.get(0);
            switch (key) {
                case "hostname" -> {
                    if (hostName != null) return;
                    String h = tokens(v, where, false);
                    if (!Destination.isHost(h)) throw bad(where, "HostName " + VolumeException.quote(h) + " is not a host name or address");
                    hostName = h;
                }
                case "user" -> {
                    if (user != null) return;
                    String u = tokens(v, where, false);
                    if (!Destination.isUser(u)) throw bad(where, "User " + VolumeException.quote(u) + " is not a login name");
                    user = u;
                }
                case "port" -> {
                    if (port >= 0) return;
                    int p;
                    try {
                        p = Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        p = 0;
                    }
                    if (p < 1 || p > 65535) throw bad(where, "Port " + VolumeException.quote(v) + " is not in 1..65535");
                    port = p;
                }
                case "hostkeyalias" -> {
                    if (hostKeyAlias != null) return;
                    if (!ALIAS.matcher(v).matches()) throw bad(where, "HostKeyAlias " + VolumeException.quote(v) + " is not a host name");
                    hostKeyAlias = v;
                }
                case "identityfile" -> {
                    if (v.equalsIgnoreCase("none")) return;
                    Path p = Path.of(tokens(v, where, true));
                    if (!p.isAbsolute()) p = home().resolve(p);
                    if (!identityFiles.contains(p)) identityFiles.add(p);
                }
                case "proxyjump", "proxycommand" -> {
                    if (proxy != null) return;
                    proxy = v.equalsIgnoreCase("none") ? ""
                        : "at " + where + " gives " + (key.equals("proxyjump") ? "ProxyJump" : "ProxyCommand");
                }
                default -> { }
            }
        }

        private boolean hostMatches(List<String> patterns) {
            return patternListMatches(patterns, destination.host());
        }

        // Match's criteria that depend only on names; others (exec, canonical...) cannot be decided here.
        private boolean matchMatches(List<String> args, String where) {
            boolean all = true;
            for (int i = 0; i < args.size(); i++) {
                String c = args.get(i).toLowerCase(Locale.ROOT);
                boolean negate = c.startsWith("!");
                if (negate) c = c.substring(1);
                boolean result;
                if (c.equals("all")) {
                    result = true;
                } else if (i + 1 < args.size() && List.of("host", "originalhost", "user", "localuser").contains(c)) {
                    List<String> list = List.of(args.get(++i).split(","));
                    String subject = switch (c) {
                        case "host" -> hostName != null ? hostName : destination.host();
                        case "originalhost" -> destination.host();
                        case "user" -> user != null && !destination.userGiven() ? user : destination.user();
                        default -> System.getProperty("user.name", "");
                    };
                    result = patternListMatches(list, subject);
                } else {
                    LOG.warn("{}: ignoring a Match block whose criterion {} flocker-volume cannot evaluate", where,
                        VolumeException.quote(args.get(i)));
                    return false;
                }
                all &= negate != result;
            }
            return all;
        }

        private List<Path> expand(String pattern) {
            String text = pattern.startsWith("~/") ? home() + pattern.substring(1) : pattern;
            Path p = Path.of(text);
            if (!p.isAbsolute()) p = sshDir.resolve(p);
            String name = p.getFileName().toString();
            if (!name.contains("*") && !name.contains("?") && !name.contains("[")) return List.of(p);
            List<Path> found = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(p.getParent(), name)) {
                for (Path f : ds) found.add(f);
            } catch (NoSuchFileException e) {
                return List.of();
            } catch (IOException e) {
                throw new SshFailed("cannot list " + p.getParent() + " for an SSH configuration Include: " + e.getMessage(), e);
            }
            found.sort(null);
            return found;
        }

        // %% %h %p %r %u %d: the tokens of HostName (only %h, %%) and IdentityFile, as ssh_config(5) names them.
        private String tokens(String v, String where, boolean identity) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c == '~' && i == 0 && identity && (v.length() == 1 || v.charAt(1) == '/')) {
                    b.append(home());
                    continue;
                }
                if (c != '%') {
                    b.append(c);
                    continue;
                }
                char t = i + 1 < v.length() ? v.charAt(++i) : '\0';
                String r = switch (t) {
                    case '%' -> "%";
                    case 'h' -> identity && hostName != null ? hostName : destination.host();
                    case 'p' -> identity ? String.valueOf(port >= 0 && !destination.portGiven() ? port : destination.port()) : null;
                    case 'r' -> identity ? (user != null && !destination.userGiven() ? user : destination.user()) : null;
                    case 'u' -> identity ? System.getProperty("user.name", "") : null;
                    case 'd' -> identity ? home().toString() : null;
                    default -> null;
                };
                if (r == null) throw bad(where, "the token %" + t + " is not one flocker-volume knows here");
                b.append(r);
            }
            return b.toString();
        }

        private static Path home() {
            return Path.of(System.getProperty("user.home"));
        }
    }

    // OpenSSH's own glob: * and ? on the whole name, case-insensitive for hosts; a list matches when
    // one pattern does and no negated one does.
    static boolean patternListMatches(List<String> patterns, String subject) {
        boolean positive = false;
        for (String p : patterns) {
            boolean negate = p.startsWith("!");
            String glob = negate ? p.substring(1) : p;
            if (glob(glob.toLowerCase(Locale.ROOT), 0, subject.toLowerCase(Locale.ROOT), 0)) {
                if (negate) return false;
                positive = true;
            }
        }
        return positive;
    }

    private static boolean glob(String p, int i, String s, int j) {
        while (i < p.length()) {
            char c = p.charAt(i);
            if (c == '*') {
                for (int k = j; k <= s.length(); k++) if (glob(p, i + 1, s, k)) return true;
                return false;
            }
            if (j >= s.length() || c != '?' && c != s.charAt(j)) return false;
            i++;
            j++;
        }
        return j == s.length();
    }

    /** A line's words: keyword and arguments, split by blanks or one '=', double quotes kept together. */
    static List<String> words(String line, String where) {
        List<String> out = new ArrayList<>();
        StringBuilder w = null;
        boolean quoted = false, sawEquals = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    quoted = false;
                } else {
                    w.append(c);
                }
            } else if (c == '"') {
                if (w == null) w = new StringBuilder();
                quoted = true;
            } else if (c == '#' && w == null) {
                break;
            } else if (c == ' ' || c == '\t' || c == '=' && !sawEquals && out.size() + (w != null ? 1 : 0) == 1) {
                if (c == '=') sawEquals = true;
                if (w != null) out.add(w.toString());
                w = null;
            } else {
                if (w == null) w = new StringBuilder();
                w.append(c);
            }
        }
        if (quoted) throw bad(where, "a quote is not closed");
        if (w != null) out.add(w.toString());
        return out;
    }

    private static SshFailed bad(String where, String what) {
        return new SshFailed("SSH configuration " + VolumeException.printable(where) + ": " + what);
    }
}
