package io.flocker.plugin;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.annotations.SerializedName;
import io.flocker.volume.Volume;
import io.flocker.volume.VolumeDriver;
import io.flocker.volume.VolumeName;
import io.flocker.volume.VolumeProperties;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Docker's volume plugin API, version 1: each endpoint's JSON request in,
 * one call of the {@link VolumeDriver}, its JSON answer out. Failures are
 * thrown ({@link io.flocker.volume.VolumeException} with the message for
 * {@code Err}, {@link JsonParseException} for a body that is not the
 * endpoint's); {@link PluginHandler} turns them into answers.
 */
final class VolumeApi {
    /** The media type of every request and answer. */
    static final String MEDIA_TYPE = "application/vnd.docker.plugins.v1+json";

    private static final Gson GSON = new Gson();

    private record NameRequest(@SerializedName("Name") String name) {}

    private record CreateRequest(@SerializedName("Name") String name, @SerializedName("Opts") Map<String, String> opts) {}

    private record MountRequest(@SerializedName("Name") String name, @SerializedName("ID") String id) {}

    private final VolumeDriver driver;
    private final Map<String, Function<JsonElement, JsonObject>> endpoints;

    VolumeApi(VolumeDriver driver) {
        this.driver = Objects.requireNonNull(driver, "driver");
        this.endpoints = Map.of(
            "Plugin.Activate", body -> activate(),
            "VolumeDriver.Capabilities", body -> capabilities(),
            "VolumeDriver.Create", this::create,
            "VolumeDriver.Remove", this::remove,
            "VolumeDriver.Mount", this::mount,
            "VolumeDriver.Unmount", this::unmount,
            "VolumeDriver.Path", this::path,
            "VolumeDriver.Get", this::get,
            "VolumeDriver.List", body -> list());
    }

    /** The endpoint of that name ("VolumeDriver.Mount"), or null. */
    Function<JsonElement, JsonObject> endpoint(String name) {
        return endpoints.get(name);
    }

    private static JsonObject activate() {
        JsonArray implementsArray = new JsonArray();
        implementsArray.add("VolumeDriver");
        JsonObject out = new JsonObject();
        out.add("Implements", implementsArray);
        return out;
    }

    // Volumes live in this node's pool: Docker must not think another host sees them.
    private static JsonObject capabilities() {
        JsonObject caps = new JsonObject();
        caps.addProperty("Scope", "local");
        JsonObject out = ok();
        out.add("Capabilities", caps);
        return out;
    }

    private JsonObject create(JsonElement body) {
        CreateRequest r = parse(body, CreateRequest.class);
        VolumeName name = VolumeName.of(r.name());
        // Every option is checked before anything is made: a bad one changes nothing.
        driver.create(name, VolumeProperties.of(r.opts()));
        return ok();
    }

    private JsonObject remove(JsonElement body) {
        driver.remove(VolumeName.of(parse(body, NameRequest.class).name()));
        return ok();
    }

    private JsonObject mount(JsonElement body) {
        MountRequest r = parse(body, MountRequest.class);
        return mountpoint(driver.mount(VolumeName.of(r.name()), r.id()));
    }

    private JsonObject unmount(JsonElement body) {
        MountRequest r = parse(body, MountRequest.class);
        driver.unmount(VolumeName.of(r.name()), r.id());
        return ok();
    }

    private JsonObject path(JsonElement body) {
        return mountpoint(driver.path(VolumeName.of(parse(body, NameRequest.class).name())));
    }

    private JsonObject get(JsonElement body) {
        VolumeDriver.Status s = driver.get(VolumeName.of(parse(body, NameRequest.class).name()));
        JsonObject status = new JsonObject();
        status.addProperty("owner", s.volume().owner().toString());
        status.addProperty("dataset", s.volume().dataset());
        status.addProperty("users", s.users().size());
        if (s.volume().mountPath() != null) status.addProperty("mount_path", s.volume().mountPath().toString());
        s.properties().values().forEach(status::addProperty);
        JsonObject v = describe(s.volume());
        v.add("Status", status);
        JsonObject out = ok();
        out.add("Volume", v);
        return out;
    }

    private JsonObject list() {
        JsonArray volumes = new JsonArray();
        for (Volume v : driver.list()) volumes.add(describe(v));
        JsonObject out = ok();
        out.add("Volumes", volumes);
        return out;
    }

    private static JsonObject describe(Volume v) {
        JsonObject o = new JsonObject();
        o.addProperty("Name", v.name().value());
        if (v.mountpoint() != null) o.addProperty("Mountpoint", v.mountpoint().toString());
        return o;
    }

    private static JsonObject mountpoint(Path p) {
        JsonObject out = ok();
        out.addProperty("Mountpoint", p == null ? "" : p.toString());
        return out;
    }

    private static JsonObject ok() {
        JsonObject out = new JsonObject();
        out.addProperty("Err", "");
        return out;
    }

    /** An answer that carries only {@code message} in {@code Err}. */
    static JsonObject error(String message) {
        JsonObject out = new JsonObject();
        out.addProperty("Err", message);
        return out;
    }

    private static <T> T parse(JsonElement body, Class<T> type) {
        if (body == null || body instanceof JsonNull || !body.isJsonObject()) {
            throw new JsonParseException("the request body must be a JSON object");
        }
        return GSON.fromJson(body, type);
    }
}
