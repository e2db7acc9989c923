package io.flocker.cli;

import com.google.gson.Gson;
import io.flocker.volume.NodeIds;
import io.flocker.volume.ReceiveState;
import io.flocker.volume.VolumeName;
import io.flocker.volume.push.RemoteProtocol;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code receive-state UUID NAME}: what a pushing node asks first, as JSON. */
@Command(name = "receive-state", mixinStandardHelpOptions = true, description = {
    "Print, as JSON, what this node holds of volume NAME of node UUID: whether a copy exists, its snapshots",
    "(oldest first), the resume token of a broken push, the copy's epoch, and the newest owner this node",
    "knows of a volume of that name (newest_owner, newest_epoch). Used by push and handoff."})
final class ReceiveStateCommand implements Callable<Integer> {
    @ParentCommand
    FlockerVolume root;

    @Parameters(index = "0", paramLabel = "UUID")
    String owner;

    @Parameters(index = "1", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
        var o = NodeIds.parse(owner);
        VolumeName n = VolumeName.of(name);
        try (FlockerVolume.Session s = root.open()) {
            root.out().println(RemoteProtocol.frame(json(s.service().receiveState(o, n), s.service().node())));
        }
        return 0;
    }

    /**
     * One line: {"exists":..,"snapshots":[..],"resume_token":..,"epoch":..,"newest_owner":..,"newest_epoch":..,
     * "guids":{..},"node":..}.
     */
    static String json(ReceiveState st, java.util.UUID node) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("exists", st.exists());
        json.put("snapshots", st.snapshots());
        json.put("resume_token", st.resumeToken().orElse(null));
        json.put("epoch", st.epoch());
        json.put("newest_owner", st.newestOwner().map(Object::toString).orElse(null));
        json.put("newest_epoch", st.newestEpoch());
        json.put("guids", new java.util.TreeMap<>(st.guids()));
        json.put("node", node.toString());
        return new Gson().newBuilder().serializeNulls().create().toJson(json);
    }
}
