package platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import accounts.TestWallet;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import platform.ApiWorld.Party;
import platform.ApiWorld.Role;

/**
 * Bad input everywhere, by construction: reads the app's own OpenAPI document and, for every
 * operation, sends bad parameters and bodies (wrong types, missing and null fields, huge numbers
 * and strings, negative values, NUL and control characters, deep nesting, empty, malformed and
 * wrongly typed bodies) as anonymous, as a customer and as an operator of another pool. Each answer
 * must be below 500, a problem-details body for every 4xx, naming the field for a 400; and the
 * database (row count and digest of every table) must be as before. It fails for an operation of
 * the document that {@link #COVERAGE} does not list, and for a listed one that is gone.
 */
@QuarkusTest
@TestProfile(ApiSweepTest.NoScheduledJobs.class)
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class ApiSweepTest {

    /**
     * The sweep compares every table before and after each request, so nothing else may write
     * meanwhile: the scheduled jobs (a GPU of an earlier test going offline, the market metering an
     * earlier test's rental) are off in this run.
     */
    public static class NoScheduledJobs implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.scheduler.enabled", "false");
        }
    }

    /** Tables that change on any request by design, left out of the digest; none today. */
    static final Map<String, String> EXCLUDED_TABLES = Map.of();

    /** How an operation is swept. */
    record Sweep(boolean generated, boolean actsWhenCalled, Function<ApiWorld, Map<String, String>> pathValues,
                 Function<ApiWorld, Object> validBody) {
        /** Parameters and body generated from the document; path values that name real things; a valid body to spoil. */
        static Sweep generated(Function<ApiWorld, Map<String, String>> pathValues, Function<ApiWorld, Object> validBody) {
            return new Sweep(true, false, pathValues, validBody);
        }

        static Sweep generated(Function<ApiWorld, Map<String, String>> pathValues) {
            return generated(pathValues, w -> null);
        }

        /** Nothing to spoil but the request's shape (an unexpected body, content type, query); safe to repeat. */
        static Sweep noInput() {
            return new Sweep(false, false, w -> Map.of(), w -> null);
        }

        /** No input, and a signed-in call acts (issues, signs out): swept as anonymous only. */
        static Sweep noInputActs() {
            return new Sweep(false, true, w -> Map.of(), w -> null);
        }
    }

    private static Map<String, String> pool(ApiWorld w) {
        return Map.of("id", String.valueOf(w.selfPool));
    }

    private static Map<String, String> member(ApiWorld w) {
        return Map.of("id", String.valueOf(w.distributedPool), "operatorId", String.valueOf(w.member.operatorId()));
    }

    private static final Map<ApiWorld, String> PROOF_SESSIONS = new java.util.IdentityHashMap<>();

    private static Map<String, String> proofSession(ApiWorld w) {
        return Map.of("id", PROOF_SESSIONS.computeIfAbsent(w, world -> ApiWorld.newProofSession(world.owner)));
    }

    private static Map<String, String> gpu(ApiWorld w) {
        return Map.of("id", String.valueOf(w.gpuId));
    }

    /** A reservation of the world's pool with a workload: the sweep's callers hold no DCs, so even unspoilt it is refused (402). */
    private static Map<String, Object> marketOrder(ApiWorld w) {
        Instant start = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.HOURS).plus(Duration.ofHours(2));
        return map("poolId", w.selfPool, "kind", "RESERVED", "gpus", 1, "start", start.toString(), "end", start.plus(Duration.ofHours(1)).toString(),
                "workload", map("image", "docker.io/library/ubuntu:24.04", "sshPublicKey", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA sweep@x",
                        "env", map("MODE", "sweep")));
    }

    private static Map<String, Object> map(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    /** A browser's answer to a passkey ceremony in shape, which no challenge asked for: refused (401) even unspoilt. */
    private static final Map<String, Object> PASSKEY_ANSWER = map("id", "AAAA", "rawId", "AAAA", "type", "public-key",
            "response", map("clientDataJSON", "e30", "attestationObject", "oA", "authenticatorData", "AA", "signature", "AA"));

    /** Every operation of the document and how it is swept. */
    static final Map<String, Sweep> COVERAGE = new LinkedHashMap<>();

    static {
        COVERAGE.put("GET /api/admin/accounts", Sweep.noInput());
        COVERAGE.put("GET /api/admin/chain/effects", Sweep.generated(w -> Map.of()));
        COVERAGE.put("POST /api/admin/chain/token-mints", Sweep.generated(w -> Map.of(),
                w -> map("mints", List.of(map("to", w.customer.address(), "amount", "1", "key", "sweep")))));
        COVERAGE.put("POST /api/agent/heartbeats", Sweep.generated(w -> Map.of(), w -> map("gpus", List.of(w.gpuUuid),
                "workloads", List.of(map("leaseId", "lease-1", "state", "RUNNING", "reason", "started",
                        "endpoint", "gpu-7.dc.example:49153")))));
        COVERAGE.put("GET /api/agent/leases", Sweep.noInput());
        COVERAGE.put("POST /api/auth/message", Sweep.generated(w -> Map.of(), w -> map("address", TestWallet.random().address())));
        COVERAGE.put("GET /api/auth/nonce", Sweep.noInputActs());
        COVERAGE.put("POST /api/auth/signout", Sweep.noInputActs());
        COVERAGE.put("POST /api/auth/siwe", Sweep.generated(w -> Map.of(), w -> {
            TestWallet wallet = TestWallet.random();
            String message = wallet.message(TestWallet.terms(), Instant.now(), Duration.ofMinutes(5));
            return map("message", message, "signature", wallet.sign(message));
        }));
        COVERAGE.put("POST /api/passkeys/registration/options", Sweep.generated(w -> Map.of(), w -> map("displayName", "Ada")));
        COVERAGE.put("POST /api/passkeys/registration", Sweep.generated(w -> Map.of(), w -> map("handle",
                "new-00000000-0000-0000-0000-000000000000", "credential", PASSKEY_ANSWER)));
        COVERAGE.put("POST /api/passkeys/sign-in/options", Sweep.noInput());
        COVERAGE.put("POST /api/passkeys/sign-in", Sweep.generated(w -> Map.of(), w -> map("credential", PASSKEY_ANSWER)));
        COVERAGE.put("POST /api/passkeys/recovery", Sweep.generated(w -> Map.of(), w -> map("address", TestWallet.random().address(),
                "code", "MFRG-GZDF-MZTW-Q2LK-NNWG-23TP-OA")));
        COVERAGE.put("GET /api/chain", Sweep.noInput());
        // managed wallets: the sweep's callers are wallet accounts, refused (403) even unspoilt, but for read-only calls
        COVERAGE.put("POST /api/wallet/acts", Sweep.generated(w -> Map.of(), w -> map("to", AuthorizationMatrixTest.contract("TimeSlotNFT"),
                "data", AuthorizationMatrixTest.WALLET_SPLIT)));
        COVERAGE.put("GET /api/wallet/acts", Sweep.generated(w -> Map.of()));
        COVERAGE.put("GET /api/wallet/acts/{key}", Sweep.generated(w -> Map.of("key",
                "wallet-" + w.customer.address().toLowerCase(java.util.Locale.ROOT) + "-" + java.util.UUID.randomUUID())));
        COVERAGE.put("POST /api/wallet/withdrawal", Sweep.noInput());
        COVERAGE.put("POST /api/wallet/calls", Sweep.generated(w -> Map.of(), w -> map("to", AuthorizationMatrixTest.contract("BerkeleyToken"),
                "data", "0x70a08231" + "0".repeat(24) + w.customer.address().substring(2).toLowerCase(java.util.Locale.ROOT))));
        COVERAGE.put("GET /api/me/linked-wallet", Sweep.noInput());
        COVERAGE.put("POST /api/me/linked-wallet/message", Sweep.generated(w -> Map.of(), w -> map("address", TestWallet.random().address())));
        COVERAGE.put("PUT /api/me/linked-wallet", Sweep.generated(w -> Map.of(), w -> {
            TestWallet wallet = TestWallet.random();
            String message = wallet.message(TestWallet.terms(), Instant.now(), Duration.ofMinutes(5));
            return map("message", message, "signature", wallet.sign(message));
        }));
        COVERAGE.put("DELETE /api/me/linked-wallet", Sweep.noInput());
        COVERAGE.put("GET /api/chain/metadata/{kind}/{tokenId}", Sweep.generated(w -> Map.of("kind", "operator", "tokenId",
                String.valueOf(w.owner.operatorId()))));
        COVERAGE.put("GET /api/chain/tokens/{kind}/{tokenId}", Sweep.generated(w -> Map.of("kind", "operator", "tokenId",
                String.valueOf(w.owner.operatorId()))));
        COVERAGE.put("GET /api/credits/balance", Sweep.noInput());
        COVERAGE.put("GET /api/credits/ledger", Sweep.generated(w -> Map.of()));
        COVERAGE.put("GET /api/credits/card", Sweep.noInput());
        COVERAGE.put("POST /api/credits/checkout", Sweep.generated(w -> Map.of(), w -> map("usd", "25.00")));
        // never signed by the sweep: every body is refused (400) before it is read as an event
        COVERAGE.put("POST /api/credits/stripe/webhook", Sweep.generated(w -> Map.of(), w -> map("id", "evt_sweep", "object", "event",
                "type", "checkout.session.completed", "data", map("object", map("id", "cs_sweep", "payment_status", "paid")))));
        COVERAGE.put("PUT /api/admin/credits/price", Sweep.generated(w -> Map.of(), w -> map("usdPerToken", "0.25")));
        COVERAGE.put("GET /api/credits/burns", Sweep.generated(w -> Map.of()));
        COVERAGE.put("POST /api/credits/faucet", Sweep.noInputActs());
        COVERAGE.put("GET /api/credits/price", Sweep.noInput());
        COVERAGE.put("GET /api/credits/price/history", Sweep.generated(w -> Map.of()));
        COVERAGE.put("POST /api/credits/quote", Sweep.generated(w -> Map.of(), w -> map("tokens", "1000000000000000000")));
        COVERAGE.put("GET /api/epochs", Sweep.generated(w -> Map.of()));
        COVERAGE.put("GET /api/epochs/schedule", Sweep.noInput());
        COVERAGE.put("GET /api/epochs/{epoch}", Sweep.generated(w -> Map.of("epoch", "0")));
        COVERAGE.put("GET /api/epochs/{epoch}/claims/{address}", Sweep.generated(w -> Map.of("epoch", "0", "address", w.customer.address())));
        COVERAGE.put("POST /api/epochs/simulate", Sweep.generated(w -> Map.of(), w -> {
            String holder = "0x" + "ab".repeat(20);
            return map("emission", "1000", "pools", List.of(map("id", "p1", "operatorBps", 1000, "poolBps", 6000, "usedGpuBps", 3000,
                    "operatorHolder", holder, "gpus", List.of(map("id", "g1", "holder", holder, "onlineSeconds", 3600, "dcConsumed", 10)))));
        }));
        COVERAGE.put("GET /api/gpu/certificates", Sweep.noInput());
        COVERAGE.put("GET /api/gpu/certificates/{hash}", Sweep.generated(w -> Map.of("hash", "0x" + "ab".repeat(32))));
        COVERAGE.put("DELETE /api/gpu/certificates/{hash}", Sweep.generated(w -> Map.of("hash", "0x" + "ab".repeat(32))));
        COVERAGE.put("POST /api/gpu/challenges", Sweep.noInputActs());
        COVERAGE.put("GET /api/gpu/host-keys", Sweep.noInput());
        COVERAGE.put("POST /api/gpu/host-keys", Sweep.generated(w -> Map.of(),
                w -> map("address", TestWallet.random().address(), "label", "sweep host")));
        COVERAGE.put("DELETE /api/gpu/host-keys/{id}", Sweep.generated(w -> Map.of("id", ApiWorld.newHostKey(w.owner))));
        COVERAGE.put("GET /api/gpu/models", Sweep.noInput());
        COVERAGE.put("GET /api/gpu/models/{id}", Sweep.generated(w -> Map.of("id", "h100-sxm")));
        COVERAGE.put("PUT /api/gpu/models/{id}", Sweep.generated(w -> Map.of("id", "h100-sxm"),
                w -> given().get("/api/gpu/models/h100-sxm").then().extract().jsonPath().getMap("")));
        COVERAGE.put("POST /api/gpu/reports", Sweep.generated(w -> Map.of(),
                w -> map("report", map("format", "bc-gpu-report/1"), "signature", "0x" + "00".repeat(65))));
        COVERAGE.put("GET /api/gpu/reports", Sweep.noInput());
        // a session of the owner's: the sweep's callers may not see it (404); a new one names a model there is not (400)
        COVERAGE.put("POST /api/gpu/sessions", Sweep.generated(w -> Map.of(),
                w -> map("gpus", List.of(map("uuid", ApiWorld.newGpuUuid(), "model", "no-such-model")))));
        COVERAGE.put("GET /api/gpu/sessions", Sweep.noInput());
        COVERAGE.put("GET /api/gpu/sessions/{id}", Sweep.generated(ApiSweepTest::proofSession));
        COVERAGE.put("POST /api/gpu/sessions/{id}/answers", Sweep.generated(ApiSweepTest::proofSession, w -> map("step", 1)));
        COVERAGE.put("POST /api/gpu/sessions/{id}/reports", Sweep.generated(ApiSweepTest::proofSession,
                w -> map("report", map("format", "bc-gpu-report/1"), "signature", "0x" + "00".repeat(65))));
        COVERAGE.put("POST /api/gpu/spot-checks/due", Sweep.generated(w -> Map.of(), w -> map("gpus", List.of(ApiWorld.newGpuUuid()))));
        COVERAGE.put("GET /api/gpus/mine", Sweep.noInput());
        COVERAGE.put("GET /api/gpus/{id}", Sweep.generated(ApiSweepTest::gpu));
        COVERAGE.put("POST /api/gpus/{id}/leave", Sweep.generated(ApiSweepTest::gpu, w -> map("reason", "sweep")));
        COVERAGE.put("POST /api/gpus/{id}/mint", Sweep.generated(ApiSweepTest::gpu,
                w -> map("to", w.owner.address(), "purchaseDate", "2025-01-10", "inServiceDate", "2025-02-01",
                        "hostingAgreementUrl", "https://example.com/h", "ownershipContractUrl", "https://example.com/o")));
        COVERAGE.put("POST /api/gpus/{id}/mint/retry", Sweep.generated(ApiSweepTest::gpu, w -> map("to", w.owner.address())));
        COVERAGE.put("GET /api/gpus/{id}/spot-checks", Sweep.generated(ApiSweepTest::gpu));
        COVERAGE.put("GET /api/market/pools", Sweep.generated(w -> Map.of()));
        COVERAGE.put("GET /api/market/pools/{id}/availability", Sweep.generated(ApiSweepTest::pool));
        COVERAGE.put("POST /api/market/quotes", Sweep.generated(w -> Map.of(), ApiSweepTest::marketOrder));
        COVERAGE.put("POST /api/market/orders", Sweep.generated(w -> Map.of(), ApiSweepTest::marketOrder));
        COVERAGE.put("GET /api/market/orders", Sweep.noInput());
        COVERAGE.put("GET /api/market/orders/{id}", Sweep.generated(w -> Map.of("id", "1")));
        COVERAGE.put("POST /api/market/orders/{id}/stop", Sweep.generated(w -> Map.of("id", "1")));
        COVERAGE.put("GET /api/market/slots", Sweep.noInput());
        COVERAGE.put("GET /api/market/slots/{tokenId}", Sweep.generated(w -> Map.of("tokenId", "1")));
        // the sweep's callers hold no slot: even unspoilt a 403 (or 404 when the market follows no slot 1)
        COVERAGE.put("PUT /api/market/slots/{tokenId}/workload", Sweep.generated(w -> Map.of("tokenId", "1"),
                w -> map("workload", map("image", "docker.io/library/ubuntu:24.04", "sshPublicKey",
                        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA sweep@x", "env", map("MODE", "sweep")))));
        COVERAGE.put("GET /api/market/listings", Sweep.generated(w -> Map.of()));
        COVERAGE.put("GET /api/market/sales", Sweep.generated(w -> Map.of()));
        COVERAGE.put("GET /api/me", Sweep.noInput());
        COVERAGE.put("POST /api/me/api-keys", Sweep.generated(w -> Map.of(), w -> map("name", "sweep key")));
        COVERAGE.put("GET /api/me/api-keys", Sweep.noInput());
        COVERAGE.put("DELETE /api/me/api-keys/{id}", Sweep.generated(w -> Map.of("id", ApiWorld.newApiKey(w.owner))));
        COVERAGE.put("PUT /api/me/email", Sweep.generated(w -> Map.of(), w -> map("email", "sweep@example.com")));
        // the sweep's callers are wallet accounts: passkeys and recovery codes are refused them (403) once the input is well formed
        COVERAGE.put("POST /api/me/recovery-code", Sweep.noInput());
        COVERAGE.put("GET /api/me/passkeys", Sweep.noInput());
        COVERAGE.put("POST /api/me/passkeys/options", Sweep.noInput());
        COVERAGE.put("POST /api/me/passkeys", Sweep.generated(w -> Map.of(), w -> map("name", "Laptop", "credential", PASSKEY_ANSWER)));
        COVERAGE.put("PATCH /api/me/passkeys/{id}", Sweep.generated(w -> Map.of("id", "0b6f3c1e-8f0d-4d57-9c39-2f1f5d3a7c11"),
                w -> map("name", "Laptop")));
        COVERAGE.put("DELETE /api/me/passkeys/{id}", Sweep.generated(w -> Map.of("id", "0b6f3c1e-8f0d-4d57-9c39-2f1f5d3a7c11")));
        COVERAGE.put("POST /api/operators", Sweep.generated(w -> Map.of(), w -> map("name", "Sweep operator")));
        COVERAGE.put("GET /api/operators/mine", Sweep.noInput());
        COVERAGE.put("GET /api/pools", Sweep.noInput());
        COVERAGE.put("POST /api/pools", Sweep.generated(w -> Map.of(), w -> ApiWorld.poolBody(w.owner.operatorId(), "SELF")));
        COVERAGE.put("GET /api/pools/{id}", Sweep.generated(ApiSweepTest::pool));
        COVERAGE.put("PUT /api/pools/{id}", Sweep.generated(ApiSweepTest::pool, w -> ApiWorld.poolBody(w.owner.operatorId(), "SELF")));
        COVERAGE.put("GET /api/pools/{id}/audit", Sweep.generated(ApiSweepTest::pool));
        COVERAGE.put("GET /api/pools/{id}/gpus", Sweep.generated(ApiSweepTest::pool));
        COVERAGE.put("POST /api/pools/{id}/gpus", Sweep.generated(ApiSweepTest::pool,
                w -> ApiWorld.gpuBody(w.owner.operatorId(), ApiWorld.newGpuUuid())));
        COVERAGE.put("GET /api/pools/{id}/members", Sweep.generated(w -> Map.of("id", String.valueOf(w.distributedPool))));
        COVERAGE.put("POST /api/pools/{id}/members", Sweep.generated(w -> Map.of("id", String.valueOf(w.distributedPool)),
                w -> map("operatorId", w.other.operatorId(), "message", "Let me in")));
        COVERAGE.put("POST /api/pools/{id}/members/{operatorId}/approve", Sweep.generated(ApiSweepTest::member));
        COVERAGE.put("POST /api/pools/{id}/members/{operatorId}/kick", Sweep.generated(ApiSweepTest::member, w -> map("reason", "sweep")));
        COVERAGE.put("POST /api/pools/{id}/members/{operatorId}/leave", Sweep.generated(ApiSweepTest::member));
        COVERAGE.put("POST /api/pools/{id}/members/{operatorId}/refuse", Sweep.generated(ApiSweepTest::member, w -> map("reason", "sweep")));
        COVERAGE.put("GET /api/pools/{id}/uptime", Sweep.generated(ApiSweepTest::pool));
    }

    private static final List<Role> ROLES = List.of(Role.ANONYMOUS, Role.CUSTOMER, Role.OTHER_OPERATOR);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** One bad request: what was spoilt (for the report), the field a 400 must name, and the request. */
    record Bad(String what, List<String> names, String pathSuffix, String contentType, String body, boolean tolerable) {
        Bad(String what, List<String> names, String pathSuffix, String contentType, String body) {
            this(what, names, pathSuffix, contentType, body, false);
        }
    }

    @Test
    void everyOperationOfTheDocumentIsSwept() {
        List<String> operations = ApiWorld.operations(ApiWorld.openApi());
        assertThat(new TreeSet<>(COVERAGE.keySet()))
                .as("operations of the OpenAPI document and of COVERAGE: add a new operation there, drop a removed one")
                .isEqualTo(new TreeSet<>(operations));
    }

    @Test
    void badInputIsRefusedWithAReasonAndChangesNothing() throws Exception {
        JsonNode document = ApiWorld.openApi();
        ApiWorld world = ApiWorld.create();
        List<String> excluded = List.copyOf(EXCLUDED_TABLES.keySet());
        Map<String, String> before = ApiWorld.settledDigest(excluded);
        assertThat(before).isNotEmpty();
        Map<String, List<String>> findings = new TreeMap<>();
        List<String> accepted = new ArrayList<>();
        long started = System.nanoTime();
        int requests = 0;
        for (String operation : ApiWorld.operations(document)) {
            Sweep sweep = COVERAGE.get(operation);
            if (sweep == null) {
                continue; // reported by the other test
            }
            String method = operation.substring(0, operation.indexOf(' '));
            String template = operation.substring(operation.indexOf(' ') + 1);
            JsonNode op = document.path("paths").path(template).path(method.toLowerCase());
            Map<String, String> pathValues = sweep.pathValues().apply(world);
            List<Bad> bads = sweep.generated() ? generate(document, op, template, pathValues, sweep.validBody().apply(world))
                    : shapeOnly(template).stream().map(b -> new Bad(b.what(), b.names(), template + b.pathSuffix(), b.contentType(),
                            b.body())).toList();
            if (sweep.actsWhenCalled() && !op.has("security")) {
                // public, and acts on every call (a nonce): only what must be refused before it acts
                bads = bads.stream().filter(b -> !b.names().isEmpty()).toList();
            }
            before = ApiWorld.digest(excluded); // what this operation's setup made (a key to revoke, a nonce) is not a change
            for (Role role : sweep.actsWhenCalled() ? List.of(Role.ANONYMOUS) : ROLES) {
                Party party = world.party(role);
                for (int i = 0; i < bads.size(); i++) {
                    Bad bad = bads.get(i);
                    if (role == Role.ANONYMOUS && op.has("security") && i % 4 != 0 && !bad.what().startsWith("path")) {
                        continue; // signing in is checked first: a sample of the bodies is enough
                    }
                    requests++;
                    Response response = send(method, bad, party);
                    String problem = check(response, bad, accepted, operation + " as " + role);
                    if (problem == null && response.statusCode() < 300) {
                        Map<String, String> now = ApiWorld.digest(excluded);
                        List<String> changed = ApiWorld.changed(before, now);
                        if (!changed.isEmpty() && !bad.tolerable()) {
                            problem = response.statusCode() + ": accepted and stored " + changed;
                        }
                        before = now;
                    }
                    if (problem != null) {
                        findings.computeIfAbsent(operation, k -> new ArrayList<>()).add(role + ", " + bad.what() + ": " + problem);
                    }
                }
            }
            Map<String, String> after = ApiWorld.digest(excluded);
            List<String> changed = ApiWorld.changed(before, after);
            if (!changed.isEmpty()) {
                findings.computeIfAbsent(operation, k -> new ArrayList<>()).add("a refused request changed the database: " + changed);
            }
            before = after;
        }
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        StringBuilder report = new StringBuilder();
        findings.forEach((operation, list) -> {
            report.append("\n").append(operation).append(" (").append(list.size()).append(")");
            list.stream().limit(25).forEach(f -> report.append("\n    ").append(f));
        });
        System.out.println("API sweep: " + requests + " requests in " + seconds + " s; " + findings.size() + " operations with findings"
                + report + "\nAccepted (2xx) bad input, changing nothing:\n    " + String.join("\n    ", accepted));
        assertThat(findings).as("what the sweep found, by operation:" + report).isEmpty();
    }

    // --- generation

    private static List<Bad> shapeOnly(String template) {
        List<Bad> bads = new ArrayList<>();
        bads.add(new Bad("an unexpected JSON body", List.of(), "", "application/json", "{\"unexpected\": " + "[".repeat(100) + "]".repeat(100) + "}"));
        bads.add(new Bad("a text/plain body", List.of(), "", "text/plain", "hello\u0000"));
        bads.add(new Bad("an unknown query parameter with NUL", List.of("q", "query"), "?q=%00", null, null));
        return bads;
    }

    private List<Bad> generate(JsonNode document, JsonNode op, String template, Map<String, String> pathValues, Object validBody) {
        List<Bad> bads = new ArrayList<>();
        String goodPath = template;
        for (Map.Entry<String, String> value : pathValues.entrySet()) {
            goodPath = goodPath.replace("{" + value.getKey() + "}", encode(value.getValue()));
        }
        for (JsonNode parameter : op.path("parameters")) {
            String name = parameter.path("name").asText();
            String in = parameter.path("in").asText();
            if (!in.equals("path") && !in.equals("query")) {
                continue; // headers and cookies are the sign-in's (Host, the session cookie)
            }
            for (Map.Entry<String, String> value : badValues().entrySet()) {
                String path = in.equals("path")
                        ? template.replace("{" + name + "}", value.getValue())
                        : goodPath + "?" + name + "=" + value.getValue();
                for (Map.Entry<String, String> other : pathValues.entrySet()) {
                    path = path.replace("{" + other.getKey() + "}", encode(other.getValue()));
                }
                bads.add(new Bad(in + " " + name + " = " + value.getKey(), List.of(name, "path"), path,
                        validBody == null ? null : "application/json", validBody == null ? null : JSON.valueToTree(validBody).toString()));
            }
        }
        JsonNode content = op.path("requestBody").path("content");
        if (!content.isMissingNode() && content.size() > 0) {
            String mediaType = content.fieldNames().next();
            JsonNode schema = resolve(document, content.path(mediaType).path("schema"));
            JsonNode valid = validBody != null ? JSON.valueToTree(validBody) : example(document, schema, 0);
            for (Map.Entry<String, JsonNode> spoilt : spoil(document, schema, valid, "", 0).entrySet()) {
                String[] what = spoilt.getKey().split(" := ", 2);
                String field = what[0];
                String leaf = field.replaceAll("\\[\\d+\\]", "");
                leaf = leaf.contains(".") ? leaf.substring(leaf.lastIndexOf('.') + 1) : leaf;
                bads.add(new Bad("body " + spoilt.getKey(), List.of(leaf, field, "body"), goodPath, "application/json", spoilt.getValue().toString(),
                        spoilt.getKey().endsWith(OPTIONAL)));
            }
            String text = valid.toString();
            bads.add(new Bad("an empty body", List.of("body"), goodPath, "application/json", ""));
            bads.add(new Bad("the body null", List.of("body"), goodPath, "application/json", "null"));
            bads.add(new Bad("a list for the body", List.of("body"), goodPath, "application/json", "[" + text + "]"));
            bads.add(new Bad("malformed JSON", List.of("body"), goodPath, "application/json", text.substring(0, text.length() - 1)));
            bads.add(new Bad("an empty object (required fields missing)", List.of(), goodPath, "application/json", "{}"));
            bads.add(new Bad("deep nesting", List.of("body"), goodPath, "application/json", "[".repeat(1000) + "]".repeat(1000)));
            bads.add(new Bad("a text/plain body", List.of(), goodPath, "text/plain", text));
            bads.add(new Bad("an XML body", List.of(), goodPath, "application/xml", "<a/>"));
            bads.add(new Bad("a form body", List.of(), goodPath, "application/x-www-form-urlencoded", "a=%00"));
            bads.add(new Bad("no content type", List.of(), goodPath, "", text));
        } else if (!op.path("parameters").elements().hasNext() || bads.isEmpty()) {
            String base = goodPath;
            bads.addAll(shapeOnly(template).stream().map(b -> new Bad(b.what(), b.names(), base + b.pathSuffix(), b.contentType(), b.body())).toList());
        } else {
            bads.add(new Bad("an unexpected JSON body", List.of(), goodPath, "application/json", "{\"x\": \"\\u0000\"}"));
        }
        return bads;
    }

    /** Values a parameter can be spoilt with, already URL-encoded. */
    private static Map<String, String> badValues() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("a word", "abc");
        values.put("-1", "-1");
        values.put("a 30-digit number", "9".repeat(30));
        values.put("1e400", "1e400");
        values.put("a 2,000-character string", "x".repeat(2000));
        values.put("NUL", "a%00b");
        values.put("control characters", "a%07%1Bb");
        values.put("a space", "a%20b");
        return values;
    }

    /** One spoilt copy of the valid body per field and kind of spoiling: "field := what" → body. */
    private Map<String, JsonNode> spoil(JsonNode document, JsonNode schema, JsonNode valid, String at, int depth) {
        Map<String, JsonNode> spoilt = new LinkedHashMap<>();
        if (depth > 3 || !valid.isObject()) {
            return spoilt;
        }
        if (isJsonNode(schema)) {
            return spoilt; // any JSON: what it must hold is the endpoint's to say, not the document's
        }
        JsonNode resolved = resolve(document, schema);
        JsonNode properties = resolved.path("properties");
        List<String> required = new ArrayList<>();
        resolved.path("required").forEach(r -> required.add(r.asText()));
        Iterator<Map.Entry<String, JsonNode>> fields = properties.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> property = fields.next();
            String name = property.getKey();
            String field = at.isEmpty() ? name : at + "." + name;
            JsonNode propertySchema = resolve(document, property.getValue());
            JsonNode current = valid.get(name);
            for (Map.Entry<String, JsonNode> bad : badJson(propertySchema, current).entrySet()) {
                ObjectNode copy = valid.deepCopy();
                copy.set(name, bad.getValue());
                boolean absent = bad.getKey().equals("null") || bad.getKey().equals("empty");
                spoilt.put(field + " := " + bad.getKey() + (absent && !required.contains(name) ? OPTIONAL : ""), copy);
            }
            ObjectNode without = valid.deepCopy();
            without.remove(name);
            spoilt.put(field + " := missing" + (required.contains(name) ? "" : OPTIONAL), without);
            if (isJsonNode(property.getValue())) {
                continue;
            }
            if (current != null && current.isObject()) {
                for (Map.Entry<String, JsonNode> inner : spoil(document, propertySchema, current, field, depth + 1).entrySet()) {
                    ObjectNode copy = valid.deepCopy();
                    copy.set(name, inner.getValue());
                    spoilt.put(inner.getKey(), copy);
                }
            } else if (current != null && current.isArray() && current.size() > 0 && current.get(0).isObject()) {
                JsonNode items = resolve(document, propertySchema.path("items"));
                for (Map.Entry<String, JsonNode> inner : spoil(document, items, current.get(0), field + "[0]", depth + 1).entrySet()) {
                    ObjectNode copy = valid.deepCopy();
                    ArrayNode list = current.deepCopy();
                    list.set(0, inner.getValue());
                    copy.set(name, list);
                    spoilt.put(inner.getKey(), copy);
                }
            }
        }
        return spoilt;
    }

    /** Marks a spoiling that an optional field may accept (null, missing, empty): accepted, it may be stored. */
    private static final String OPTIONAL = " (optional)";

    private static boolean isJsonNode(JsonNode schema) {
        return schema.path("$ref").asText().endsWith("/JsonNode");
    }

    /** Bad values for a field of this schema. */
    private static Map<String, JsonNode> badJson(JsonNode schema, JsonNode current) {
        String type = schema.path("type").asText(current == null ? "" : current.isNumber() ? "integer" : current.isTextual() ? "string"
                : current.isArray() ? "array" : current.isBoolean() ? "boolean" : current.isObject() ? "object" : "");
        Map<String, JsonNode> bad = new LinkedHashMap<>();
        bad.put("null", NODES.nullNode());
        switch (type) {
            case "integer", "number" -> {
                bad.put("a number as a string", NODES.textNode("12"));
                bad.put("a fraction", NODES.numberNode(new java.math.BigDecimal("1.5")));
                bad.put("-1", NODES.numberNode(-1));
                bad.put("the smallest long", NODES.numberNode(Long.MIN_VALUE));
                bad.put("the largest long", NODES.numberNode(Long.MAX_VALUE));
                bad.put("30 digits", NODES.numberNode(new java.math.BigInteger("9".repeat(30))));
                bad.put("1e400", NODES.numberNode(new java.math.BigDecimal("1e400")));
                bad.put("a 101-digit number", NODES.numberNode(new java.math.BigInteger("9".repeat(101))));
                bad.put("an object", NODES.objectNode());
            }
            case "boolean" -> {
                bad.put("a string", NODES.textNode("yes"));
                bad.put("a number", NODES.numberNode(1));
            }
            case "array" -> {
                bad.put("an object", NODES.objectNode());
                bad.put("a string", NODES.textNode("abc"));
                ArrayNode huge = NODES.arrayNode();
                JsonNode item = current != null && current.size() > 0 ? current.get(0) : NODES.textNode("x");
                for (int i = 0; i < 5000; i++) {
                    huge.add(item);
                }
                bad.put("5,000 items", huge);
                ArrayNode withNull = NODES.arrayNode();
                withNull.addNull();
                bad.put("a null item", withNull);
            }
            case "object" -> {
                bad.put("a list", NODES.arrayNode());
                bad.put("a number", NODES.numberNode(5));
                bad.put("nested 100 deep", deep(100));
            }
            default -> { // strings, and what the document does not type
                bad.put("a number", NODES.numberNode(12345));
                bad.put("a list", NODES.arrayNode().add("x"));
                bad.put("empty", NODES.textNode(""));
                bad.put("NUL", NODES.textNode("a\u0000b"));
                bad.put("control characters", NODES.textNode("a\u0007\u001b[31mb"));
                bad.put("a 10,000-digit number", NODES.textNode("9".repeat(10_000)));
                bad.put("a 100,000-character string", NODES.textNode("x".repeat(100_000)));
                bad.put("a 5,000-character string", NODES.textNode("é".repeat(5_000)));
                if (current != null && current.isTextual() && current.asText().matches("-?[0-9.]+")) {
                    // a number written as a string (prices, percentages, amounts)
                    bad.put("-1", NODES.textNode("-1"));
                    bad.put("1e-2000000000", NODES.textNode("1e-2000000000"));
                    bad.put("1e2000000000", NODES.textNode("1e2000000000"));
                    bad.put("NaN", NODES.textNode("NaN"));
                }
            }
        }
        return bad;
    }

    private static JsonNode deep(int levels) {
        ObjectNode root = NODES.objectNode();
        ObjectNode at = root;
        for (int i = 0; i < levels; i++) {
            at = at.putObject("a");
        }
        return root;
    }

    /** A body of the schema's shape, from its examples where it has them. */
    private static JsonNode example(JsonNode document, JsonNode schema, int depth) {
        JsonNode s = resolve(document, schema);
        if (s.has("example")) {
            return s.get("example");
        }
        if (s.has("enum")) {
            return s.get("enum").get(0);
        }
        switch (s.path("type").asText("object")) {
            case "integer", "number" -> {
                return NODES.numberNode(1);
            }
            case "boolean" -> {
                return NODES.booleanNode(true);
            }
            case "string" -> {
                return NODES.textNode(switch (s.path("format").asText("")) {
                    case "date" -> "2025-01-10";
                    case "date-time" -> "2025-01-10T00:00:00Z";
                    case "uuid" -> "123e4567-e89b-12d3-a456-426614174000";
                    default -> "x";
                });
            }
            case "array" -> {
                return depth > 4 ? NODES.arrayNode() : NODES.arrayNode().add(example(document, s.path("items"), depth + 1));
            }
            default -> {
                ObjectNode object = NODES.objectNode();
                if (depth <= 4) {
                    s.path("properties").fields().forEachRemaining(p -> object.set(p.getKey(), example(document, p.getValue(), depth + 1)));
                }
                return object;
            }
        }
    }

    private static JsonNode resolve(JsonNode document, JsonNode schema) {
        JsonNode s = schema;
        for (int i = 0; i < 10 && s.has("$ref"); i++) {
            String ref = s.get("$ref").asText();
            s = document.at(ref.substring(1));
        }
        if (s.has("allOf") && s.get("allOf").size() == 1) {
            return resolve(document, s.get("allOf").get(0));
        }
        return s;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    // --- sending and checking

    private static Response send(String method, Bad bad, Party party) {
        // the market's orders need an Idempotency-Key; every other operation ignores it
        RequestSpecification request = given().urlEncodingEnabled(false).redirects().follow(false).accept("application/json")
                .header("Idempotency-Key", "api-sweep");
        if (party != null) {
            request = request.auth().oauth2(party.token());
        }
        if (bad.contentType() == null) {
            request = request.contentType("application/json"); // a JSON client's call without a body
        } else {
            request = bad.contentType().isEmpty()
                    ? request.body(bad.body().getBytes(StandardCharsets.UTF_8))
                    : request.contentType(bad.contentType() + "; charset=UTF-8").body(bad.body());
        }
        return request.request(method, bad.pathSuffix());
    }

    /** What is wrong with the answer to a bad request, or null. */
    private static String check(Response response, Bad bad, List<String> accepted, String where) {
        int status = response.statusCode();
        String body = response.asString();
        String type = String.valueOf(response.contentType());
        if (status >= 500) {
            return status + " " + abbreviate(body);
        }
        if (status < 400) {
            if (!bad.names().isEmpty()) {
                accepted.add(where + ", " + bad.what() + ": " + status);
            }
            return null;
        }
        if (!type.startsWith("application/problem+json")) {
            return status + " without problem details (" + type + "): " + abbreviate(body);
        }
        if (status == 400 && !bad.names().isEmpty()) {
            JsonNode problem;
            try {
                problem = JSON.readTree(body);
            } catch (Exception e) {
                return "400 with a body that is not JSON";
            }
            String detail = problem.path("detail").asText("");
            List<String> fields = new ArrayList<>();
            problem.path("errors").forEach(e -> fields.add(e.path("field").asText()));
            String said = (detail + " " + String.join(" ", fields)).toLowerCase(java.util.Locale.ROOT);
            boolean named = bad.names().stream().map(n -> n.toLowerCase(java.util.Locale.ROOT))
                    .anyMatch(n -> said.contains(n) || (n.endsWith("s") && n.length() > 3 && said.contains(n.substring(0, n.length() - 1))));
            if (!named) {
                return "400 that does not name " + bad.names().get(0) + ": " + abbreviate(detail);
            }
        }
        if (body.contains("java.") || body.matches("(?s).*\\b[a-z]+\\.[A-Z]\\w+\\$\\w+.*")) {
            return status + " naming a Java type: " + abbreviate(body);
        }
        return null;
    }

    private static String abbreviate(String body) {
        String flat = body.replaceAll("\\s+", " ");
        return flat.length() > 240 ? flat.substring(0, 240) + "…" : flat;
    }
}
