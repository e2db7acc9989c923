package io.flocker.volume.push;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import io.flocker.ssh.Destination;
import io.flocker.ssh.SshFailed;
import io.flocker.ssh.SshSettings;
import io.flocker.volume.NodeIds;
import io.flocker.volume.ReceiveState;
import io.flocker.volume.VolumeException;
import io.flocker.volume.VolumeId;
import io.flocker.volume.VolumeName;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The other machine through flocker-volume run over SSH: {@code receive
 * --announce} (it prints what it holds, then takes the stream on its standard
 * input), {@code acquire}, and no command (its UUID). Every argument is quoted.
 *
 * <p>One SSH session, used by one thread at a time (a push or a handoff);
 * not safe to share. {@link #close} ends the session and its threads.
 */
public final class SshRemoteNode implements RemoteNode {
    private SshConnection ssh;
    private final SshSettings settings;
    private UUID nodeId;

    public SshRemoteNode(SshConnection ssh) {
        this(ssh, null);
    }

    private SshRemoteNode(SshConnection ssh, SshSettings settings) {
        this.ssh = ssh;
        this.settings = settings;
    }

    /** Connects to {@code destination}. */
    public static SshRemoteNode connect(Destination destination, SshSettings settings) {
        return new SshRemoteNode(SshConnection.open(destination, settings), settings);
    }

    @Override
    public void reconnect() {
        if (settings == null) throw new SshFailed("cannot connect to " + describe() + " again: no settings kept");
        SshConnection fresh = SshConnection.open(ssh.destination(), settings);
        fresh.sameTransportAs(ssh);
        ssh.close();
        ssh = fresh;
    }

    @Override
    public UUID nodeId() {
        if (nodeId == null) {
            RemoteResult r = check("ask for the node's UUID", ssh.query(List.of()));
            // Its last line: a remote shell's start-up files may print before it.
            List<String> lines = r.stdout().strip().lines().toList();
            String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
            try {
                nodeId = NodeIds.parse(last);
            } catch (VolumeException e) {
                throw new RemoteCommandFailed("flocker-volume on " + describe() + " answered "
                    + VolumeException.quote(last) + " instead of its UUID", 0, e);
            }
        }
        return nodeId;
    }

    private record StateJson(boolean exists, List<String> snapshots, String resume_token, Long epoch,
                             String newest_owner, Long newest_epoch, Map<String, Long> guids, String node) {}

    private ReceiveState parseState(String json) {
        return parseState(json, describe(), node -> nodeId = sameNode(nodeId, node, describe()));
    }

    /**
     * The node a receiver says it is, when it is the one known so far (or none was): after a reconnect,
     * another machine at that address must not pass for the node asked before.
     */
    static UUID sameNode(UUID known, UUID said, String where) {
        if (known != null && !known.equals(said)) {
            throw new RemoteCommandFailed("flocker-volume on " + where + " now says it is node " + said
                + ", but it was node " + known + ": not going on with another node", 0, null);
        }
        return said;
    }

    /** A receiver's answer, checked; the node it names goes to {@code node}. */
    static ReceiveState parseState(String json, String describe, java.util.function.Consumer<UUID> node) {
        ReceiveState state;
        UUID said;
        try {
            StateJson s = json == null ? null : new Gson().fromJson(json, StateJson.class);
            if (s == null) throw new JsonParseException("no answer");
            // The receiver says who it is, which saves a round trip to ask (bases are kept per destination).
            said = s.node() == null ? null : NodeIds.parse(s.node());
            // A receiver from before epochs or GUIDs says none: 0 and empty. What it does say must make sense.
            if (s.epoch() != null && s.epoch() < 0 || s.newest_epoch() != null && s.newest_epoch() < 0) {
                throw new JsonParseException("a negative epoch");
            }
            if (s.snapshots() != null) s.snapshots().forEach(SshRemoteNode::checkSnapshot);
            if (s.guids() != null) {
                s.guids().forEach((snapshot, guid) -> {
                    checkSnapshot(snapshot);
                    if (guid == null) throw new JsonParseException("no GUID for snapshot " + snapshot);
                });
            }
            state = new ReceiveState(s.exists(), s.snapshots() == null ? List.of() : s.snapshots(),
                Optional.ofNullable(s.resume_token()), s.epoch() == null ? 0 : s.epoch(),
                Optional.ofNullable(s.newest_owner()).map(NodeIds::parse), s.newest_epoch() == null ? 0 : s.newest_epoch(),
                s.guids() == null ? Map.of() : s.guids());
        } catch (JsonParseException | VolumeException e) {
            throw new RemoteCommandFailed("flocker-volume on " + describe + " gave an answer that is not a receive "
                + "state: " + VolumeException.quote(String.valueOf(json)), 0, e);
        }
        if (said != null) node.accept(said); // only a whole, valid answer says who the node is
        return state;
    }

    // Any snapshot name ZFS could hold (a user's own there may be longer than ours): one component, printable.
    private static void checkSnapshot(String name) {
        if (name == null || name.isEmpty() || name.length() > VolumeName.ZFS_MAX_NAME
                || !name.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '@' && c != '/' && c != '#')) {
            throw new JsonParseException("not a snapshot name: " + VolumeException.quote(String.valueOf(name)));
        }
    }

    @Override
    public long receive(VolumeId id, Path mountPath, int keep, long epoch, Function<ReceiveState, StreamSource> plan) {
        long[] sent = new long[1];
        RuntimeException[] local = new RuntimeException[1];
        boolean[] streamed = new boolean[1];
        // The receiver announces what it has, then reads the stream: one process for both.
        // A volume Docker's plugin made has no mount path: its copy records none.
        List<String> where = mountPath == null ? List.of("--no-mount-path") : List.of("--mount-path", mountPath.toString());
        List<String> command = new java.util.ArrayList<>(List.of("receive", "--announce"));
        command.addAll(where);
        command.addAll(List.of("--keep", Integer.toString(keep), "--epoch", Long.toString(epoch), id.owner().toString(),
            id.name().value()));
        RemoteResult r = ssh.converse(command,
            (out, answer) -> {
                try {
                    String line = answer.get();
                    if (line == null) return; // it failed before announcing: its stderr says why
                    StreamSource source = plan.apply(parseState(line));
                    streamed[0] = true;
                    sent[0] = source.writeTo(out);
                } catch (RemoteCommandFailed silent) {
                    throw silent; // no answer: the conversation ends here
                } catch (RuntimeException e) {
                    local[0] = e;
                    if (streamed[0]) throw new IOException(e.getMessage(), e);
                }
            });
        if (local[0] != null && !streamed[0]) throw local[0]; // we chose to send nothing: our reason
        if (r.exitStatus() != 0) {
            throw new RemoteCommandFailed("flocker-volume receive on " + describe() + " failed: " + r.reason()
                + (r.exitStatus() > 0 ? " (exit status " + r.exitStatus() + ")" : ""), r.exitStatus(), local[0]);
        }
        if (local[0] != null) throw local[0];
        if (r.inputFailure() != null) {
            throw new RemoteCommandFailed("sending volume " + VolumeException.quote(id.name().value()) + " to "
                + describe() + " failed: " + r.inputFailure().getMessage(), r.exitStatus(), r.inputFailure());
        }
        return sent[0];
    }

    @Override
    public void acquire(VolumeId id) {
        check("take over volume " + VolumeException.quote(id.name().value()),
            ssh.run(List.of("acquire", id.owner().toString(), id.name().value()), null));
    }

    @Override
    public ReceiveState state(VolumeId id) {
        RemoteResult r = check("say what it holds of volume " + VolumeException.quote(id.name().value()),
            ssh.query(List.of("receive-state", id.owner().toString(), id.name().value())));
        return parseState(RemoteProtocol.answerIn(r.stdout()));
    }

    private RemoteResult check(String what, RemoteResult r) {
        if (r.exitStatus() != 0) {
            throw new RemoteCommandFailed("flocker-volume on " + describe() + " could not " + what + ": " + r.reason()
                + (r.exitStatus() > 0 ? " (exit status " + r.exitStatus() + ")" : ""), r.exitStatus(), null);
        }
        return r;
    }

    @Override
    public String describe() {
        return ssh.destination().toString();
    }

    /** How the other side was reached: the agent's node socket, or exec of the remote command (and why). */
    public String transport() {
        return ssh.transport();
    }

    @Override
    public String cipher() {
        return ssh.cipher();
    }

    @Override
    public void close() {
        ssh.close();
    }
}
