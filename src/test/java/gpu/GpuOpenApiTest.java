package gpu;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import platform.EmbeddedPostgresResource;

/**
 * The OpenAPI document states what the gpu endpoints accept: required fields, bounds and an
 * example for every field of their request bodies, and the shape of their path parameters, so
 * API users (and the bad-input sweep) can read them instead of guessing.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class GpuOpenApiTest {

    JsonNode document;

    @BeforeEach
    void read() throws Exception {
        document = new ObjectMapper().readTree(given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .extract().asString());
    }

    JsonNode schema(String name) {
        JsonNode schema = document.path("components").path("schemas").path(name);
        assertThat(schema.isObject()).as("schema " + name + " in " + document.path("components").path("schemas").fieldNames()).isTrue();
        return schema;
    }

    JsonNode operation(String method, String path) {
        JsonNode operation = document.path("paths").path(path).path(method);
        assertThat(operation.isObject()).as(method + " " + path).isTrue();
        return operation;
    }

    /** The schema of a request body, resolved once if it is a reference. */
    JsonNode requestSchema(String method, String path) {
        JsonNode schema = operation(method, path).path("requestBody").path("content").path("application/json").path("schema");
        String ref = schema.path("$ref").asText("");
        return ref.isEmpty() ? schema : schema(ref.substring(ref.lastIndexOf('/') + 1));
    }

    /** OpenAPI 3.1 lists examples ({@code examples}); 3.0 had one ({@code example}). */
    static JsonNode example(JsonNode node) {
        return node.has("example") ? node.get("example") : node.path("examples").path(0);
    }

    static List<String> required(JsonNode schema) {
        List<String> names = new ArrayList<>();
        schema.path("required").forEach(n -> names.add(n.asText()));
        return names;
    }

    /** Every property has an example, and every string property a maxLength, every number a minimum. */
    void everyPropertyIsDescribed(String name, JsonNode schema) {
        schema.path("properties").fields().forEachRemaining(p -> {
            JsonNode property = p.getValue();
            if (property.has("$ref") || "object".equals(property.path("type").asText())) {
                return;
            }
            assertThat(example(property).isMissingNode()).as(name + "." + p.getKey() + " has an example: " + property).isFalse();
            if ("string".equals(property.path("type").asText())) {
                assertThat(property.has("maxLength") || property.has("pattern")).as(name + "." + p.getKey() + " is bounded: " + property).isTrue();
            }
            if ("integer".equals(property.path("type").asText()) || "number".equals(property.path("type").asText())) {
                assertThat(property.has("minimum") || property.has("exclusiveMinimum")).as(name + "." + p.getKey() + " has a minimum: " + property)
                        .isTrue();
            }
        });
    }

    @Test
    void aHostKeyRequestStatesItsRequiredFieldsBoundsAndExamples() {
        JsonNode schema = requestSchema("post", "/api/gpu/host-keys");
        assertThat(required(schema)).containsExactlyInAnyOrder("address", "label");
        assertThat(schema.path("properties").path("address").path("maxLength").asInt()).isEqualTo(42);
        assertThat(schema.path("properties").path("label").path("maxLength").asInt()).isEqualTo(100);
        everyPropertyIsDescribed("NewHostKey", schema);
    }

    @Test
    void aModelUpdateStatesItsRequiredFieldsBoundsAndExamples() {
        JsonNode schema = requestSchema("put", "/api/gpu/models/{id}");
        assertThat(required(schema)).contains("name", "deviceNames", "memoryMib", "smCount", "computeCapability", "boostClockMhz",
                "reference", "passFraction");
        everyPropertyIsDescribed("ModelUpdate", schema);
        JsonNode reference = schema("ReferenceFigures");
        assertThat(required(reference)).containsExactlyInAnyOrder("deviceBandwidthGbs", "hostToDeviceGbs", "deviceToHostGbs", "fp32Tflops",
                "bf16Tflops");
        everyPropertyIsDescribed("ReferenceFigures", reference);
        JsonNode pass = schema("PassFractions");
        assertThat(pass.path("properties").path("fp32Tflops").path("maximum").asInt()).isEqualTo(1);
        everyPropertyIsDescribed("PassFractions", pass);
    }

    @Test
    void aReportUploadStatesItsRequiredPartsAndTheSizeLimit() {
        JsonNode schema = requestSchema("post", "/api/gpu/reports");
        assertThat(required(schema)).containsExactlyInAnyOrder("report", "signature");
        JsonNode signature = schema.path("properties").path("signature");
        assertThat(signature.path("maxLength").asInt()).isEqualTo(132);
        assertThat(example(signature).asText()).startsWith("0x");
        JsonNode report = schema.path("properties").path("report");
        assertThat(report.path("description").asText()).contains("16384").contains("docs/gpu-certification.md");
        assertThat(example(report).path("format").asText()).isEqualTo("bc-gpu-report/1");
    }

    @Test
    void pathParametersStateTheirShape() {
        assertThat(parameter("put", "/api/gpu/models/{id}", "id").path("schema").path("pattern").asText()).isEqualTo("[a-z0-9][a-z0-9-]{0,39}");
        assertThat(parameter("get", "/api/gpu/models/{id}", "id").path("schema").path("maxLength").asInt()).isEqualTo(40);
        assertThat(parameter("get", "/api/gpu/certificates/{hash}", "hash").path("schema").path("pattern").asText()).isEqualTo("0x[0-9a-fA-F]{64}");
        assertThat(parameter("delete", "/api/gpu/certificates/{hash}", "hash").path("example").asText()).startsWith("0x");
        JsonNode uuid = parameter("delete", "/api/gpu/host-keys/{id}", "id").path("schema");
        String ref = uuid.path("$ref").asText("");
        assertThat((ref.isEmpty() ? uuid : schema(ref.substring(ref.lastIndexOf('/') + 1))).path("format").asText()).isEqualTo("uuid");
    }

    JsonNode parameter(String method, String path, String name) {
        for (JsonNode parameter : operation(method, path).path("parameters")) {
            if (name.equals(parameter.path("name").asText())) {
                return parameter;
            }
        }
        throw new AssertionError("no parameter " + name + " of " + method + " " + path + ": " + operation(method, path));
    }
}
