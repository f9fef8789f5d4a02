package bench;

import accounts.TestWallet;
import accounts.WalletAddress;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import credits.DataCredits;
import credits.RewardShares;
import credits.Scenario;
import credits.Settlement;
import credits.SettlementResult;
import credits.TokenAmount;
import io.restassured.RestAssured;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The settlement simulator on a large network (goal: 100,000 GPUs in 2,000 pools in under 1 s).
 * Not a test: run it with bench/settlement.sh, which also starts the app for the HTTP part.
 *
 * <pre>
 * bench.SettlementBench [--gpus 100000] [--pools 2000] [--runs 9] [--url http://localhost:18182]
 * </pre>
 * Without {@code --url} it times the engine in-process; with it, only the HTTP endpoint of the app
 * running there (so that the two are not timed while the other JVM competes for the cores).
 */
public final class SettlementBench {

    private static final long SEED = 20261126L;
    private static final int HOLDERS = 10_000;
    /** About a day's emission of a 10^9-token yearly schedule, in base units (18 decimals). */
    private static final BigInteger EMISSION = new BigInteger("2739726027397260273972602");

    /** One GPU's raw values, as a request carries them. */
    public record RawGpu(String id, String holder, long onlineSeconds, long dcConsumed) {
    }

    public record RawPool(String id, int operatorBps, int poolBps, int usedGpuBps, String operatorHolder, List<RawGpu> gpus) {
    }

    public static void main(String[] args) throws Exception {
        int gpus = intArg(args, "--gpus", 100_000);
        int pools = intArg(args, "--pools", 2_000);
        int runs = intArg(args, "--runs", 9);
        String url = stringArg(args, "--url", null);

        List<RawPool> network = network(gpus, pools);
        System.out.printf(Locale.ROOT, "network: %,d GPUs in %,d pools, emission %s, Java %s, %d cores%n",
                gpus, pools, EMISSION, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());

        Scenario scenario = scenario(network);
        SettlementResult expected = Settlement.settle(scenario);
        System.out.printf(Locale.ROOT, "result: totalDc %,d, minted %s, remainder %s, %,d payouts%n",
                expected.totalDc().value(), expected.minted(), expected.remainder(), expected.payouts().size());

        if (url == null) {
            report("engine (Settlement.settle)", time(20, runs, () -> Settlement.settle(scenario)));
            report("scenario + engine", time(10, runs, () -> Settlement.settle(scenario(network))));
        } else {
            http(URI.create(url), network, expected, 5, runs);
        }
    }

    /** A seeded network: pools of equal size, shared holders, mostly busy and online GPUs. */
    public static List<RawPool> network(int gpuCount, int poolCount) {
        Random random = new Random(SEED);
        String[] holders = new String[HOLDERS];
        for (int i = 0; i < HOLDERS; i++) {
            holders[i] = address(random);
        }
        List<RawPool> pools = new ArrayList<>(poolCount);
        int perPool = gpuCount / poolCount;
        int gpuNumber = 0;
        for (int p = 0; p < poolCount; p++) {
            int size = p < gpuCount % poolCount ? perPool + 1 : perPool;
            List<RawGpu> gpus = new ArrayList<>(size);
            for (int g = 0; g < size; g++) {
                int online = random.nextInt(100);
                long seconds = online < 90 ? 86_400 : online < 95 ? 1 + random.nextInt(86_399) : 0;
                long dc = random.nextInt(10) < 3 ? 0 : 1 + random.nextInt(20_000_000);
                gpus.add(new RawGpu("g" + gpuNumber++, holders[random.nextInt(HOLDERS)], seconds, dc));
            }
            int operator = 500 + random.nextInt(1_500);
            int used = 1_000 + random.nextInt(3_000);
            pools.add(new RawPool("p" + p, operator, 10_000 - operator - used, used, address(random), gpus));
        }
        return pools;
    }

    static Scenario scenario(List<RawPool> network) {
        List<Scenario.Pool> pools = new ArrayList<>(network.size());
        for (RawPool pool : network) {
            List<Scenario.Gpu> gpus = new ArrayList<>(pool.gpus().size());
            for (RawGpu gpu : pool.gpus()) {
                gpus.add(new Scenario.Gpu(gpu.id(), WalletAddress.of(gpu.holder()), gpu.onlineSeconds(), DataCredits.of(gpu.dcConsumed())));
            }
            pools.add(new Scenario.Pool(pool.id(), RewardShares.of(pool.operatorBps(), pool.poolBps(), pool.usedGpuBps()),
                    WalletAddress.of(pool.operatorHolder()), gpus));
        }
        return new Scenario(new TokenAmount(EMISSION), pools);
    }

    public static String json(List<RawPool> network) {
        StringBuilder json = new StringBuilder(16 << 20);
        json.append("{\"emission\":\"").append(EMISSION).append("\",\"pools\":[");
        for (int p = 0; p < network.size(); p++) {
            RawPool pool = network.get(p);
            json.append(p == 0 ? "" : ",").append("{\"id\":\"").append(pool.id())
                    .append("\",\"operatorBps\":").append(pool.operatorBps())
                    .append(",\"poolBps\":").append(pool.poolBps())
                    .append(",\"usedGpuBps\":").append(pool.usedGpuBps())
                    .append(",\"operatorHolder\":\"").append(pool.operatorHolder()).append("\",\"gpus\":[");
            for (int g = 0; g < pool.gpus().size(); g++) {
                RawGpu gpu = pool.gpus().get(g);
                json.append(g == 0 ? "" : ",").append("{\"id\":\"").append(gpu.id())
                        .append("\",\"holder\":\"").append(gpu.holder())
                        .append("\",\"onlineSeconds\":").append(gpu.onlineSeconds())
                        .append(",\"dcConsumed\":").append(gpu.dcConsumed()).append('}');
            }
            json.append("]}");
        }
        return json.append("]}").toString();
    }

    static void http(URI base, List<RawPool> network, SettlementResult expected, int warmup, int runs) throws Exception {
        RestAssured.baseURI = base.getScheme() + "://" + base.getHost();
        RestAssured.port = base.getPort();
        String token = TestWallet.random().signIn();
        byte[] body = json(network).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/epochs/simulate"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();

        HttpResponse<byte[]> first = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (first.statusCode() != 200) {
            throw new IllegalStateException("POST /api/epochs/simulate answered " + first.statusCode() + ": "
                    + new String(first.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        JsonNode answer = new ObjectMapper().readTree(first.body());
        if (!answer.get("minted").asText().equals(expected.minted().toString())
                || answer.get("gpus").size() != expected.gpus().size()) {
            throw new IllegalStateException("the endpoint and the engine disagree: minted " + answer.get("minted"));
        }
        System.out.printf(Locale.ROOT, "http: request body %.1f MB, response body %.1f MB, same minted as the engine%n",
                body.length / 1e6, first.body().length / 1e6);

        report("HTTP POST /api/epochs/simulate", time(warmup, runs, () -> {
            try {
                HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("status " + response.statusCode());
                }
                return response;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }));
    }

    /** Milliseconds of each measured run, after the warm-up runs. */
    static double[] time(int warmup, int runs, Supplier<?> work) {
        for (int i = 0; i < warmup; i++) {
            work.get();
        }
        double[] millis = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            Object result = work.get();
            millis[i] = (System.nanoTime() - start) / 1e6;
            if (result == null) {
                throw new IllegalStateException("no result");
            }
        }
        return millis;
    }

    static void report(String what, double[] millis) {
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        StringBuilder runs = new StringBuilder();
        for (double m : millis) {
            runs.append(String.format(Locale.ROOT, " %.0f", m));
        }
        System.out.printf(Locale.ROOT, "%-32s runs (ms):%s; median %.0f ms, min %.0f ms, max %.0f ms%n",
                what, runs, median, sorted[0], sorted[sorted.length - 1]);
    }

    private static String address(Random random) {
        StringBuilder hex = new StringBuilder("0x");
        for (int i = 0; i < 40; i++) {
            hex.append(Character.forDigit(random.nextInt(16), 16));
        }
        return hex.toString();
    }

    private static int intArg(String[] args, String name, int fallback) {
        String value = stringArg(args, name, null);
        return value == null ? fallback : Integer.parseInt(value);
    }

    private static String stringArg(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
