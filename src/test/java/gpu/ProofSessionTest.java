package gpu;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import accounts.TestWallet;
import com.fasterxml.jackson.databind.JsonNode;
import gpu.cli.TestProofRunner;
import gpu.proof.ComputeRound;
import gpu.proof.CpuProver;
import gpu.proof.MemoryRound;
import gpu.proof.Prover;
import gpu.proof.RoundSizing;
import gpu.report.GpuReport;
import gpu.report.ReportJson;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import platform.EmbeddedPostgresResource;

/**
 * Proof-of-GPU sessions over real HTTP against the real database, answered by the kernels' CPU
 * emulation. The CPU stands in for a GPU of a model calibrated to it: a copy of the H100 SXM whose
 * proof figures are this machine's own single-thread rates (times {@link #CALIBRATION}) and whose
 * memory is 8 MiB, so its rounds take the CPU a fraction of their deadline, as a GPU's take it.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class ProofSessionTest {

    static final String MODEL = "cpu-calibrated-h100";
    static final long MEMORY = 8L << 20;
    /**
     * The model is calibrated so that the CPU needs 0.95 of a compute round's expected time: with the
     * deadline at 1.5 times it an honest answer has 58 % to spare, and one prover answering two GPUs
     * in turn (1.9 times) misses by 27 %.
     */
    static final double CALIBRATION = 0.95;

    @Inject
    ProofOfGpu proof;

    static double macsPerSecond;
    static double compressionsPerSecond;

    /**
     * This machine's best single-thread rates, measured the way a round runs (the prover on a product
     * of about a round's size, five times after the JIT has warmed up): what a forger at best reaches.
     */
    @BeforeAll
    static void calibrate() {
        ComputeRound.Size size = new ComputeRound.Size(256, 256, 8192, RoundSizing.TILE);
        MemoryRound round = new MemoryRound(new byte[32], new MemoryRound.Params(RoundSizing.CACHE_ITEMS, 1 << 20,
                RoundSizing.PARENTS, 1, 1));
        CpuProver cpu = new CpuProver(1);
        macsPerSecond = 0;
        compressionsPerSecond = 0;
        for (int run = 0; run < 6; run++) {
            long start = System.nanoTime();
            cpu.compute(new byte[32], size);
            macsPerSecond = Math.max(macsPerSecond, size.multiplyAdds() / ((System.nanoTime() - start) / 1e9));
            start = System.nanoTime();
            for (int x = 0; x < 20_000; x++) {
                round.item(x);
            }
            compressionsPerSecond = Math.max(compressionsPerSecond,
                    20_000.0 * (2 * RoundSizing.PARENTS + 2) / ((System.nanoTime() - start) / 1e9));
        }
    }

    static Map<String, Object> calibratedModel() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "H100 SXM as this CPU (proof tests)");
        m.put("deviceNames", List.of("H100 80GB HBM3"));
        m.put("memoryMib", (int) (MEMORY >> 20));
        m.put("smCount", 132);
        m.put("computeCapability", "9.0");
        m.put("boostClockMhz", 1980);
        m.put("reference", Map.of("deviceBandwidthGbs", 3350, "hostToDeviceGbs", 64, "deviceToHostGbs", 64, "fp32Tflops", 66.9,
                "bf16Tflops", 989.4));
        m.put("passFraction", Map.of("deviceBandwidthGbs", 0.75, "hostToDeviceGbs", 0.6, "deviceToHostGbs", 0.6, "fp32Tflops", 0.8,
                "bf16Tflops", 0.45));
        m.put("proof", Map.of(
                "bf16Tflops", BigDecimal.valueOf(2 * macsPerSecond * CALIBRATION / 1e12).setScale(6, RoundingMode.HALF_EVEN),
                "deviceBandwidthGbs", 1000,
                "sha256Mhs", BigDecimal.valueOf(compressionsPerSecond * CALIBRATION / 1e6).setScale(2, RoundingMode.HALF_EVEN),
                "measuredOn", "ProofSessionTest's CPU, one thread"));
        return m;
    }

    static boolean calibrated;

    /**
     * Saves the model, then calibrates it as a model is calibrated on a real card: from rounds the
     * prover answered through the protocol, so that the CPU needs {@link #CALIBRATION} of each round's
     * expected time. The compute round's k, and with it the CPU's time, scales with the tensor-core
     * figure while the expected time stays at the target; the memory round's size is the card's, so
     * its expected time scales with the SHA-256 figure. Pass after pass until both rounds come within
     * 10 % of the target twice in a row (the JIT and the machine's load settle), at most eight.
     */
    static void saveCalibratedModel() {
        save();
        int settled = 0;
        for (int pass = 0; !calibrated && pass < 8; pass++) {
            Operator operator = Operator.create();
            JsonNode session = TestProofRunner.certify(server(), operator.apiKey(), i -> new CpuProver(1), gpus(FakeGpu.newUuid()));
            JsonNode gpu = session.path("gpus").get(0);
            double allowance = session.path("allowanceMs").asDouble();
            double compute = gpu.path("computeMs").asDouble() / ((gpu.path("computeDeadlineMs").asDouble() - allowance) / 1.5);
            macsPerSecond *= CALIBRATION / compute;
            boolean memoryRan = gpu.hasNonNull("memoryMs"); // not when the compute round failed
            double memory = memoryRan
                    ? gpu.path("memoryMs").asDouble() / ((gpu.path("memoryDeadlineMs").asDouble() - allowance) / 1.5) : CALIBRATION;
            compressionsPerSecond *= CALIBRATION / memory;
            save();
            settled = memoryRan && Math.abs(compute / CALIBRATION - 1) < 0.1 && Math.abs(memory / CALIBRATION - 1) < 0.1 ? settled + 1 : 0;
            calibrated = settled == 2;
        }
        calibrated = true;
    }

    private static void save() {
        given().auth().oauth2(TestWallet.ADMIN.signIn()).contentType(ContentType.JSON).body(calibratedModel())
                .put("/api/gpu/models/" + MODEL).then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(200), equalTo(201)));
    }

    record Operator(TestWallet wallet, String token, String apiKey) {
        static Operator create() {
            TestWallet wallet = TestWallet.random();
            String token = wallet.signIn();
            String key = given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("name", "gpu-host"))
                    .post("/api/me/api-keys").then().statusCode(201).extract().path("key");
            return new Operator(wallet, token, key);
        }
    }

    static String server() {
        return "http://localhost:" + RestAssured.port;
    }

    static List<Map<String, String>> gpus(String... uuids) {
        return java.util.Arrays.stream(uuids).map(u -> Map.of("uuid", u, "model", MODEL)).toList();
    }

    /** One CPU thread that answers for every GPU it is asked to, in turn: one GPU claiming several UUIDs. */
    static Prover oneGpu() {
        CpuProver cpu = new CpuProver(1);
        return new Prover() {
            @Override
            public synchronized ComputeCommitment compute(byte[] seed, ComputeRound.Size size) {
                return cpu.compute(seed, size);
            }

            @Override
            public synchronized MemoryCommitment memory(byte[] seed, MemoryRound.Params params) {
                return cpu.memory(seed, params);
            }
        };
    }

    @Test
    void aGpuThatAnswersItsRoundsInTimeIsProvedAndItsReportCertifiesUnderBcProof() {
        saveCalibratedModel();
        Operator operator = Operator.create();
        String uuid = FakeGpu.newUuid();
        Prover gpu = new CpuProver(1);

        JsonNode session = TestProofRunner.certify(server(), operator.apiKey(), i -> gpu, gpus(uuid));

        System.out.println("ProofSessionTest: an honest GPU's rounds " + session.path("gpus"));
        assertThat(session.path("state").asText()).as(session.toString()).isEqualTo("PASSED");
        JsonNode proved = session.path("gpus").get(0);
        assertThat(proved.path("state").asText()).isEqualTo("PASSED");
        assertThat(proved.path("computeMs").asInt()).isLessThanOrEqualTo(proved.path("computeDeadlineMs").asInt());
        assertThat(proved.path("memoryMs").asInt()).isLessThanOrEqualTo(proved.path("memoryDeadlineMs").asInt());
        assertThat(session.path("allowanceMs").asInt()).isBetween(0, 100);
        String id = session.path("id").asText();

        String certificate = upload(operator, id, uuid).then().statusCode(201)
                .body("protocol", equalTo("bc-proof/1")).body("modelId", equalTo(MODEL))
                .body("content", containsString("\"session\":\"" + id + "\"")).extract().path("hash");
        given().get("/api/gpu/certificates/" + certificate).then().statusCode(200).body("protocol", equalTo("bc-proof/1"));
        given().auth().oauth2(operator.token()).get("/api/gpu/sessions/" + id).then().statusCode(200)
                .body("gpus[0].certificate", equalTo(certificate)).body("step", org.hamcrest.Matchers.nullValue());

        upload(operator, id, uuid).then().statusCode(422).body("reasons.code", org.hamcrest.Matchers.hasItem("session"))
                .body("detail", containsString("already certified this GPU"));
        upload(operator, id, FakeGpu.newUuid()).then().statusCode(422).body("detail", containsString("did not pass for this GPU"));
        Operator other = Operator.create();
        upload(other, id, uuid).then().statusCode(404);
        given().auth().oauth2(other.token()).get("/api/gpu/sessions/" + id).then().statusCode(404);
    }

    private static io.restassured.response.Response upload(Operator operator, String session, String uuid) {
        Map<String, Object> challenge = given().auth().oauth2(operator.token()).contentType(ContentType.JSON).body("{}")
                .post("/api/gpu/challenges").then().statusCode(201).extract().jsonPath().getMap("");
        GpuReport report = FakeGpu.withMemory(FakeGpu.withModel(FakeGpu.h100((String) challenge.get("nonce"), (String) challenge.get("seed"),
                operator.wallet().address().toLowerCase(), uuid), MODEL), MEMORY);
        return given().auth().oauth2(operator.token()).contentType(ContentType.JSON)
                .body(ReportJson.pretty(FakeGpu.signed(report, operator.wallet().key())))
                .post("/api/gpu/sessions/" + session + "/reports");
    }

    @Test
    void oneGpuAnsweringForTwoUuidsInTurnMissesTheDeadlineTheyShare() {
        saveCalibratedModel();
        Operator operator = Operator.create();
        Prover gpu = oneGpu();

        JsonNode session = TestProofRunner.certify(server(), operator.apiKey(), i -> gpu, gpus(FakeGpu.newUuid(), FakeGpu.newUuid()));

        System.out.println("ProofSessionTest: one GPU answering for two " + session.path("gpus"));
        assertThat(session.path("state").asText()).as(session.toString()).isEqualTo("FAILED");
        for (JsonNode g : session.path("gpus")) {
            assertThat(g.path("computeMs").asInt()).as(g.toString()).isGreaterThan(g.path("computeDeadlineMs").asInt());
            assertThat(g.path("reason").asText()).contains("The compute round's answer came", "its deadline was");
        }
        assertThat(session.path("reason").asText()).startsWith("Every GPU of the session failed");
    }

    @Test
    void answersOutOfTurnOrOutOfShapeAreRefusedAndChangeNothing() {
        saveCalibratedModel();
        Operator operator = Operator.create();
        String id = given().auth().oauth2(operator.token()).contentType(ContentType.JSON).body(Map.of("gpus", gpus(FakeGpu.newUuid())))
                .post("/api/gpu/sessions").then().statusCode(201).body("step.kind", equalTo("PING")).body("step.number", equalTo(0))
                .extract().path("id");
        String answers = "/api/gpu/sessions/" + id + "/answers";
        given().auth().oauth2(operator.token()).contentType(ContentType.JSON).body(Map.of("step", 3)).post(answers)
                .then().statusCode(409).body("detail", containsString("waits for step 0"));
        given().auth().oauth2(operator.token()).contentType(ContentType.JSON).body("{}").post(answers)
                .then().statusCode(400).body("detail", containsString("step is required"));
        for (int step = 0; step < 3; step++) {
            given().auth().oauth2(operator.token()).contentType(ContentType.JSON).body(Map.of("step", step)).post(answers)
                    .then().statusCode(200);
        }
        given().auth().oauth2(operator.token()).contentType(ContentType.JSON).body(Map.of("step", 3, "roots", List.of("0x12")))
                .post(answers).then().statusCode(400).body("detail", containsString("64 lowercase hex digits"));
        given().auth().oauth2(operator.token()).contentType(ContentType.JSON).body(Map.of("step", 3, "roots", List.of()))
                .post(answers).then().statusCode(400).body("detail", containsString("one root per GPU"));
        given().auth().oauth2(operator.token()).get("/api/gpu/sessions/" + id).then().statusCode(200)
                .body("state", equalTo("OPEN")).body("step.kind", equalTo("COMPUTE")).body("step.compute[0].tile", equalTo(32));
        given().auth().oauth2(Operator.create().token()).contentType(ContentType.JSON).body(Map.of("step", 3)).post(answers)
                .then().statusCode(404);
        given().contentType(ContentType.JSON).body(Map.of("step", 3)).post(answers).then().statusCode(401);

        given().auth().oauth2(operator.token()).contentType(ContentType.JSON).body(Map.of("gpus", List.of()))
                .post("/api/gpu/sessions").then().statusCode(400);
        given().auth().oauth2(operator.token()).contentType(ContentType.JSON)
                .body(Map.of("gpus", List.of(Map.of("uuid", "GPU-nope", "model", MODEL)))).post("/api/gpu/sessions")
                .then().statusCode(400).body("detail", containsString("gpus[0].uuid"));
        given().auth().oauth2(operator.token()).contentType(ContentType.JSON)
                .body(Map.of("gpus", List.of(Map.of("uuid", FakeGpu.newUuid(), "model", "no-such-model")))).post("/api/gpu/sessions")
                .then().statusCode(400).body("detail", containsString("no GPU model 'no-such-model'"));
    }

    @Test
    void aSpotCheckIsAnsweredFromItsAnnouncedInstantAndAGpuNobodyAnswersForFailsAsMissed() {
        saveCalibratedModel();
        Operator operator = Operator.create();
        String answered = FakeGpu.newUuid();
        String silent = FakeGpu.newUuid();
        Prover gpu = new CpuProver(1);
        for (String uuid : List.of(answered, silent)) {
            JsonNode session = TestProofRunner.certify(server(), operator.apiKey(), i -> gpu, gpus(uuid));
            assertThat(session.path("state").asText()).as(session.toString()).isEqualTo("PASSED");
            upload(operator, session.path("id").asText(), uuid).then().log().ifValidationFails().statusCode(201);
        }
        String address = operator.wallet().address().toLowerCase();
        Instant startsAt = Instant.now().plusMillis(1500);
        proof.announce(address, startsAt);

        JsonNode due = given().auth().oauth2(operator.apiKey()).contentType(ContentType.JSON).body(Map.of("gpus", List.of(answered)))
                .post("/api/gpu/spot-checks/due").then().statusCode(200).extract().as(JsonNode.class);
        assertThat(due).hasSize(1);
        String sessionId = due.get(0).path("session").asText();
        given().auth().oauth2(operator.token()).get("/api/gpu/sessions/" + sessionId).then().statusCode(200)
                .body("kind", equalTo("SPOT")).body("step.kind", equalTo("START"));
        given().auth().oauth2(operator.token()).contentType(ContentType.JSON).body(Map.of("step", 0))
                .post("/api/gpu/sessions/" + sessionId + "/answers").then().statusCode(409).body("detail", containsString("starts at"));

        // the node agent's poll finds the session the first poll opened and answers it from the announced instant
        List<JsonNode> sessions = TestProofRunner.answerSpotChecks(server(), operator.apiKey(), uuid -> gpu, List.of(answered));
        assertThat(sessions).singleElement().satisfies(done -> assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("PASSED"));
        assertThat(proof.recentSpotChecks(answered, 5)).singleElement().satisfies(r -> {
            assertThat(r.passed()).isTrue();
            assertThat(r.startsAt()).isCloseTo(startsAt, org.assertj.core.api.Assertions.within(1, java.time.temporal.ChronoUnit.MILLIS));
            assertThat(r.elapsedMs()).isLessThanOrEqualTo(r.deadlineMs());
        });

        // Ten minutes on, the check's time is up: the GPU no agent answered for fails as missed.
        assertThat(proof.closeSpotChecks(Instant.now().plusSeconds(600))).isGreaterThanOrEqualTo(1);
        assertThat(proof.recentSpotChecks(silent, 5)).singleElement().satisfies(r -> {
            assertThat(r.failed()).isTrue();
            assertThat(r.reason()).startsWith("Missed");
        });
        assertThat(proof.recentSpotChecks(answered, 5)).singleElement().satisfies(r -> assertThat(r.passed()).isTrue());
        assertThat(proof.failedSpotChecks(startsAt.minusSeconds(3600), Instant.now().plusSeconds(60)))
                .anySatisfy(r -> assertThat(r.gpuUuid()).isEqualTo(silent))
                .noneSatisfy(r -> assertThat(r.gpuUuid()).isEqualTo(answered));
    }
    @Test
    void aSpotCheckStartsAtOneInstantForEveryOperatorSoThatOneGpuCannotAnswerForSeveralWallets() {
        saveCalibratedModel();
        Prover gpu = new CpuProver(1);
        List<Operator> wallets = List.of(Operator.create(), Operator.create());
        List<String> uuids = new java.util.ArrayList<>();
        for (Operator operator : wallets) {
            String uuid = FakeGpu.newUuid();
            JsonNode session = TestProofRunner.certify(server(), operator.apiKey(), i -> gpu, gpus(uuid));
            assertThat(session.path("state").asText()).as(session.toString()).isEqualTo("PASSED");
            upload(operator, session.path("id").asText(), uuid).then().log().ifValidationFails().statusCode(201);
            uuids.add(uuid);
        }
        Instant now = Instant.now();
        assertThat(proof.announceSpotChecks(now, 0.999)).as("a minute without a check").isZero();
        assertThat(proof.announceSpotChecks(now, 0.0)).isGreaterThanOrEqualTo(2);

        List<String> starts = new java.util.ArrayList<>();
        for (int w = 0; w < wallets.size(); w++) {
            JsonNode due = given().auth().oauth2(wallets.get(w).apiKey()).contentType(ContentType.JSON)
                    .body(Map.of("gpus", List.of(uuids.get(w)))).post("/api/gpu/spot-checks/due")
                    .then().statusCode(200).extract().as(JsonNode.class);
            assertThat(due).hasSize(1);
            starts.add(due.get(0).path("startsAt").asText());
        }
        assertThat(Instant.parse(starts.get(0))).isEqualTo(Instant.parse(starts.get(1))).isAfter(now);
        assertThat(proof.announceSpotChecks(now, 0.0)).as("none while the operators' checks are open").isZero();

        proof.closeSpotChecks(now.plusSeconds(600));
        assertThat(uuids).allSatisfy(uuid -> assertThat(proof.recentSpotChecks(uuid, 5)).singleElement()
                .satisfies(r -> assertThat(r.failed()).isTrue()));
    }
}
