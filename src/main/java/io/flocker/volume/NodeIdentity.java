package io.flocker.volume;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * This node's identity: the UUID that owns the volumes it creates, kept in
 * {@code /etc/flocker/volume.json} as {@code {"uuid": "<uuid4>", "version": 1}}
 * (Flocker's format).
 *
 * <p>The file is made on first use, never overwritten: a file that cannot be
 * read, is not that JSON, or has another version is an error naming the file,
 * not a reason to invent a new identity (which would turn every volume this
 * node owns into someone else's).
 *
 * @param uuid the node's UUID
 * @param file where it is kept
 */
public record NodeIdentity(UUID uuid, Path file) {
    /** Where the CLI keeps it unless told otherwise. */
    public static final Path DEFAULT_FILE = Path.of("/etc/flocker/volume.json");
    /** The only format version there is. */
    public static final int VERSION = 1;

    /**
     * Reads the identity in {@code file}, or makes a new one there (and its
     * parent directories) when there is no file. Two processes doing this at
     * once end with the same identity: the file is linked into place whole,
     * and the one that loses reads the winner's.
     *
     * @throws ConfigException naming the file
     */
    public static NodeIdentity load(Path file) {
        Path abs = file.toAbsolutePath();
        NodeIdentity existing = read(abs);
        if (existing != null) return existing;
        return create(abs);
    }

    /** The identity in {@code file}, or null when there is no such file. */
    private static NodeIdentity read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new ConfigException(file, "cannot be read: " + describe(e), e);
        }
        return parse(file, bytes);
    }

    static NodeIdentity parse(Path file, byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(file, "is not JSON (not UTF-8 text)", e);
        }
        if (text.isBlank()) throw new ConfigException(file, "is empty; expected {\"uuid\": \"<uuid>\", \"version\": 1}", null);
        JsonElement json;
        try {
            json = JsonParser.parseString(text);
        } catch (JsonParseException e) {
            throw new ConfigException(file, "is not JSON; expected {\"uuid\": \"<uuid>\", \"version\": 1}", e);
        }
        if (!json.isJsonObject()) {
            throw new ConfigException(file, "is not a JSON object; expected {\"uuid\": \"<uuid>\", \"version\": 1}", null);
        }
        JsonObject o = json.getAsJsonObject();
        JsonElement version = o.get("version");
        if (!(version instanceof JsonPrimitive v && v.isNumber() && v.getAsBigDecimal().equals(java.math.BigDecimal.valueOf(VERSION)))) {
            throw new ConfigException(file, "has version " + (version == null ? "(none)" : version)
                + "; this flocker-volume understands version " + VERSION + " only", null);
        }
        JsonElement uuid = o.get("uuid");
        if (!(uuid instanceof JsonPrimitive u && u.isString() && NodeIds.isCanonical(u.getAsString()))) {
            throw new ConfigException(file, "has no valid \"uuid\" (found " + (uuid == null ? "none" : uuid)
                + "); expected a UUID in canonical form", null);
        }
        return new NodeIdentity(UUID.fromString(uuid.getAsString()), file);
    }

    private static NodeIdentity create(Path file) {
        Path dir = file.getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ConfigException(file, "cannot create its directory " + dir + ": " + describe(e), e);
        }
        NodeIdentity fresh = new NodeIdentity(UUID.randomUUID(), file);
        JsonObject o = new JsonObject();
        o.addProperty("uuid", fresh.uuid().toString());
        o.addProperty("version", VERSION);
        byte[] content = (o + "\n").getBytes(StandardCharsets.UTF_8);
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(content));
                ch.force(true);
            }
            // link(2) never replaces: if another process got there first, we read its file.
            Files.createLink(file, tmp);
            return fresh;
        } catch (FileAlreadyExistsException e) {
            NodeIdentity winner = read(file);
            if (winner == null) throw new ConfigException(file, "vanished while being created", e);
            return winner;
        } catch (IOException e) {
            throw new ConfigException(file, "cannot be created: " + describe(e), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a stray temporary file is harmless; the identity is what matters
                }
            }
        }
    }

    private static String describe(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (e instanceof NoSuchFileException) return "no such file or directory: " + e.getMessage();
        // NIO's messages repeat the path; the reason alone says it.
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) return f.getReason();
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
