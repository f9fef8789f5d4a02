package platform;

import static io.restassured.RestAssured.given;

import accounts.TestWallet;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.http.ContentType;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The people and things the API sweep and the authorization matrix act on, made through the real
 * API: a customer, the owner (an operator with a self-run pool holding a GPU, and a distributed
 * pool with a pending member), an operator of another pool, and the admin of the test profile.
 * Also reads the app's OpenAPI document and digests the database, table by table.
 */
public final class ApiWorld {

    /** Who asks. OWNER is whoever owns what the operation acts on. */
    public enum Role { ANONYMOUS, CUSTOMER, OTHER_OPERATOR, ADMIN, OWNER }

    /** A signed-in wallet; {@code operatorId} when it has become an operator. */
    public record Party(TestWallet wallet, String token, Long operatorId) {
        public String address() {
            return wallet.address();
        }

        /** The same wallet with a fresh session. */
        public Party signedIn() {
            return new Party(wallet, wallet.signIn(), operatorId);
        }
    }

    public final Party customer;
    public final Party owner;
    public final Party other;
    public final Party member;
    public final Party admin;
    public final long selfPool;
    public final long distributedPool;
    public final long otherPool;
    public final long gpuId;
    public final String gpuUuid;

    private ApiWorld() {
        customer = new Party(TestWallet.random(), null, null).signedIn();
        owner = operator();
        selfPool = pool(owner, "SELF");
        distributedPool = pool(owner, "DISTRIBUTED");
        gpuUuid = newGpuUuid();
        gpuId = gpu(owner, selfPool, gpuUuid);
        other = operator();
        otherPool = pool(other, "SELF");
        member = operator();
        given().auth().oauth2(member.token()).contentType(ContentType.JSON)
                .body(Map.of("operatorId", member.operatorId(), "message", "Let me in"))
                .post("/api/pools/" + distributedPool + "/members").then().statusCode(201);
        admin = new Party(TestWallet.ADMIN, TestWallet.ADMIN.signIn(), null);
    }

    public static ApiWorld create() {
        return new ApiWorld();
    }

    /** The party of a role, null for the anonymous caller. */
    public Party party(Role role) {
        return switch (role) {
            case ANONYMOUS -> null;
            case CUSTOMER -> customer;
            case OTHER_OPERATOR -> other;
            case ADMIN -> admin;
            case OWNER -> owner;
        };
    }

    public static String newGpuUuid() {
        return "GPU-" + UUID.randomUUID();
    }

    static Party operator() {
        Party party = new Party(TestWallet.random(), null, null).signedIn();
        long id = ((Number) given().auth().oauth2(party.token()).contentType(ContentType.JSON)
                .body(Map.of("name", "Op " + party.address().substring(2, 8)))
                .post("/api/operators").then().statusCode(201).extract().path("id")).longValue();
        return new Party(party.wallet(), party.token(), id);
    }

    public static Map<String, Object> poolBody(long operatorId, String mode) {
        return Map.of(
                "operatorId", operatorId,
                "name", "Sweep pool",
                "mode", mode,
                "modelId", "h100-sxm",
                "region", "eu-central",
                "prices", Map.of("spotUsdPerHour", "1.20", "onDemandUsdPerHour", "2.00",
                        "reserved", List.of(Map.of("termDays", 30, "usdPerHour", "1.80"))),
                "shares", Map.of("operatorBps", 1000, "poolBps", 6000, "usedGpuBps", 3000),
                "noticePeriodHours", 72,
                "policy", Map.of("minUptimePercent", "95", "windowHours", 24, "maxFailures", 3, "warningGraceHours", 24));
    }

    static long pool(Party op, String mode) {
        return ((Number) given().auth().oauth2(op.token()).contentType(ContentType.JSON).body(poolBody(op.operatorId(), mode))
                .post("/api/pools").then().statusCode(201).extract().path("id")).longValue();
    }

    public static Map<String, Object> gpuBody(long operatorId, String uuid) {
        return Map.of("operatorId", operatorId, "hostName", "host-1", "serialNumber", "SN-" + uuid.substring(4, 12), "uuid", uuid);
    }

    static long gpu(Party op, long poolId, String uuid) {
        return ((Number) given().auth().oauth2(op.token()).contentType(ContentType.JSON).body(gpuBody(op.operatorId(), uuid))
                .post("/api/pools/" + poolId + "/gpus").then().statusCode(201).extract().path("id")).longValue();
    }

    /** A new API key of the party; its id. */
    public static String newApiKey(Party party) {
        return given().auth().oauth2(party.token()).contentType(ContentType.JSON).body(Map.of("name", "key"))
                .post("/api/me/api-keys").then().statusCode(201).extract().path("id");
    }

    /** A new host key of the party; its id. */
    public static String newHostKey(Party party) {
        return given().auth().oauth2(party.token()).contentType(ContentType.JSON)
                .body(Map.of("address", TestWallet.random().address(), "label", "host"))
                .post("/api/gpu/host-keys").then().statusCode(201).extract().path("id");
    }

    /** A certification session the party opened for a new pretend H100, waiting for its first ping; its id. */
    public static String newProofSession(Party party) {
        return given().auth().oauth2(party.token()).contentType(ContentType.JSON)
                .body(Map.of("gpus", List.of(Map.of("uuid", newGpuUuid(), "model", "h100-sxm"))))
                .post("/api/gpu/sessions").then().statusCode(201).extract().path("id");
    }

    /** A certificate of a new pretend H100 of the party; its hash. */
    public static String newCertificate(Party party) {
        return gpu.FakeGpu.certifyH100(party.wallet(), party.token(), newGpuUuid());
    }

    /** The app's OpenAPI document. */
    public static JsonNode openApi() {
        try {
            return new ObjectMapper().readTree(given().get("/q/openapi?format=json").then().statusCode(200).extract().asString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** "POST /api/pools/{id}/gpus" for every operation of the document. */
    public static List<String> operations(JsonNode document) {
        List<String> operations = new ArrayList<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (List.of("get", "put", "post", "delete", "patch", "head", "options").contains(method)) {
                operations.add(method.toUpperCase() + " " + path.getKey());
            }
        }));
        return operations;
    }

    /** A page's CSRF cookie and form token, as a browser holds them after loading a page with a form. */
    public record Csrf(String cookie, String token) {
    }

    private static final Pattern CSRF_INPUT = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");

    public static Csrf csrf(Party signedIn) {
        io.restassured.response.Response page = given().cookie("bc_session", signedIn.token()).accept("text/html").get("/account");
        Matcher m = CSRF_INPUT.matcher(page.asString());
        if (!m.find() || page.getCookie("bc_csrf") == null) {
            throw new IllegalStateException("No CSRF token on /account: " + page.statusCode());
        }
        return new Csrf(page.getCookie("bc_csrf"), m.group(1));
    }

    /** Every table's row count and a digest of its rows, by name ("pools_pool" → "3 rows, hash sum …"). */
    public static Map<String, String> digest(List<String> excluded) {
        Map<String, String> settings = EmbeddedPostgresResource.jdbcSettings();
        Map<String, String> digest = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(settings.get("quarkus.datasource.jdbc.url"),
                settings.getOrDefault("quarkus.datasource.username", "postgres"),
                settings.getOrDefault("quarkus.datasource.password", ""));
             Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("select table_name from information_schema.tables "
                    + "where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                if (excluded.contains(table) || table.startsWith("flyway_")) {
                    continue;
                }
                // a sum of the rows' 64-bit hashes: the same for the same rows in any order, without sorting the table
                try (ResultSet rs = s.executeQuery("select count(*), coalesce(sum(hashtextextended(t::text, 0)), 0) from " + table + " t")) {
                    rs.next();
                    digest.put(table, rs.getLong(1) + " rows, hash sum " + rs.getString(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return digest;
    }

    /** The digest once the background work of earlier requests (relay, event sync) has settled. */
    public static Map<String, String> settledDigest(List<String> excluded) {
        Map<String, String> before = digest(excluded);
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            sleep(300);
            Map<String, String> now = digest(excluded);
            if (now.equals(before)) {
                sleep(300);
                Map<String, String> again = digest(excluded);
                if (again.equals(now)) {
                    return again;
                }
                now = again;
            }
            before = now;
        }
        return before;
    }

    /** The tables whose digest differs. */
    public static List<String> changed(Map<String, String> before, Map<String, String> after) {
        List<String> changed = new ArrayList<>();
        for (String table : after.keySet()) {
            if (!after.get(table).equals(before.get(table))) {
                changed.add(table + " (" + before.get(table) + " -> " + after.get(table) + ")");
            }
        }
        return changed;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
