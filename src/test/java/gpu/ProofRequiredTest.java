package gpu;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import accounts.TestWallet;
import gpu.report.ReportJson;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import platform.ProductDefaultsProfile;

/**
 * With {@code bc.gpu.proof.required} on, as the product ships, the one-shot report path certifies
 * nothing new: a report whose figures and digests are all sound is refused for want of a passed
 * proof-of-GPU session, and the GPU stays uncertified (the rest of the suite runs with it off, see
 * application.properties; gpu.ProofSessionTest certifies through sessions).
 */
@QuarkusTest
@TestProfile(ProductDefaultsProfile.class)
class ProofRequiredTest {

    @Test
    void aSoundReportWithoutASessionIsRefusedForTheSession() {
        TestWallet wallet = TestWallet.random();
        String token = wallet.signIn();
        Map<String, Object> challenge = given().auth().oauth2(token).contentType(ContentType.JSON).body("{}")
                .post("/api/gpu/challenges").then().statusCode(201).extract().jsonPath().getMap("");
        String uuid = FakeGpu.newUuid();
        var report = FakeGpu.h100((String) challenge.get("nonce"), (String) challenge.get("seed"), wallet.address().toLowerCase(), uuid);

        given().auth().oauth2(token).contentType(ContentType.JSON).body(ReportJson.pretty(FakeGpu.signed(report, wallet.key())))
                .post("/api/gpu/reports")
                .then().statusCode(422)
                .body("reasons.code", equalTo(List.of("session")))
                .body("detail", containsString("proof-of-GPU session"));

        given().auth().oauth2(token).get("/api/gpu/reports")
                .then().statusCode(200).body("find { it.gpuUuid == '" + uuid + "' }.certified", is(false));
    }
}
