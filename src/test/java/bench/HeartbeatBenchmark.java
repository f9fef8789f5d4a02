package bench;

import static io.restassured.RestAssured.given;

import accounts.TestWallet;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import platform.EmbeddedDatabase;
import platform.PackagedApp;

/**
 * Heartbeat ingestion through the real HTTP API of the packaged app: wrk posts heartbeats as node
 * agents do (one request per host, 8 GPUs each, with the operator's API key) for a fleet of
 * minted GPUs, and the figure is heartbeats (GPUs) per second. The app uses an external database
 * that this benchmark starts, so it can arrange the fleet directly. Run with bench/heartbeats.sh.
 */
public final class HeartbeatBenchmark {

    private static final int GPUS_PER_HOST = 8;

    private HeartbeatBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int connections = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        Path work = Files.createTempDirectory("bc-heartbeat-bench");
        try (EmbeddedDatabase database = EmbeddedDatabase.start(work.resolve("pg"), EmbeddedDatabase.Durability.DURABLE);
             PackagedApp app = new PackagedApp(work.resolve("server.log"), Map.of(
                     "BC_DATA_DIR", work.resolve("data").toString(),
                     "BC_DB_URL", database.jdbcUrl(), "BC_DB_USER", "postgres", "BC_DB_PASSWORD", "")).start().awaitReady()) {
            RestAssured.port = app.port();
            TestWallet wallet = TestWallet.random();
            String token = wallet.signIn();
            String key = given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("name", "bench"))
                    .post("/api/me/api-keys").then().statusCode(201).extract().path("key");
            long operatorId = ((Number) given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("name", "Bench"))
                    .post("/api/operators").then().statusCode(201).extract().path("id")).longValue();
            long poolId = ((Number) given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of(
                            "operatorId", operatorId, "name", "Bench pool", "mode", "SELF", "modelId", "h100-sxm", "region", "bench",
                            "prices", Map.of("spotUsdPerHour", "1", "onDemandUsdPerHour", "2"),
                            "shares", Map.of("operatorBps", 1000, "poolBps", 6000, "usedGpuBps", 3000),
                            "noticePeriodHours", 1,
                            "policy", Map.of("minUptimePercent", "90", "windowHours", 24, "maxFailures", 5, "warningGraceHours", 24)))
                    .post("/api/pools").then().statusCode(201).extract().path("id")).longValue();

            List<List<String>> fleet = arrangeFleet(database.jdbcUrl(), operatorId, poolId, hosts);
            Path script = work.resolve("heartbeats.lua");
            Files.writeString(script, luaScript(fleet, key));

            String url = app.url() + "/api/agent/heartbeats";
            wrk(script, url, 5, connections); // warm-up: JIT, caches
            String report = wrk(script, url, seconds, connections);
            double requests = number(report, "Requests/sec:\\s+([0-9.]+)");
            Matcher errors = Pattern.compile("Non-2xx or 3xx responses: (\\d+)").matcher(report);
            Thread.sleep(2000); // one flush interval and then some
            long counted = countedGpus(database.jdbcUrl());
            System.out.println(report);
            System.out.printf("%d hosts x %d GPUs, %d connections, %d s: %.0f requests/s = %.0f heartbeats/s; non-2xx: %s;"
                            + " GPUs with uptime recorded: %d of %d%n",
                    hosts, GPUS_PER_HOST, connections, seconds, requests, requests * GPUS_PER_HOST,
                    errors.find() ? errors.group(1) : "0", counted, hosts * GPUS_PER_HOST);
            app.stop();
        }
        System.exit(0);
    }

    /** Minted GPUs straight into the database: the state certification and minting would leave. */
    private static List<List<String>> arrangeFleet(String jdbcUrl, long operatorId, long poolId, int hosts) throws Exception {
        List<List<String>> fleet = new ArrayList<>();
        try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", "");
             PreparedStatement insert = db.prepareStatement("""
                     insert into pools_gpu (id, pool_id, operator_id, host_name, serial_number, gpu_uuid, status, registered_at, updated_at)
                     values (nextval('pools_gpu_id_seq'), ?, ?, ?, ?, ?, 'MINTED', now(), now())""")) {
            for (int h = 0; h < hosts; h++) {
                List<String> host = new ArrayList<>();
                for (int g = 0; g < GPUS_PER_HOST; g++) {
                    String uuid = "GPU-" + UUID.randomUUID();
                    insert.setLong(1, poolId);
                    insert.setLong(2, operatorId);
                    insert.setString(3, "host-" + h);
                    insert.setString(4, "SN-" + h + "-" + g);
                    insert.setString(5, uuid);
                    insert.addBatch();
                    host.add(uuid);
                }
                fleet.add(host);
            }
            insert.executeBatch();
        }
        return fleet;
    }

    private static String luaScript(List<List<String>> fleet, String key) {
        StringBuilder lua = new StringBuilder("local bodies = {\n");
        for (List<String> host : fleet) {
            lua.append("  '{\"gpus\":[").append(String.join(",", host.stream().map(u -> "\"" + u + "\"").toList())).append("]}',\n");
        }
        lua.append("}\n")
                .append("local n = 0\n")
                .append("local headers = { [\"Content-Type\"] = \"application/json\", [\"Authorization\"] = \"Bearer ").append(key).append("\" }\n")
                .append("request = function()\n")
                .append("  n = n + 1\n")
                .append("  return wrk.format(\"POST\", nil, headers, bodies[(n % #bodies) + 1])\n")
                .append("end\n");
        return lua.toString();
    }

    private static String wrk(Path script, String url, int seconds, int connections) throws Exception {
        Process wrk = new ProcessBuilder("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "--latency", "-s", script.toString(), url)
                .redirectErrorStream(true).start();
        String output = new String(wrk.getInputStream().readAllBytes());
        wrk.waitFor(seconds + 30L, TimeUnit.SECONDS);
        return output;
    }

    private static double number(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        if (!matcher.find()) {
            throw new IllegalStateException("wrk said:\n" + text);
        }
        return Double.parseDouble(matcher.group(1));
    }

    private static long countedGpus(String jdbcUrl) throws Exception {
        try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", "");
             ResultSet rows = db.createStatement().executeQuery("select count(distinct gpu_id) from pools_uptime")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
