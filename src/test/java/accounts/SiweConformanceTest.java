package accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import platform.DomainException;

/**
 * EIP-4361 conformance: the parsing vectors of the reference implementation (spruceid/siwe, copied
 * into src/test/resources/siwe with their source named in its README) run through our parser.
 */
class SiweConformanceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> negativeVectors() {
        List<Arguments> vectors = new ArrayList<>();
        read("parsing_negative.json").fields().forEachRemaining(e -> vectors.add(Arguments.of(e.getKey(), e.getValue().asText())));
        return vectors.stream();
    }

    static Stream<Arguments> positiveVectors() {
        List<Arguments> vectors = new ArrayList<>();
        read("parsing_positive.json").fields().forEachRemaining(e -> vectors.add(Arguments.of(e.getKey(), e.getValue())));
        return vectors.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("negativeVectors")
    void everyMalformedReferenceMessageIsRefusedAsMalformed(String name, String message) {
        assertThatThrownBy(() -> SiweMessage.parse(message))
                .isInstanceOf(DomainException.class)
                .hasMessageStartingWith("The message is not a valid Sign-In with Ethereum (EIP-4361) message")
                .satisfies(e -> assertThat(((DomainException) e).kind()).isEqualTo(DomainException.Kind.INVALID));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("positiveVectors")
    void everyWellFormedReferenceMessageParsesToItsFields(String name, JsonNode vector) {
        JsonNode fields = vector.get("fields");
        SiweMessage message = SiweMessage.parse(vector.get("message").asText());

        assertThat(message.scheme()).isEqualTo(text(fields, "scheme"));
        assertThat(message.domain()).isEqualTo(fields.get("domain").asText());
        assertThat(message.address().checksummed()).isEqualTo(fields.get("address").asText());
        assertThat(message.statement()).isEqualTo(text(fields, "statement"));
        assertThat(message.uri().toString()).isEqualTo(fields.get("uri").asText());
        assertThat(fields.get("version").asText()).isEqualTo("1");
        assertThat(message.chainId()).isEqualTo(fields.get("chainId").asLong());
        assertThat(message.nonce()).isEqualTo(fields.get("nonce").asText());
        assertThat(message.issuedAt()).isEqualTo(OffsetDateTime.parse(fields.get("issuedAt").asText()).toInstant());
        assertThat(message.expirationTime()).isEqualTo(text(fields, "expirationTime").map(t -> OffsetDateTime.parse(t).toInstant()));
        assertThat(message.notBefore()).isEqualTo(text(fields, "notBefore").map(t -> OffsetDateTime.parse(t).toInstant()));
        assertThat(message.requestId()).isEqualTo(text(fields, "requestId"));
        List<String> resources = new ArrayList<>();
        if (fields.has("resources")) {
            fields.get("resources").forEach(r -> resources.add(r.asText()));
        }
        assertThat(message.resources()).isEqualTo(resources);
    }

    @Test
    void allTheReferenceVectorsAreThere() {
        assertThat(negativeVectors()).hasSize(29);
        assertThat(positiveVectors()).hasSize(19);
    }

    private static Optional<String> text(JsonNode fields, String name) {
        JsonNode value = fields.get(name);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }

    private static JsonNode read(String file) {
        try (InputStream in = SiweConformanceTest.class.getResourceAsStream("/siwe/" + file)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("siwe/" + file + " could not be read", e);
        }
    }
}
