package io.flocker.bench;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What bench/plugin runs (in the test guest, with our plugin serving as
 * driver {@code args[0]}): {@code docker volume create} through the plugin
 * against Docker's built-in local driver, alternating rounds in one run so
 * that both see the same machine. Timed twice: through the docker command,
 * as users type it (the ratio the goal is about), and through the Engine API
 * alone, which leaves out the command's own start and shows the plugin's
 * share more plainly.
 */
public final class PluginBench {
    private static final int ROUNDS = 5;
    private static final int PER_ROUND = 10;

    private PluginBench() {}

    public static void main(String[] args) throws Exception {
        String driver = args[0];
        long[] cliPlugin = new long[ROUNDS], cliLocal = new long[ROUNDS];
        long[] apiPlugin = new long[ROUNDS], apiLocal = new long[ROUNDS];
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
        try (DockerClient api = DockerClientImpl.getInstance(config,
                new ZerodepDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build())) {
            // Warm both paths (dockerd's plugin lookup, the plugin's JIT) before timing.
            for (String d : List.of(driver, "local")) {
                for (int i = 0; i < 3; i++) cli("volume", "create", "-d", d, "warm-" + d + "-" + i);
            }
            for (int r = 0; r < ROUNDS; r++) {
                // Alternate which driver goes first, so that neither always follows the other's clean-up.
                List<String> order = r % 2 == 0 ? List.of(driver, "local") : List.of("local", driver);
                for (String d : order) {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < PER_ROUND; i++) cli("volume", "create", "-d", d, name("cli", d, r, i));
                    long t1 = System.nanoTime();
                    for (int i = 0; i < PER_ROUND; i++) {
                        api.createVolumeCmd().withDriver(d).withName(name("api", d, r, i)).exec();
                    }
                    long t2 = System.nanoTime();
                    if (d.equals("local")) {
                        cliLocal[r] = t1 - t0;
                        apiLocal[r] = t2 - t1;
                    } else {
                        cliPlugin[r] = t1 - t0;
                        apiPlugin[r] = t2 - t1;
                    }
                }
                removeAll(api, driver);
            }
        }
        report("docker volume create (command)", cliPlugin, cliLocal);
        report("Engine API POST /volumes/create", apiPlugin, apiLocal);
        System.out.printf(Locale.ROOT, "RATIO plugin_create_over_local_driver=%.2f plugin_create_over_local_driver_api=%.2f%n",
            median(cliPlugin) / median(cliLocal), median(apiPlugin) / median(apiLocal));
    }

    private static String name(String how, String driver, int round, int i) {
        return "bench-" + how + "-" + (driver.equals("local") ? "local" : "plugin") + "-" + round + "-" + i;
    }

    private static void removeAll(DockerClient api, String driver) throws IOException, InterruptedException {
        List<String> names = new ArrayList<>(List.of("volume", "rm", "-f"));
        api.listVolumesCmd().exec().getVolumes().stream()
            .filter(v -> v.getDriver().equals(driver) || v.getName().startsWith("bench-") || v.getName().startsWith("warm-"))
            .forEach(v -> names.add(v.getName()));
        if (names.size() > 3) cli(names.toArray(String[]::new));
    }

    private static void cli(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
    }

    private static void report(String what, long[] plugin, long[] local) {
        System.out.printf(Locale.ROOT, "%s, ms per volume (median of %d rounds of %d): plugin %.1f, local %.1f%n",
            what, ROUNDS, PER_ROUND, median(plugin) / PER_ROUND / 1e6, median(local) / PER_ROUND / 1e6);
    }

    private static double median(long[] xs) {
        long[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    }
}
