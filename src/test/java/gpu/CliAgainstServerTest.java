package gpu;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import accounts.TestWallet;
import com.fasterxml.jackson.databind.JsonNode;
import gpu.cli.Cli;
import gpu.report.GpuReport;
import gpu.report.ReportJson;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import platform.EmbeddedPostgresResource;

/**
 * The CLI's server side against the running app, as an operator uses it on an air-gapped host: an
 * API key, 'challenge' to a file, a report (here from the pretend GPU) signed by a registered host
 * key, 'show', then 'upload'.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class CliAgainstServerTest {

    @TempDir
    Path dir;

    @Test
    void anOperatorCertifiesThroughTheCliWithAnApiKeyAndAHostKey() throws Exception {
        TestWallet operator = TestWallet.random();
        String token = operator.signIn();
        String apiKey = given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("name", "gpu-host-1"))
                .post("/api/me/api-keys").then().statusCode(201).extract().path("key");
        String server = "http://localhost:" + RestAssured.port;

        Path hostKey = dir.resolve("host.key");
        Cli keygen = Cli.run("keygen", "--out", hostKey.toString());
        String hostAddress = keygen.out().replaceAll("(?s).*its address: (0x\\w+).*", "$1");
        given().auth().oauth2(apiKey).contentType(ContentType.JSON).body(Map.of("address", hostAddress, "label", "gpu-host-1"))
                .post("/api/gpu/host-keys").then().statusCode(201);

        Path challengeFile = dir.resolve("challenge.json");
        Cli challenge = Cli.run("challenge", "--server", server, "--api-key", apiKey, "--out", challengeFile.toString());
        assertThat(challenge.exitCode()).as(challenge.err()).isZero();
        JsonNode saved = ReportJson.mapper().readTree(Files.readString(challengeFile));

        GpuReport report = FakeGpu.h100(saved.path("nonce").asText(), saved.path("seed").asText(), saved.path("operator").asText(),
                FakeGpu.newUuid());
        Path reportFile = dir.resolve("report.json");
        Files.writeString(reportFile, ReportJson.pretty(FakeGpu.signed(report, gpu.cli.CliKeys.read(hostKey))));

        Cli show = Cli.run("show", reportFile.toString());
        assertThat(show.exitCode()).as(show.err()).isZero();
        assertThat(show.out()).contains(FakeGpu.H100_NAME, "by " + hostAddress, "The GPU passed every check on this host.");

        Cli upload = Cli.run("upload", reportFile.toString(), "--server", server, "--api-key", apiKey);
        assertThat(upload.exitCode()).as(upload.err()).isZero();
        assertThat(upload.out()).contains("CERTIFIED", report.gpu().uuid(), "h100-sxm", "FP32 FMA throughput");

        Cli again = Cli.run("upload", reportFile.toString(), "--server", server, "--api-key", apiKey, "--json");
        assertThat(again.exitCode()).isEqualTo(1);
        JsonNode refused = ReportJson.mapper().readTree(again.out());
        assertThat(refused.path("certified").asBoolean()).isFalse();
        assertThat(refused.path("reasons").get(0).path("code").asText()).isEqualTo("nonce");

        Cli wrongKey = Cli.run("upload", reportFile.toString(), "--server", server, "--api-key", "bck_wrong");
        assertThat(wrongKey.exitCode()).isEqualTo(4);
        assertThat(wrongKey.err()).startsWith("bc-cli: the server did not accept the API key");
    }
}
