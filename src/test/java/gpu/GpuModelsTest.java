package gpu;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import accounts.TestWallet;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import platform.EmbeddedPostgresResource;

/** The GPU model reference table: public to read, admins edit it, bad values change nothing. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
@SuppressWarnings("unchecked")
class GpuModelsTest {

    static Map<String, Object> model(String name, String deviceName, int sms, double bandwidth, double fp32Pass) {
        Map<String, Object> reference = Map.of("deviceBandwidthGbs", bandwidth, "hostToDeviceGbs", 64, "deviceToHostGbs", 64,
                "fp32Tflops", 80.0, "bf16Tflops", 2250);
        Map<String, Object> pass = Map.of("deviceBandwidthGbs", 0.75, "hostToDeviceGbs", 0.6, "deviceToHostGbs", 0.6,
                "fp32Tflops", fp32Pass, "bf16Tflops", 0.45);
        Map<String, Object> m = new HashMap<>();
        m.put("name", name);
        m.put("deviceNames", List.of(deviceName));
        m.put("memoryMib", 183359);
        m.put("smCount", sms);
        m.put("computeCapability", "10.0");
        m.put("boostClockMhz", 1965);
        m.put("reference", reference);
        m.put("passFraction", pass);
        return m;
    }

    @Test
    void anyoneReadsTheSeededReferenceTable() {
        given().get("/api/gpu/models").then().statusCode(200)
                .body("id", hasItems("h100-sxm", "h100-pcie", "h200", "a100-80gb", "l40s", "rtx-4090", "rtx-3090"))
                .body("find { it.id == 'h200' }.reference.deviceBandwidthGbs", equalTo(4800.0f))
                .body("find { it.id == 'h200' }.smCount", equalTo(132))
                .body("find { it.id == 'h200' }.passFraction.fp32Tflops", equalTo(0.8f))
                .body("find { it.id == 'rtx-4090' }.deviceNames", hasItem("RTX 4090"));
        given().get("/api/gpu/models/a100-80gb").then().statusCode(200).body("computeCapability", equalTo("8.0"));
        given().get("/api/gpu/models/nope").then().statusCode(404).contentType("application/problem+json");
        given().accept("text/html").get("/gpu").then().statusCode(200)
                .body(containsString("NVIDIA H200 141GB")).body(not(containsString("/edit")));
    }

    @Test
    void anAdminCreatesAndEditsAModel() {
        String admin = TestWallet.ADMIN.signIn();
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(model("NVIDIA B200", "B200", 148, 8000, 0.8))
                .put("/api/gpu/models/b200-test").then().statusCode(201)
                .body("id", equalTo("b200-test")).body("reference.deviceBandwidthGbs", equalTo(8000.0f));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(model("NVIDIA B200 SXM", "B200", 148, 7700, 0.85))
                .put("/api/gpu/models/b200-test").then().statusCode(200);
        given().get("/api/gpu/models/b200-test").then().statusCode(200)
                .body("name", equalTo("NVIDIA B200 SXM"))
                .body("reference.deviceBandwidthGbs", equalTo(7700.0f))
                .body("passFraction.fp32Tflops", equalTo(0.85f));
    }

    @Test
    void onlyAdminsEditTheTable() {
        String customer = TestWallet.random().signIn();
        given().auth().oauth2(customer).contentType(ContentType.JSON).body(model("Fake", "H200", 1, 99999, 0.01))
                .put("/api/gpu/models/h200").then().statusCode(403).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(model("Fake", "H200", 1, 99999, 0.01))
                .put("/api/gpu/models/h200").then().statusCode(401);
        given().get("/api/gpu/models/h200").then().body("name", equalTo("NVIDIA H200 141GB")).body("smCount", equalTo(132));
    }

    @Test
    void badValuesAreRefusedFieldByFieldAndChangeNothing() {
        String admin = TestWallet.ADMIN.signIn();
        Map<String, Object> bad = model("", "H100 PCIe", 0, -5, 1.5);
        bad.put("computeCapability", "nine");
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(bad).put("/api/gpu/models/h100-pcie").then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItems("name", "smCount", "computeCapability", "reference.deviceBandwidthGbs", "passFraction.fp32Tflops"));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(model("Bad id", "X", 1, 1, 0.5))
                .put("/api/gpu/models/Not An Id").then().statusCode(400);
        given().get("/api/gpu/models/h100-pcie").then()
                .body("name", equalTo("NVIDIA H100 PCIe 80GB"))
                .body("smCount", equalTo(114))
                .body("reference.deviceBandwidthGbs", equalTo(2000.0f))
                .body("passFraction.fp32Tflops", equalTo(0.8f));
    }

    @Test
    void theAdminPageEditsAModelAndShowsWhatIsWrong() {
        String admin = TestWallet.ADMIN.signIn();
        given().cookie("bc_session", admin).accept("text/html").get("/gpu").then().statusCode(200)
                .body(containsString("/gpu/models/l40s/edit"));
        Response form = given().cookie("bc_session", admin).accept("text/html").get("/gpu/models/l40s/edit");
        form.then().statusCode(200).body(containsString("NVIDIA L40S"));
        Matcher token = Pattern.compile("name=\"([^\"]+)\" value=\"([^\"]+)\"").matcher(form.asString());
        org.assertj.core.api.Assertions.assertThat(token.find()).isTrue();
        Map<String, String> fields = new HashMap<>(Map.ofEntries(Map.entry(token.group(1), token.group(2)),
                Map.entry("name", "NVIDIA L40S"), Map.entry("deviceNames", "L40S"), Map.entry("memoryMib", "46068"),
                Map.entry("smCount", "142"), Map.entry("computeCapability", "8.9"), Map.entry("boostClockMhz", "2520"),
                Map.entry("bandwidth", "864"), Map.entry("hostToDevice", "32"), Map.entry("deviceToHost", "32"),
                Map.entry("fp32", "91.6"), Map.entry("bf16", "362.05"), Map.entry("bandwidthPass", "0.75"),
                Map.entry("hostToDevicePass", "0.6"), Map.entry("deviceToHostPass", "0.6"), Map.entry("fp32Pass", "2"),
                Map.entry("bf16Pass", "0.6")));

        given().cookie("bc_session", admin).cookies(form.getCookies()).accept("text/html").contentType(ContentType.URLENC)
                .formParams(fields).post("/gpu/models/l40s").then()
                .statusCode(400).body(containsString("Nothing was saved")).body(containsString("passFraction.fp32Tflops"));
        given().get("/api/gpu/models/l40s").then().body("passFraction.fp32Tflops", equalTo(0.8f));

        fields.put("fp32Pass", "0.7");
        given().cookie("bc_session", admin).cookies(form.getCookies()).accept("text/html").contentType(ContentType.URLENC)
                .formParams(fields).redirects().follow(false).post("/gpu/models/l40s").then().statusCode(303);
        given().get("/api/gpu/models/l40s").then().body("passFraction.fp32Tflops", equalTo(0.7f))
                .body("reference.bf16Tflops", equalTo(362.05f));
    }

    @Test
    void hugeExponentsAndDigitCountsInTheTableAreRefusedFastAndChangeNothing() {
        String admin = TestWallet.ADMIN.signIn();
        for (Object figure : List.of("1e-2000000000", "1e+2000000000", "9".repeat(900))) {
            Map<String, Object> bad = model("NVIDIA H100 PCIe 80GB", "H100 PCIe", 114, 2000, 0.8);
            Map<String, Object> reference = new HashMap<>((Map<String, Object>) bad.get("reference"));
            reference.put("deviceBandwidthGbs", figure);
            bad.put("reference", reference);
            long started = System.nanoTime();
            given().auth().oauth2(admin).contentType(ContentType.JSON).body(bad).put("/api/gpu/models/h100-pcie").then()
                    .statusCode(400).contentType("application/problem+json")
                    .body("detail", containsString("reference.deviceBandwidthGbs"));
            org.assertj.core.api.Assertions.assertThat(java.time.Duration.ofNanos(System.nanoTime() - started))
                    .isLessThan(java.time.Duration.ofSeconds(2));
        }
        given().get("/api/gpu/models/h100-pcie").then().statusCode(200).body("reference.deviceBandwidthGbs", equalTo(2000.0f));
    }
}
