package io.flocker.volume.push;

import io.flocker.fuzz.Fuzz;
import io.flocker.ssh.Destination;
import io.flocker.ssh.InvalidDestination;
import java.util.List;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a remote shell prints before and around the receiver's answer, and destinations as users type them, fuzzed. */
class RemoteInputFuzzTest {
    @Test
    void theReceiversOutput() {
        String answer = RemoteProtocol.frame("{\"exists\":false,\"node\":\"" + java.util.UUID.randomUUID() + "\"}");
        Fuzz.run("RemoteProtocol.find", r -> {
            String noise = Fuzz.text(r, 30);
            return switch (r.nextInt(3)) {
                case 0 -> noise;
                case 1 -> noise + "\n" + answer;
                default -> Fuzz.mutate(r, noise + "\n" + answer);
            };
        }, text -> {
            RemoteProtocol.Found f = RemoteProtocol.find(text);
            assertTrue(f.noise() >= 0 && f.noise() <= text.length(), f.toString());
            String whole = RemoteProtocol.answerIn(text);
            if (f.complete()) {
                assertTrue(f.answer() != null && !f.answer().contains("\n"), f.toString());
                assertEquals(f.answer(), whole, "the same answer once the output has ended");
            }
            return whole == null ? "no answer" : f.complete() ? "answer" : "answer at the end";
        });
    }

    @Test
    void theReceiversState() {
        java.util.Map<String, String> fields = new java.util.LinkedHashMap<>();
        fields.put("exists", "true");
        fields.put("snapshots", "[\"flocker-1\",\"flocker-2\"]");
        fields.put("resume_token", "null");
        fields.put("epoch", "3");
        fields.put("newest_owner", "\"" + java.util.UUID.randomUUID() + "\"");
        fields.put("newest_epoch", "3");
        fields.put("guids", "{\"flocker-1\":12,\"flocker-2\":34}");
        fields.put("node", "\"" + java.util.UUID.randomUUID() + "\"");
        // A field with a value of another shape: what mutating bytes seldom makes.
        String[] shapes = {"null", "[]", "{}", "\"x\"", "-1", "1e30", "[null]", "{\"k\":null}", "[1,{}]", "true", "\"\\u001b[2J\""};
        java.util.function.Function<java.util.Random, String> reshaped = r -> {
            String odd = Fuzz.oneOf(r, fields.keySet().toArray(new String[0]));
            StringBuilder json = new StringBuilder("{");
            fields.forEach((k, v) -> json.append(json.length() > 1 ? "," : "").append('"').append(k).append("\":")
                .append(k.equals(odd) ? Fuzz.oneOf(r, shapes) : v));
            return json.append('}').toString();
        };
        StringBuilder whole = new StringBuilder("{");
        fields.forEach((k, v) -> whole.append(whole.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
        String valid = whole.append('}').toString();
        var outcomes = Fuzz.run("receive state JSON", r -> switch (r.nextInt(4)) {
            case 0 -> Fuzz.text(r, 20);
            case 1 -> reshaped.apply(r);
            case 2 -> valid;
            default -> Fuzz.mutate(r, r.nextBoolean() ? valid : reshaped.apply(r));
        }, json -> {
            try {
                io.flocker.volume.ReceiveState s = SshRemoteNode.parseState(json, "node-b", node -> {});
                assertTrue(s.snapshots().stream().allMatch(java.util.Objects::nonNull) && s.epoch() >= 0, s.toString());
                return "parsed";
            } catch (RemoteCommandFailed refused) {
                assertTrue(refused.getMessage().startsWith("flocker-volume on node-b gave an answer that is not a receive state"),
                    refused.getMessage());
                return "refused";
            }
        });
        assertTrue(outcomes.getOrDefault("parsed", 0) >= Fuzz.cases() / 5, "the valid state and more parse: " + outcomes);
    }

    @Test
    void aStateWithAUsersOddButValidSnapshotNamesParses() {
        String spaced = "before upgrade", longest = "s".repeat(255), colon = "x:y.z_1-2";
        io.flocker.volume.ReceiveState s = SshRemoteNode.parseState("{\"exists\":true,\"snapshots\":[\"" + spaced + "\",\""
            + longest + "\",\"" + colon + "\"],\"guids\":{\"" + spaced + "\":-5}}", "node-b", node -> {});
        assertEquals(List.of(spaced, longest, colon), s.snapshots());
        assertEquals(-5L, s.guids().get(spaced), "a GUID is unsigned 64 bits, seen as a signed long");
        for (String bad : new String[] {"a@b", "a/b", "a#b", "s".repeat(256), "tab\there", ""}) {
            assertThrows(RemoteCommandFailed.class, () -> SshRemoteNode.parseState("{\"exists\":true,\"snapshots\":[\""
                + bad + "\"]}", "node-b", node -> {}), bad);
        }
    }

    @Test
    void destinations() {
        var outcomes = Fuzz.run("Destination.parse", r -> r.nextInt(3) == 0 ? Fuzz.text(r, 8)
            : Fuzz.mutate(r, Fuzz.oneOf(r, "root@host.example:2222", "[fe80::1]:22", "node-b", "me@10.0.0.2")), text -> {
            try {
                Destination d = Destination.parse(text);
                assertTrue(d.port() >= 1 && d.port() <= 65535, d.toString());
                return "accepted";
            } catch (InvalidDestination refused) {
                assertTrue(refused.getMessage().contains("destination"), refused.getMessage());
                return "refused";
            }
        });
        assertTrue(outcomes.getOrDefault("accepted", 0) > 0, "some inputs are accepted: " + outcomes);
    }

    @Test
    void aReceiverThatSaysItIsAnotherNodeThanBeforeIsRefused() {
        java.util.UUID b = java.util.UUID.randomUUID(), other = java.util.UUID.randomUUID();
        assertEquals(b, SshRemoteNode.sameNode(null, b, "root@node-b"), "the first answer names the node");
        assertEquals(b, SshRemoteNode.sameNode(b, b, "root@node-b"));
        RemoteCommandFailed e = assertThrows(RemoteCommandFailed.class, () -> SshRemoteNode.sameNode(b, other, "root@node-b"));
        assertTrue(e.getMessage().contains(other.toString()) && e.getMessage().contains(b.toString())
            && e.getMessage().contains("root@node-b"), e.getMessage());
    }
}
