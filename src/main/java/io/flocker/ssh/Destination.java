package io.flocker.ssh;

import io.flocker.volume.VolumeException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a push goes: {@code [user@]host[:port]}, the host a name, an IPv4
 * address or a bracketed IPv6 address. Checked strictly, since parts of it
 * end up in an SSH connection and in messages.
 *
 * The host may also be a {@code Host} alias of the SSH client configuration
 * (~/.ssh/config), which may then give the real host name, the user and the
 * port, where the text did not ({@link SshConfigFile}).
 *
 * @param user the login name; the local user's name when not given
 * @param host the host name or address (IPv6 without brackets)
 * @param port the SSH port, 22 when not given
 * @param userGiven whether the user was named, so that a configured one does not replace it
 * @param portGiven whether the port was named, likewise
 */
public record Destination(String user, String host, int port, boolean userGiven, boolean portGiven) {
    /** A destination whose user and port are meant as they are. */
    public Destination(String user, String host, int port) {
        this(user, host, port, true, true);
    }

    private static final String USER_FORM = "[A-Za-z_][A-Za-z0-9_.-]{0,31}";
    private static final String HOST_FORM = "[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})";
    private static final Pattern FORM = Pattern.compile(
        "(?:(" + USER_FORM + ")@)?(\\[[0-9A-Fa-f:.]+\\]|" + HOST_FORM + ")(?::([0-9]{1,5}))?");
    private static final Pattern USER = Pattern.compile(USER_FORM);
    private static final Pattern HOST = Pattern.compile(HOST_FORM);

    /**
     * @throws InvalidDestination naming the text and what is wrong with it
     */
    public static Destination parse(String text) {
        if (text == null || text.isEmpty()) throw new InvalidDestination("the destination is empty ([user@]host[:port])");
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new InvalidDestination("invalid destination " + VolumeException.quote(text)
                + ": expected [user@]host[:port] (letters, digits, '.', '-' in the host; [address] for IPv6)");
        }
        String user = m.group(1) != null ? m.group(1) : System.getProperty("user.name", "root");
        String host = m.group(2);
        if (host.startsWith("[")) host = host.substring(1, host.length() - 1);
        int port = 22;
        if (m.group(3) != null) {
            port = Integer.parseInt(m.group(3));
            if (port < 1 || port > 65535) {
                throw new InvalidDestination("invalid destination " + VolumeException.quote(text) + ": port " + port
                    + " is not in 1..65535");
            }
        }
        return new Destination(user, host, port, m.group(1) != null, m.group(3) != null);
    }

    /** Whether {@code name} has the form of a host here (a name, an IPv4 or an unbracketed IPv6 address). */
    static boolean isHost(String name) {
        return name != null && (HOST.matcher(name).matches() || name.matches("[0-9A-Fa-f:.]+") && name.contains(":"));
    }

    /** Whether {@code name} has the form of a login name here. */
    static boolean isUser(String name) {
        return name != null && USER.matcher(name).matches();
    }

    /** Equal when user, host and port are: whether they were named is how they came, not where they lead. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Destination d && java.util.Objects.equals(user, d.user) && java.util.Objects.equals(host, d.host)
            && port == d.port;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(user, host, port);
    }

    @Override
    public String toString() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return user + "@" + h + (port == 22 ? "" : ":" + port);
    }
}
