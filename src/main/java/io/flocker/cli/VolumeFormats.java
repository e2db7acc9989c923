package io.flocker.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.flocker.volume.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How {@code list} prints volumes: a table for people, JSON for programs. */
final class VolumeFormats {
    private static final String[] HEADER = {"NAME", "UUID", "OWNED", "READONLY", "USED", "MOUNT PATH", "MOUNTPOINT"};

    private VolumeFormats() {}

    static String json(List<Volume> volumes) {
        JsonArray a = new JsonArray();
        for (Volume v : volumes) {
            JsonObject o = new JsonObject();
            o.addProperty("uuid", v.owner().toString());
            o.addProperty("name", v.name().value());
            o.addProperty("dataset", v.dataset());
            o.addProperty("mountpoint", v.mountpoint() == null ? null : v.mountpoint().toString());
            o.addProperty("mount_path", v.mountPath() == null ? null : v.mountPath().toString());
            o.addProperty("owned", v.owned());
            o.addProperty("readonly", v.readOnly());
            o.addProperty("used", v.used());
            a.add(o);
        }
        return new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create().toJson(a) + "\n";
    }

    static String table(List<Volume> volumes) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (Volume v : volumes) {
            rows.add(new String[] {v.name().value(), v.owner().toString(), v.owned() ? "yes" : "no",
                v.readOnly() ? "yes" : "no", human(v.used()), v.mountPath() == null ? "-" : v.mountPath().toString(),
                v.mountpoint() == null ? "-" : v.mountpoint().toString()});
        }
        int[] width = new int[HEADER.length];
        for (String[] r : rows) for (int i = 0; i < r.length; i++) width[i] = Math.max(width[i], r[i].length());
        StringBuilder b = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                b.append(r[i]);
                if (i < r.length - 1) b.append(" ".repeat(width[i] - r[i].length() + 2));
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** Bytes the way zfs list shows them: 512, 24K, 1.50M. */
    static String human(long bytes) {
        if (bytes < 1024) return Long.toString(bytes);
        String units = "KMGTPE";
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length() - 1) {
            v /= 1024;
            u++;
        }
        String n = v >= 100 ? String.format(Locale.ROOT, "%.0f", v)
            : v >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
        if (n.contains(".")) n = n.replaceAll("0+$", "").replaceAll("\\.$", "");
        return n + units.charAt(u);
    }
}
