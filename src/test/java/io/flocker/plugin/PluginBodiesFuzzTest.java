package io.flocker.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.flocker.fuzz.Fuzz;
import io.flocker.volume.VolumeDriver;
import io.flocker.volume.VolumeException;
import io.flocker.volume.VolumeService;
import io.flocker.volume.docker.FakeDataContainers;
import io.flocker.volume.memory.MemoryStoragePool;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The plugin's request bodies as any caller could send them, fuzzed at
 * every endpoint over an in-memory pool: each gets an answer or the
 * refusal the handler turns into a 4xx or 5xx with Docker's "Err"; never
 * another exception (the handler's "internal error"), and a refused
 * Create or Remove leaves the pool's volumes as they were.
 */
class PluginBodiesFuzzTest {
    private static final String[] ENDPOINTS = {"Plugin.Activate", "VolumeDriver.Capabilities", "VolumeDriver.Create",
        "VolumeDriver.Remove", "VolumeDriver.Mount", "VolumeDriver.Unmount", "VolumeDriver.Path", "VolumeDriver.Get",
        "VolumeDriver.List"};
    private static final String[] BODIES = {"{\"Name\":\"v1\"}", "{\"Name\":\"v1\",\"Opts\":{\"quota\":\"10G\",\"compression\":\"lz4\"}}",
        "{\"Name\":\"v1\",\"ID\":\"abc123\"}", "{\"Name\":\"v2\",\"Opts\":null}", "null", "{}", "[]", "\"v1\""};

    private record Call(String endpoint, String body) {}

    @Test
    void everyEndpointAnswersOrRefusesAndARefusalChangesNothing() {
        MemoryStoragePool pool = new MemoryStoragePool("flocker", Path.of("/flocker"));
        VolumeApi api = new VolumeApi(new VolumeDriver(new VolumeService(UUID.randomUUID(), pool, new FakeDataContainers())));
        Function<Random, Call> generate = r -> new Call(Fuzz.oneOf(r, ENDPOINTS),
            r.nextInt(5) == 0 ? Fuzz.text(r, 12) : Fuzz.mutate(r, Fuzz.oneOf(r, BODIES)));
        Fuzz.run("plugin request bodies", generate, call -> {
            JsonElement body;
            try {
                body = call.body().isBlank() ? JsonNull.INSTANCE : JsonParser.parseString(call.body());
            } catch (JsonParseException e) {
                return "not JSON (400)";
            }
            List<String> before = names(pool);
            try {
                JsonObject answer = api.endpoint(call.endpoint()).apply(body);
                String err = answer.has("Err") ? answer.get("Err").getAsString() : "";
                if (!err.isEmpty()) assertEquals(before, names(pool), "an Err changes nothing");
                return err.isEmpty() ? "answered" : "Err";
            } catch (VolumeException | JsonParseException refused) {
                assertTrue(refused.getMessage() != null && !refused.getMessage().isBlank());
                if (call.endpoint().endsWith("Create") || call.endpoint().endsWith("Remove")) {
                    assertEquals(before, names(pool), "a refused " + call.endpoint() + " changes nothing");
                }
                return "refused";
            }
        });
    }

    private static List<String> names(MemoryStoragePool pool) {
        return pool.list().stream().map(f -> f.dataset() + " " + f.mountpoint() + " " + f.readOnly()).sorted().toList();
    }
}
