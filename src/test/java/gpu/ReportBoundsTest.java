package gpu;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.node.ObjectNode;
import gpu.ReportVerificationTest.Operator;
import gpu.report.GpuReport;
import gpu.report.ReportJson;
import gpu.report.CanonicalJson;
import gpu.report.SeedStreams;
import gpu.report.SignedReport;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Keys;
import platform.EmbeddedPostgresResource;

/**
 * Reports that would cost the server time or memory, or that carry what they should not, are
 * refused where they are read, fast, with the field named, and change nothing: huge exponents and
 * digit counts, long strings and lists, control characters, unknown fields, oversized bodies; and
 * a report for a challenge the caller cannot use is refused before any of its expensive checks.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class ReportBoundsTest {

    /** Generous for the test machine; the real figure is a few milliseconds (printed by each test). */
    static final Duration FAST = Duration.ofSeconds(2);

    @Inject
    EntityManager entityManager;

    @Test
    void aFigureWithAHugeExponentIsRefusedFastNamingTheFieldAndChangesNothing() {
        Operator operator = Operator.signIn();
        Map<String, Object> challenge = operator.challenge();
        GpuReport good = FakeGpu.h100((String) challenge.get("nonce"), (String) challenge.get("seed"), operator.address(), FakeGpu.newUuid());

        assertRefusedFast(operator, good, r -> section(r, "compute").put("fp32Tflops", "1e-2000000000"), "compute.fp32Tflops")
                .body("detail", containsString("without an exponent"));
        assertRefusedFast(operator, good, r -> section(r, "integrity").put("seconds", "1e-10000000"), "integrity.seconds");
        assertRefusedFast(operator, good, r -> section(r, "stability").put("seconds", "1E+999999999"), "stability.seconds");
        assertRefusedFast(operator, good, r -> section(r, "bandwidth").put("copyGbs", "1234567890123.5"), "bandwidth.copyGbs")
                .body("detail", containsString("at most 12 digits before the point and 6 after"));
        assertRefusedFast(operator, good, r -> section(r, "bandwidth").put("triadGbs", "2990.1234567"), "bandwidth.triadGbs");
        assertRefusedFast(operator, good, r -> section(r, "compute").put("bf16Tflops", 650), "compute.bf16Tflops")
                .body("detail", containsString("write decimals as strings"));

        given().get("/api/gpu/models").then().statusCode(200);
        given().auth().oauth2(operator.token()).get("/api/gpu/reports").then().statusCode(200).body("size()", equalTo(0));
        operator.uploadSignedByMe(good).statusCode(201);
    }

    @Test
    void aMillionDigitFigureIsRefusedByTheSizeOfTheReportBeforeItIsParsed() {
        Operator operator = Operator.signIn();
        GpuReport good = operator.goodReport(FakeGpu.newUuid());
        assertRefusedFast(operator, good, r -> section(r, "compute").put("fp32Tflops", "9".repeat(60_000)), "16384")
                .body("detail", containsString("at most 16384 (16 KiB)"));
        assertRefusedFast(operator, good, r -> section(r, "gpu").put("name", "x".repeat(20_000)), "16384");
        given().get("/api/gpu/models").then().statusCode(200);
    }

    @Test
    void stringsAndListsOfAReportAreBoundedAndPrintable() {
        Operator operator = Operator.signIn();
        GpuReport good = operator.goodReport(FakeGpu.newUuid());
        assertRefusedFast(operator, good, r -> section(r, "gpu").put("name", "N".repeat(201)), "gpu.name")
                .body("detail", containsString("at most 200"));
        assertRefusedFast(operator, good, r -> section(r, "gpu").put("driverVersion", "13.0\u0000"), "gpu.driverVersion")
                .body("detail", containsString("U+0000"));
        assertRefusedFast(operator, good, r -> section(r, "challenge").put("nonce", "n".repeat(101)), "challenge.nonce");
        assertRefusedFast(operator, good, r -> {
            var patterns = section(r, "integrity").putArray("patterns");
            for (int i = 0; i < 11; i++) {
                patterns.add("random");
            }
        }, "integrity.patterns").body("detail", containsString("at most 10"));
        assertRefusedFast(operator, good, r -> section(r, "gpu").put("smCount", "132"), "gpu.smCount")
                .body("detail", containsString("whole number"));
        assertRefusedFast(operator, good, r -> section(r, "gpu").put("totalMemoryBytes", new java.math.BigInteger("9".repeat(40))),
                "gpu.totalMemoryBytes");
        given().auth().oauth2(operator.token()).get("/api/gpu/reports").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void unknownFieldsAreRefusedAndNeverStoredEvenWhenTheReportWouldBeRefused() throws Exception {
        Operator operator = Operator.signIn();
        GpuReport good = operator.goodReport(FakeGpu.newUuid());
        SignedReport forged = FakeGpu.signed(good, Keys.createEcKeyPair());
        ((ObjectNode) forged.report()).put("notes", "kept forever?");
        operator.upload(forged).statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("notes is not a field of a bc-gpu-report/1 report"));
        SignedReport nested = FakeGpu.signed(good, operator.wallet().key());
        section(nested.report(), "gpu").put("serial", "1234");
        operator.upload(nested).statusCode(400).body("detail", containsString("gpu.serial is not a field"))
                .body("detail", not(containsString("gpu.report.")));
        assertThat(storedBodies(operator)).isEmpty();

        operator.uploadSignedByMe(good).statusCode(201);
        assertThat(storedBodies(operator)).containsExactly(CanonicalJson.write(ReportJson.tree(good)));
    }

    @Test
    void theKeptReportIsTheCanonicalFormOfWhatWasReadAndWhatWasSigned() {
        Operator operator = Operator.signIn();
        GpuReport report = FakeGpu.withCompute(operator.goodReport(FakeGpu.newUuid()), "30.00", "650.00");
        SignedReport signed = FakeGpu.signed(report, operator.wallet().key());
        given().auth().oauth2(operator.token()).contentType(ContentType.JSON)
                .body("{\"signature\": \"" + signed.signature() + "\", \"extra\": \"" + "y".repeat(10_000) + "\", \"report\": "
                        + signed.report() + "}")
                .post("/api/gpu/reports").then().statusCode(422)
                .body("reasons.code", equalTo(List.of("figure.fp32Tflops")));
        assertThat(storedBodies(operator)).containsExactly(CanonicalJson.write(ReportJson.tree(report)));
    }

    @Test
    void aReportForAUsedChallengeIsRefusedWithThatReasonAloneBeforeAnyDigestIsRecomputed() throws Exception {
        Operator operator = Operator.signIn();
        Map<String, Object> challenge = operator.challenge();
        String nonce = (String) challenge.get("nonce");
        String seed = (String) challenge.get("seed");
        operator.uploadSignedByMe(FakeGpu.h100(nonce, seed, operator.address(), FakeGpu.newUuid())).statusCode(201);

        // Everything else is wrong too: digests of another seed, slow figures, a stranger's signature.
        GpuReport replay = FakeGpu.withCompute(FakeGpu.h100(nonce, seed, SeedStreams.newSeed(new SecureRandom()), operator.address(),
                FakeGpu.newUuid()), "10.00", "10.00");
        long started = System.nanoTime();
        operator.upload(FakeGpu.signed(replay, Keys.createEcKeyPair())).statusCode(422)
                .body("reasons.code", equalTo(List.of("nonce")))
                .body("reasons[0].message", containsString("already used"));
        assertFast(started, "used challenge");
        assertThat(storedBodies(operator)).hasSize(1);
    }

    @Test
    void aReportForAnExpiredChallengeIsRefusedWithThatReasonAloneAndLeavesTheChallengeUnused() {
        Operator operator = Operator.signIn();
        Map<String, Object> challenge = operator.challenge();
        QuarkusTransaction.requiringNew().run(() -> entityManager
                .createNativeQuery("update gpu_challenge set expires_at = issued_at - interval '1 minute', issued_at = issued_at - interval '1 hour' where nonce = ?1")
                .setParameter(1, challenge.get("nonce")).executeUpdate());
        GpuReport late = FakeGpu.withCompute(FakeGpu.h100((String) challenge.get("nonce"), (String) challenge.get("seed"),
                SeedStreams.newSeed(new SecureRandom()), operator.address(), FakeGpu.newUuid()), "10.00", "10.00");
        long started = System.nanoTime();
        operator.uploadSignedByMe(late).statusCode(422)
                .body("reasons.code", equalTo(List.of("nonce")))
                .body("reasons[0].message", containsString("expired"));
        assertFast(started, "expired challenge");
        assertThat(storedBodies(operator)).isEmpty();
        Object usedAt = QuarkusTransaction.requiringNew().call(() -> entityManager
                .createNativeQuery("select used_at from gpu_challenge where nonce = ?1").setParameter(1, challenge.get("nonce"))
                .getSingleResult());
        assertThat(usedAt).isNull();
    }

    @Test
    void anAnonymousReportIsRefusedBeforeItsBodyIsLookedAt() {
        Operator operator = Operator.signIn();
        SignedReport signed = FakeGpu.signed(operator.goodReport(FakeGpu.newUuid()), operator.wallet().key());
        section(signed.report(), "compute").put("fp32Tflops", "1e-2000000000");
        long started = System.nanoTime();
        given().contentType(ContentType.JSON).body(ReportJson.pretty(signed)).post("/api/gpu/reports").then().statusCode(401);
        assertFast(started, "anonymous");
    }

    @Test
    void anOverlongSignatureIsABadRequest() {
        Operator operator = Operator.signIn();
        SignedReport signed = FakeGpu.signed(operator.goodReport(FakeGpu.newUuid()), operator.wallet().key());
        operator.upload(new SignedReport(signed.report(), signed.signature() + "00".repeat(1000))).statusCode(400)
                .body("detail", containsString("signature must be an EIP-191 signature: 0x and 130 hex digits"));
        assertThat(storedBodies(operator)).isEmpty();
    }

    @Test
    void aReportAsTheCliWritesItIsFarBelowTheSizeLimit() {
        GpuReport report = FakeGpu.h100("0".repeat(32), SeedStreams.newSeed(new SecureRandom()), "0x" + "ab".repeat(20), FakeGpu.newUuid());
        int length = CanonicalJson.write(ReportJson.tree(report)).length();
        System.out.println("ReportBoundsTest: a report has " + length + " characters of canonical JSON");
        assertThat(length).isBetween(1_500, gpu.report.ReportLimits.MAX_REPORT_CHARS / 4);
    }

    // ------------------------------------------------------------------ helpers

    private static ObjectNode section(com.fasterxml.jackson.databind.JsonNode report, String name) {
        return (ObjectNode) report.get(name);
    }

    /** Signs {@code report}, breaks it with {@code change}, uploads it: a 400 naming {@code field}, within {@link #FAST}. */
    private static ValidatableResponse assertRefusedFast(Operator operator, GpuReport report, Consumer<ObjectNode> change, String field) {
        SignedReport signed = FakeGpu.signed(report, operator.wallet().key());
        change.accept((ObjectNode) signed.report());
        String body = ReportJson.pretty(signed);
        long started = System.nanoTime();
        ValidatableResponse response = operator.upload(body).statusCode(400).contentType("application/problem+json")
                .body("detail", containsString(field));
        assertFast(started, field);
        return response;
    }

    private static void assertFast(long startedNanos, String what) {
        Duration took = Duration.ofNanos(System.nanoTime() - startedNanos);
        System.out.println("ReportBoundsTest: " + what + " answered in " + took.toMillis() + " ms");
        assertThat(took).as(what + " answered in").isLessThan(FAST);
    }

    @SuppressWarnings("unchecked")
    private List<String> storedBodies(Operator operator) {
        Supplier<List<String>> query = () -> entityManager.createNativeQuery("select body from gpu_report where operator = ?1 order by submitted_at")
                .setParameter(1, operator.address()).getResultList();
        return QuarkusTransaction.requiringNew().call(query::get);
    }
}
