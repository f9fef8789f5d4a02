package gpu;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import accounts.TestWallet;
import gpu.report.GpuReport;
import gpu.report.ReferenceMath;
import gpu.report.ReportJson;
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
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Keys;
import platform.EmbeddedPostgresResource;

/**
 * Reports from a pretend GPU ({@link FakeGpu}), signed and uploaded through the real API: a good
 * one is certified; each kind of bad one is refused with its reason, and all reasons come at once.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class ReportVerificationTest {

    @Inject
    Certification certification;

    @Inject
    EntityManager entityManager;

    /** A signed-in operator with a challenge in hand. */
    record Operator(TestWallet wallet, String token) {

        static Operator signIn() {
            TestWallet wallet = TestWallet.random();
            return new Operator(wallet, wallet.signIn());
        }

        String address() {
            return wallet.address().toLowerCase();
        }

        Map<String, Object> challenge() {
            return given().auth().oauth2(token).contentType(ContentType.JSON).body("{}").post("/api/gpu/challenges").then()
                    .statusCode(201)
                    .body("nonce", notNullValue())
                    .body("seed", notNullValue())
                    .body("operator", equalTo(address()))
                    .extract().jsonPath().getMap("");
        }

        GpuReport goodReport(String uuid) {
            Map<String, Object> challenge = challenge();
            return FakeGpu.h100((String) challenge.get("nonce"), (String) challenge.get("seed"), address(), uuid);
        }

        ValidatableResponse upload(SignedReport signed) {
            return upload(ReportJson.pretty(signed));
        }

        ValidatableResponse upload(String body) {
            return given().auth().oauth2(token).contentType(ContentType.JSON).body(body).post("/api/gpu/reports").then();
        }

        ValidatableResponse uploadSignedByMe(GpuReport report) {
            return upload(FakeGpu.signed(report, wallet.key()));
        }
    }

    @Test
    void aGoodReportIsCertifiedAndItsCertificateIsWhatPoolsWillFind() {
        Operator operator = Operator.signIn();
        String uuid = FakeGpu.newUuid();
        var created = operator.uploadSignedByMe(operator.goodReport(uuid)).statusCode(201)
                .body("gpuUuid", equalTo(uuid))
                .body("gpuName", equalTo(FakeGpu.H100_NAME))
                .body("modelId", equalTo("h100-sxm"))
                .body("operator", equalTo(operator.address()))
                .body("figures.fp32Tflops.measured", equalTo(60.21f))
                .body("figures.fp32Tflops.reference", equalTo(66.9f))
                .body("figures.fp32Tflops.margin", equalTo(0.9000f))
                .body("figures.deviceBandwidthGbs.measured", equalTo(3015.0f))
                .extract();
        String hash = created.path("hash");
        String content = created.path("content");
        assertThat(hash).isEqualTo(ReferenceMath.sha256(content.getBytes(StandardCharsets.UTF_8)));
        assertThat(content).contains("\"format\":\"bc-gpu-certificate/1\"").contains(uuid);

        given().get("/api/gpu/certificates/" + hash).then().statusCode(200).body("gpuUuid", equalTo(uuid));
        given().accept("text/html").get("/gpu/certificates/" + hash).then().statusCode(200)
                .body(containsString(hash)).body(containsString("fp32Tflops")).body(containsString("0.9000"))
                .body(containsString("valid"));
        given().auth().oauth2(operator.token()).get("/api/gpu/certificates").then().statusCode(200)
                .body("hash", hasItem(hash));
        given().auth().oauth2(operator.token()).get("/api/gpu/reports").then().statusCode(200)
                .body("[0].certified", is(true)).body("[0].certificateHash", equalTo(hash));

        Instant now = Instant.now();
        assertThat(certification.validCertificate(uuid, now)).hasValueSatisfying(c -> {
            assertThat(c.hash()).isEqualTo(hash);
            assertThat(c.operator().value()).isEqualTo(operator.address());
            assertThat(c.margin("fp32Tflops")).isEqualByComparingTo("0.9");
            assertThat(c.expiresAt()).isAfter(now.plusSeconds(89L * 24 * 3600));
        });
        assertThat(certification.validCertificate(FakeGpu.newUuid(), now)).isEmpty();
        assertThat(certification.certificate(hash)).isPresent();
    }

    @Test
    void aReportSignedByARegisteredHostKeyIsCertifiedUntilTheKeyIsRevoked() throws Exception {
        Operator operator = Operator.signIn();
        var hostKey = Keys.createEcKeyPair();
        String hostAddress = "0x" + Keys.getAddress(hostKey);
        String id = given().auth().oauth2(operator.token()).contentType(ContentType.JSON)
                .body(Map.of("address", hostAddress, "label", "rack-3-node-12"))
                .post("/api/gpu/host-keys").then().statusCode(201)
                .body("address", equalTo(hostAddress)).body("label", equalTo("rack-3-node-12"))
                .extract().path("id");

        operator.upload(FakeGpu.signed(operator.goodReport(FakeGpu.newUuid()), hostKey)).statusCode(201)
                .body("content", containsString("\"signer\":\"" + hostAddress + "\""));

        given().auth().oauth2(operator.token()).delete("/api/gpu/host-keys/" + id).then().statusCode(204);
        operator.upload(FakeGpu.signed(operator.goodReport(FakeGpu.newUuid()), hostKey)).statusCode(422)
                .body("reasons.code", hasItem("signature"));
    }

    @Test
    void aForgedSignatureIsRefused() throws Exception {
        Operator operator = Operator.signIn();
        operator.upload(FakeGpu.signed(operator.goodReport(FakeGpu.newUuid()), Keys.createEcKeyPair())).statusCode(422)
                .contentType("application/problem+json")
                .body("status", equalTo(422))
                .body("reportId", notNullValue())
                .body("reasons.code", equalTo(List.of("signature")))
                .body("reasons[0].message", containsString("neither your wallet nor one of your registered host keys"));
    }

    @Test
    void aReportChangedAfterItWasSignedIsRefused() {
        Operator operator = Operator.signIn();
        SignedReport signed = FakeGpu.signed(operator.goodReport(FakeGpu.newUuid()), operator.wallet().key());
        ((com.fasterxml.jackson.databind.node.ObjectNode) signed.report().get("compute")).put("fp32Tflops", "66.00");
        operator.upload(signed).statusCode(422).body("reasons.code", equalTo(List.of("signature")));
    }

    @Test
    void aNonceWorksOnce() {
        Operator operator = Operator.signIn();
        GpuReport report = operator.goodReport(FakeGpu.newUuid());
        operator.uploadSignedByMe(report).statusCode(201);
        operator.uploadSignedByMe(report).statusCode(422)
                .body("reasons.code", equalTo(List.of("nonce")))
                .body("reasons[0].message", containsString("already used"));
    }

    @Test
    void anotherOperatorsNonceOrAnExpiredOneIsRefused() {
        Operator operator = Operator.signIn();
        Map<String, Object> theirs = Operator.signIn().challenge();
        GpuReport stolen = FakeGpu.h100((String) theirs.get("nonce"), (String) theirs.get("seed"), operator.address(), FakeGpu.newUuid());
        operator.uploadSignedByMe(stolen).statusCode(422).body("reasons.code", equalTo(List.of("nonce")));

        Map<String, Object> challenge = operator.challenge();
        QuarkusTransaction.requiringNew().run(() -> entityManager
                .createNativeQuery("update gpu_challenge set expires_at = issued_at - interval '1 minute', issued_at = issued_at - interval '1 hour' where nonce = ?1")
                .setParameter(1, challenge.get("nonce")).executeUpdate());
        GpuReport late = FakeGpu.h100((String) challenge.get("nonce"), (String) challenge.get("seed"), operator.address(), FakeGpu.newUuid());
        operator.uploadSignedByMe(late).statusCode(422)
                .body("reasons.code", equalTo(List.of("nonce")))
                .body("reasons[0].message", containsString("expired"));
    }

    @Test
    void digestsFromAnotherSeedAreRefused() {
        Operator operator = Operator.signIn();
        Map<String, Object> challenge = operator.challenge();
        String otherSeed = SeedStreams.newSeed(new SecureRandom());
        GpuReport report = FakeGpu.h100((String) challenge.get("nonce"), (String) challenge.get("seed"), otherSeed, operator.address(),
                FakeGpu.newUuid());
        operator.uploadSignedByMe(report).statusCode(422)
                .body("reasons.code", equalTo(List.of("digest.matmul", "digest.mma", "digest.stability", "digest.integrity")));
    }

    @Test
    void aReportWithAnotherSeedThanItsChallengeIsRefused() {
        Operator operator = Operator.signIn();
        Map<String, Object> challenge = operator.challenge();
        String otherSeed = SeedStreams.newSeed(new SecureRandom());
        GpuReport report = FakeGpu.h100((String) challenge.get("nonce"), otherSeed, operator.address(), FakeGpu.newUuid());
        operator.uploadSignedByMe(report).statusCode(422)
                .body("reasons.code", hasItem("seed"))
                .body("reasons.code", hasItem("digest.matmul"));
    }

    @Test
    void figuresUnderTheirPassFractionAreRefusedWithWhatWasNeeded() {
        Operator operator = Operator.signIn();
        GpuReport slow = FakeGpu.withCompute(operator.goodReport(FakeGpu.newUuid()), "40.00", "650.00");
        operator.uploadSignedByMe(slow).statusCode(422)
                .body("reasons.code", equalTo(List.of("figure.fp32Tflops")))
                .body("reasons[0].message", containsString("40.00 TFLOP/s is under 80 % of the NVIDIA H100 SXM5 80GB reference 66.90"))
                .body("reasons[0].message", containsString("needs 53.52"));
    }

    @Test
    void aGpuCertifiedForOneOperatorIsRefusedToAnother() {
        String uuid = FakeGpu.newUuid();
        Operator first = Operator.signIn();
        first.uploadSignedByMe(first.goodReport(uuid)).statusCode(201);

        Operator second = Operator.signIn();
        second.uploadSignedByMe(second.goodReport(uuid)).statusCode(422)
                .body("reasons.code", equalTo(List.of("uuid")))
                .body("reasons[0].message", containsString("already certified for operator"));
    }

    @Test
    void aRevokedCertificateFreesTheGpuForAnotherOperator() {
        String uuid = FakeGpu.newUuid();
        Operator first = Operator.signIn();
        String hash = first.uploadSignedByMe(first.goodReport(uuid)).statusCode(201).extract().path("hash");
        given().auth().oauth2(first.token()).delete("/api/gpu/certificates/" + hash).then().statusCode(204);
        assertThat(certification.validCertificate(uuid, Instant.now())).isEmpty();

        Operator second = Operator.signIn();
        second.uploadSignedByMe(second.goodReport(uuid)).statusCode(201);
        assertThat(certification.validCertificate(uuid, Instant.now())).hasValueSatisfying(
                c -> assertThat(c.operator().value()).isEqualTo(second.address()));
    }

    @Test
    void recertifyingAGpuSupersedesItsOlderCertificate() {
        String uuid = FakeGpu.newUuid();
        Operator operator = Operator.signIn();
        String older = operator.uploadSignedByMe(operator.goodReport(uuid)).statusCode(201).extract().path("hash");
        String newer = operator.uploadSignedByMe(operator.goodReport(uuid)).statusCode(201).extract().path("hash");

        assertThat(certification.validCertificate(uuid, Instant.now().plusSeconds(1))).hasValueSatisfying(
                c -> assertThat(c.hash()).isEqualTo(newer));
        given().get("/api/gpu/certificates/" + older).then().statusCode(200).body("supersededBy", equalTo(newer));
    }

    @Test
    void aGpuThatIsNotTheClaimedModelIsRefused() {
        Operator operator = Operator.signIn();
        GpuReport report = FakeGpu.withGpu(operator.goodReport(FakeGpu.newUuid()), g -> new GpuReport.Identity("NVIDIA GeForce RTX 4090",
                g.uuid(), g.pciBusId(), 24564L << 20, 128, "8.9", 2520, g.memoryClockMhz(), 384, g.driverVersion()));
        operator.uploadSignedByMe(report).statusCode(422)
                .body("reasons.code", hasItems("model.name", "model.sms", "model.computeCapability", "model.memory"))
                .body("reasons.find { it.code == 'model.name' }.message", containsString("'NVIDIA GeForce RTX 4090', which is not a NVIDIA H100 SXM5 80GB"));

        operator.uploadSignedByMe(FakeGpu.withModel(operator.goodReport(FakeGpu.newUuid()), "h100-pcie")).statusCode(422)
                .body("reasons.code", hasItems("model.name", "model.sms"));
        operator.uploadSignedByMe(FakeGpu.withModel(operator.goodReport(FakeGpu.newUuid()), "tpu-v5")).statusCode(422)
                .body("reasons.code", hasItem("model"));
    }

    @Test
    void figuresThatContradictTheModelOrEachOtherAreImplausible() {
        Operator operator = Operator.signIn();
        GpuReport fast = FakeGpu.withCompute(FakeGpu.withCopyBandwidth(operator.goodReport(FakeGpu.newUuid()), "9000.00"), "95.00", "650.00");
        operator.uploadSignedByMe(fast).statusCode(422)
                .body("reasons.code", equalTo(List.of("plausibility.bandwidth", "plausibility.fp32Tflops")));

        GpuReport overclocked = FakeGpu.withStability(operator.goodReport(FakeGpu.newUuid()), 0, true, "0.01");
        operator.uploadSignedByMe(overclocked).statusCode(422)
                .body("reasons.code", hasItems("plausibility.stability", "stability.duration"));
    }

    @Test
    void aSickGpuIsRefusedWithEveryReasonAtOnce() {
        Operator operator = Operator.signIn();
        GpuReport sick = FakeGpu.withStability(FakeGpu.withIntegrityErrors(
                FakeGpu.withCompute(operator.goodReport(FakeGpu.newUuid()), "30.00", "100.00"), 17), 5, false, "20.40");
        operator.uploadSignedByMe(sick).statusCode(422)
                .body("reasons.code", equalTo(List.of("figure.fp32Tflops", "figure.bf16Tflops", "integrity", "stability", "stability.freivalds")))
                .body("detail", containsString("17 words"));

        given().auth().oauth2(operator.token()).get("/api/gpu/reports").then().statusCode(200)
                .body("$", hasSize(1))
                .body("[0].certified", is(false))
                .body("[0].reasons.code", hasItems("integrity", "stability"));
        given().auth().oauth2(operator.token()).accept("text/html").get("/gpu/certificates").then().statusCode(200)
                .body(containsString("refused"))
                .body(containsString("The memory test found 17 words that did not read back as written"));
    }

    @Test
    void aReportWithFloatsOrWithoutItsPartsIsABadRequest() {
        Operator operator = Operator.signIn();
        SignedReport signed = FakeGpu.signed(operator.goodReport(FakeGpu.newUuid()), operator.wallet().key());
        ((com.fasterxml.jackson.databind.node.ObjectNode) signed.report().get("compute")).put("fp32Tflops", 60.21);
        operator.upload(signed).statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("numbers must be integers"));

        given().auth().oauth2(operator.token()).contentType(ContentType.JSON)
                .body(Map.of("report", Map.of("format", GpuReport.FORMAT), "signature", "0x" + "00".repeat(65)))
                .post("/api/gpu/reports").then().statusCode(400).body("detail", containsString("lacks challenge"));
    }

    @Test
    void challengesAndReportsNeedASignedInOperator() {
        given().post("/api/gpu/challenges").then().statusCode(401);
        given().contentType(ContentType.JSON).body("{}").post("/api/gpu/reports").then().statusCode(401);
        given().get("/api/gpu/certificates").then().statusCode(401);
        given().get("/api/gpu/certificates/0x" + "ab".repeat(32)).then().statusCode(404);
    }

    @Test
    void hostKeysAreTheOperatorsOwn() throws Exception {
        Operator operator = Operator.signIn();
        String address = "0x" + Keys.getAddress(Keys.createEcKeyPair());
        String id = given().auth().oauth2(operator.token()).contentType(ContentType.JSON)
                .body(Map.of("address", address, "label", "node-1")).post("/api/gpu/host-keys").then().statusCode(201)
                .extract().path("id");
        given().auth().oauth2(operator.token()).contentType(ContentType.JSON)
                .body(Map.of("address", address, "label", "again")).post("/api/gpu/host-keys").then().statusCode(409);
        given().auth().oauth2(operator.token()).contentType(ContentType.JSON)
                .body(Map.of("address", "0x1234", "label", "bad")).post("/api/gpu/host-keys").then().statusCode(400);

        Operator other = Operator.signIn();
        given().auth().oauth2(other.token()).delete("/api/gpu/host-keys/" + id).then().statusCode(404);
        given().auth().oauth2(other.token()).get("/api/gpu/host-keys").then().body("$", hasSize(0));
        given().auth().oauth2(operator.token()).get("/api/gpu/host-keys").then()
                .body("$", hasSize(1)).body("[0].label", equalTo("node-1")).body("[0].revokedAt", nullValue());
    }

    @Test
    void theDatabaseRefusesAGpuCertifiedForTwoOperatorsAtOnce() {
        String uuid = FakeGpu.newUuid();
        Operator operator = Operator.signIn();
        String hash = operator.uploadSignedByMe(operator.goodReport(uuid)).statusCode(201).extract().path("hash");
        java.util.UUID reportId = java.util.UUID.randomUUID();
        String otherOperator = "0x" + "ef".repeat(20);
        Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() -> QuarkusTransaction.requiringNew().run(() -> {
            entityManager.createNativeQuery("insert into gpu_report (id, operator, submitted_at, certified, reasons, body)"
                            + " values (?1, ?2, now(), true, '[]', '{}')")
                    .setParameter(1, reportId).setParameter(2, otherOperator).executeUpdate();
            entityManager.createNativeQuery("insert into gpu_certificate (hash, gpu_uuid, model_id, operator, report_id, issued_at, expires_at, content)"
                            + " select ?1, gpu_uuid, model_id, ?2, ?3, issued_at + interval '1 day', expires_at, content from gpu_certificate where hash = ?4")
                    .setParameter(1, "0x" + "cd".repeat(32)).setParameter(2, otherOperator).setParameter(3, reportId).setParameter(4, hash)
                    .executeUpdate();
        }));
        assertThat(refused).isNotNull();
        assertThat(rootMessage(refused)).contains("gpu_certificate_one_operator_per_gpu");
    }

    private static String rootMessage(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c.getMessage()).append('\n');
        }
        return all.toString();
    }
}
