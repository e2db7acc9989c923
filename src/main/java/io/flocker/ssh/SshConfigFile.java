package io.flocker.ssh;

import io.flocker.volume.VolumeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
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
 * Include files. As in OpenSSH the first value given for a keyword wins,
 * IdentityFile adds up, and its tokens are expanded once the whole file is
 * read.
 *
 * <p>A host whose connection needs ProxyJump or ProxyCommand is refused:
 * flocker-volume connects only directly, and going around the proxy could
 * reach another network. So is one that a Match block this class cannot
 * decide (exec, canonical...) might send through a proxy. Everything else
 * (ciphers, StrictHostKeyChecking, UserKnownHostsFile...) is left to
 * flocker-volume's own settings, so that no configuration can weaken the
 * host key check. A file that others may write is refused, as OpenSSH does.
 */
final class SshConfigFile {
    private static final Logger LOG = LoggerFactory.getLogger(SshConfigFile.class);
    private static final int MAX_INCLUDE_DEPTH = 16;
    private static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9._-]{1,253}");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)\\}");

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
     * @param required whether {@code file} was named on purpose, so that its absence is an error (the default
     *     ~/.ssh/config may be absent)
     * @return {@link Host#NONE} when {@code file} is null, or absent and not required
     * @throws SshFailed naming the file and line of a value that cannot be used, or a proxy
     */
    static Host lookup(Path file, Destination destination, boolean required) {
        if (file == null) return Host.NONE;
        if (!Files.exists(file)) {
            if (!required) return Host.NONE;
            throw new SshFailed("the SSH configuration " + VolumeException.quote(file.toString()) + " does not exist");
        }
        Reading r = new Reading(destination);
        r.read(file, 0, true);
        if (r.proxy != null && !r.proxy.isEmpty()) {
            throw new SshFailed("the SSH configuration " + r.proxy + " for " + VolumeException.quote(destination.host())
                + ", and flocker-volume connects only directly: name the host itself, or one it can reach directly");
        }
        List<Path> keys = new ArrayList<>();
        for (String[] raw : r.identityFiles) {
            Path p = Path.of(r.expand(raw[0], raw[1]));
            if (!p.isAbsolute()) p = home().resolve(p);
            if (!keys.contains(p)) keys.add(p);
        }
        return new Host(r.hostName, r.user, r.port, List.copyOf(keys), r.hostKeyAlias, file.toString());
    }

    private enum Applies { YES, NO, UNKNOWN }

    /** One pass over the configuration for one host, the state of which keywords have been given. */
    private static final class Reading {
        private final Destination destination;
        String hostName, user, hostKeyAlias, proxy;
        int port = -1;
        /** IdentityFile values and where each was given, expanded once everything is read. */
        final List<String[]> identityFiles = new ArrayList<>();

        Reading(Destination destination) {
            this.destination = destination;
        }

        void read(Path file, int depth, boolean active) {
            List<String> lines;
            try {
                checkOwnership(file);
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                return;
            } catch (IOException e) {
                throw new SshFailed("cannot read the SSH configuration " + VolumeException.quote(file.toString()) + ": "
                    + e.getMessage(), e);
            }
            Applies applies = active ? Applies.YES : Applies.NO;
            for (int n = 0; n < lines.size(); n++) {
                String where = file + ":" + (n + 1);
                List<String> words = words(lines.get(n), where);
                if (words.isEmpty()) continue;
                String key = words.get(0).toLowerCase(Locale.ROOT);
                List<String> args = words.subList(1, words.size());
                switch (key) {
                    case "host" -> applies = patternListMatches(args, destination.host()) ? Applies.YES : Applies.NO;
                    case "match" -> applies = matchApplies(args, where);
                    case "include" -> {
                        if (applies == Applies.NO) break;
                        if (applies == Applies.UNKNOWN) throw undecided(where, "an Include");
                        if (depth >= MAX_INCLUDE_DEPTH) throw bad(where, "Include nests deeper than " + MAX_INCLUDE_DEPTH);
                        for (String a : args) for (Path p : includes(a, where)) read(p, depth + 1, true);
                    }
                    default -> {
                        if (applies == Applies.YES) {
                            take(key, args, where);
                        } else if (applies == Applies.UNKNOWN && (key.equals("proxyjump") || key.equals("proxycommand"))
                            && !args.isEmpty() && !args.get(0).equalsIgnoreCase("none")) {
                            throw undecided(where, key.equals("proxyjump") ? "ProxyJump" : "ProxyCommand");
                        }
                    }
                }
            }
        }

        private SshFailed undecided(String where, String what) {
            return bad(where, what + " in a Match block whose criteria flocker-volume cannot decide (exec, canonical, "
                + "final, localnetwork, tagged): it cannot tell whether it applies to "
                + VolumeException.quote(destination.host()) + "; give another configuration with -F, or none (-F none)");
        }

        private void take(String key, List<String> args, String where) {
            if (args.isEmpty()) throw bad(where, "'" + key + "' has no value");
            String v = args.get(0);
            switch (key) {
                case "hostname" -> {
                    if (hostName != null) return;
                    String h = v.replace("%%", "\0").replace("%h", destination.host());
                    if (h.indexOf('%') >= 0) throw bad(where, "HostName knows only the tokens %h and %%");
                    h = h.replace('\0', '%');
                    if (!Destination.isHost(h)) throw bad(where, "HostName " + VolumeException.quote(h) + " is not a host name or address");
                    hostName = h;
                }
                case "user" -> {
                    if (user != null) return;
                    if (!Destination.isUser(v)) throw bad(where, "User " + VolumeException.quote(v) + " is not a login name");
                    user = v;
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
                    if (!v.equalsIgnoreCase("none")) identityFiles.add(new String[] {v, where});
                }
                case "proxyjump", "proxycommand" -> {
                    if (proxy != null) return;
                    proxy = v.equalsIgnoreCase("none") ? ""
                        : "at " + where + " gives " + (key.equals("proxyjump") ? "ProxyJump" : "ProxyCommand");
                }
                default -> { }
            }
        }

        // Match's criteria that depend only on names; others (exec, canonical...) cannot be decided here.
        private Applies matchApplies(List<String> args, String where) {
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
                        case "user" -> remoteUser();
                        default -> System.getProperty("user.name", "");
                    };
                    result = patternListMatches(list, subject);
                } else {
                    LOG.warn("{}: a Match block whose criterion {} flocker-volume cannot decide: its settings are left "
                        + "out, and a proxy in it is refused", where, VolumeException.quote(args.get(i)));
                    return Applies.UNKNOWN;
                }
                all &= negate != result;
            }
            return all ? Applies.YES : Applies.NO;
        }

        private String remoteUser() {
            return user != null && !destination.userGiven() ? user : destination.user();
        }

        // %% %h %p %r %u %d and ${VAR}, as ssh_config(5) expands IdentityFile: with the final host, user and port.
        String expand(String v, String where) {
            StringBuilder b = new StringBuilder();
            java.util.regex.Matcher m = VARIABLE.matcher(v);
            int last = 0;
            while (m.find()) {
                String value = System.getenv(m.group(1));
                if (value == null) throw bad(where, "the environment variable " + m.group(1) + " is not set");
                b.append(v, last, m.start()).append(value);
                last = m.end();
            }
            v = b.append(v.substring(last)).toString();
            if (v.equals("~") || v.startsWith("~/")) v = home() + v.substring(1);
            b.setLength(0);
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c != '%') {
                    b.append(c);
                    continue;
                }
                char t = i + 1 < v.length() ? v.charAt(++i) : '\0';
                String r = switch (t) {
                    case '%' -> "%";
                    case 'h' -> hostName != null ? hostName : destination.host();
                    case 'p' -> String.valueOf(port >= 0 && !destination.portGiven() ? port : destination.port());
                    case 'r' -> remoteUser();
                    case 'u' -> System.getProperty("user.name", "");
                    case 'd' -> home().toString();
                    default -> null;
                };
                if (r == null) throw bad(where, "the token %" + t + " is not one flocker-volume knows here");
                b.append(r);
            }
            return b.toString();
        }

        // Relative to ~/.ssh, as OpenSSH does for a user's configuration; glob(3) patterns in any part.
        private List<Path> includes(String pattern, String where) {
            String text = pattern.equals("~") || pattern.startsWith("~/") ? home() + pattern.substring(1) : pattern;
            Path p = Path.of(text);
            if (!p.isAbsolute()) p = home().resolve(".ssh").resolve(p);
            List<Path> found = List.of(p.getRoot());
            Path parts = p.getRoot().relativize(p);
            for (int i = 0; i < parts.getNameCount(); i++) {
                String name = parts.getName(i).toString();
                boolean last = i == parts.getNameCount() - 1;
                List<Path> next = new ArrayList<>();
                for (Path dir : found) {
                    if (!Files.isDirectory(dir)) continue;
                    if (!name.contains("*") && !name.contains("?") && !name.contains("[")) {
                        next.add(dir.resolve(name));
                        continue;
                    }
                    // Java's glob knows braces, glob(3) without GLOB_BRACE does not; a leading dot is matched only by one.
                    String glob = name.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}");
                    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob)) {
                        for (Path f : ds) {
                            if (f.getFileName().toString().startsWith(".") && !name.startsWith(".")) continue;
                            if (last || Files.isDirectory(f)) next.add(f);
                        }
                    } catch (IOException e) {
                        throw bad(where, "cannot list " + dir + " for an Include: " + e.getMessage());
                    }
                }
                next.sort(null);
                found = next;
            }
            return found;
        }
    }

    // What OpenSSH asks of a configuration file: the user's or root's, and writable by no one else
    // (of the file a link leads to: the attributes are read through links).
    private static void checkOwnership(Path file) throws IOException {
        PosixFileAttributes a = Files.readAttributes(file, PosixFileAttributes.class);
        String me = System.getProperty("user.name", "");
        String owner = a.owner().getName();
        boolean othersWrite = a.permissions().contains(PosixFilePermission.GROUP_WRITE)
            || a.permissions().contains(PosixFilePermission.OTHERS_WRITE);
        if (!(owner.equals(me) || owner.equals("root")) || othersWrite) {
            throw new SshFailed("refusing the SSH configuration " + VolumeException.quote(file.toString())
                + ": it is owned by " + VolumeException.quote(owner) + (othersWrite ? " and others may write it" : "")
                + " (it must be yours or root's, and writable by no one else)");
        }
    }

    private static Path home() {
        return Path.of(System.getProperty("user.home"));
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

    /**
     * A line's words, split as OpenSSH splits them: blanks, or one '=' after
     * the keyword; double or single quotes keep blanks in a word; a backslash
     * before a blank, a quote or a backslash makes it plain.
     */
    static List<String> words(String line, String where) {
        List<String> out = new ArrayList<>();
        StringBuilder w = null;
        char quote = 0;
        boolean sawEquals = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length() && " \t\"'\\".indexOf(line.charAt(i + 1)) >= 0
                && (quote == 0 || line.charAt(i + 1) == quote || line.charAt(i + 1) == '\\')) {
                if (w == null) w = new StringBuilder();
                w.append(line.charAt(++i));
            } else if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    w.append(c);
                }
            } else if (c == '"' || c == '\'') {
                if (w == null) w = new StringBuilder();
                quote = c;
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
        if (quote != 0) throw bad(where, "a quote is not closed");
        if (w != null) out.add(w.toString());
        return out;
    }

    private static SshFailed bad(String where, String what) {
        return new SshFailed("SSH configuration " + VolumeException.printable(where) + ": " + what);
    }
}
