package io.flocker.cli;

import io.flocker.volume.push.TransferListener;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A one-line progress display for a terminal: bytes, rate, and the time left
 * by the send-space estimate, redrawn at most five times a second.
 */
final class ProgressBar implements TransferListener {
    private final PrintStream out;
    private String what = "";
    private long estimate;
    private long startNanos;
    private long lastDraw;

    public ProgressBar(PrintStream out) {
        this.out = out;
    }

    /** Whether standard error is a terminal (a progress bar there helps; in a log it does not). */
    public static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void started(String what, long estimatedBytes) {
        this.what = what;
        this.estimate = estimatedBytes;
        this.startNanos = System.nanoTime();
        this.lastDraw = 0;
        draw(0, false);
    }

    @Override
    public void progress(long bytes) {
        long now = System.nanoTime();
        if (now - lastDraw < 200_000_000L) return;
        lastDraw = now;
        draw(bytes, false);
    }

    @Override
    public void finished(long bytes) {
        draw(bytes, true);
        out.println();
    }

    private void draw(long bytes, boolean done) {
        double secs = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
        double rate = bytes / secs;
        StringBuilder b = new StringBuilder("\r").append(what).append(": ").append(size(bytes));
        if (estimate > 0) {
            b.append(" of ~").append(size(estimate));
            int pct = (int) Math.min(100, bytes * 100 / estimate);
            b.append(String.format(" %3d%%", done ? 100 : pct));
        }
        b.append("  ").append(size((long) rate)).append("/s");
        if (!done && estimate > bytes && rate > 0) {
            long left = (long) ((estimate - bytes) / rate);
            b.append(String.format("  %d:%02d left", left / 60, left % 60));
        }
        out.print(b.append("    "));
        out.flush();
    }

    static String size(long n) {
        if (n < 1024) return n + " B";
        String[] u = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int i = -1;
        while (v >= 1024 && i < u.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format("%.1f %s", v, u[i]);
    }
}
