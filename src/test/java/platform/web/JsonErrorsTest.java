package platform.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import platform.DomainException;

/** Jackson's failures in the words of the JSON a person sent, without Quarkus (the HTTP paths are in ProblemDetailsTest). */
class JsonErrorsTest {

    record Inner(int count) {
        Inner {
            if (count < 0) {
                throw DomainException.invalid("count must not be negative");
            }
        }
    }

    record Outer(String name, List<Inner> items) {
    }

    private static final JsonLimits.Config LIMITS = new JsonLimits.Config() {
        public int maxNumberLength() { return 100; }
        public int maxStringLength() { return 65536; }
        public int maxNameLength() { return 256; }
        public int maxNestingDepth() { return 64; }
        public long maxDocumentLength() { return 1 << 20; }
    };

    private static JsonErrors.Described describe(ObjectMapper mapper, String json) {
        JsonProcessingException e = catchThrowableOfType(JsonProcessingException.class, () -> mapper.readValue(json, Outer.class));
        assertThat(e).as("refused: " + json).isNotNull();
        return JsonErrors.describe(e, LIMITS);
    }

    @Test
    void aRefusalThrownWhileARecordIsBuiltKeepsItsKindAndNamesTheField() {
        JsonErrors.Described d = describe(new ObjectMapper(), "{\"items\": [{\"count\": 1}, {\"count\": -1}]}");
        assertThat(d.status()).isEqualTo(400);
        assertThat(d.field()).isEqualTo("items[1]");
        assertThat(d.message()).contains("count must not be negative");
    }

    @Test
    void anUnknownFieldListsTheKnownOnes() {
        ObjectMapper strict = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        JsonErrors.Described d = describe(strict, "{\"nmae\": \"x\"}");
        assertThat(d.field()).isEqualTo("nmae");
        assertThat(d.message()).contains("is not a field of this request").contains("items, name");
    }

    @Test
    void noJavaTypeIsNamed() {
        JsonErrors.Described d = describe(new ObjectMapper(), "{\"items\": {\"count\": 1}}");
        assertThat(d.detail()).isEqualTo(JsonErrors.PREFIX + "items must be a list").doesNotContain("java", "$", "`");
        d = describe(new ObjectMapper(), "{\"items\": [5]}");
        assertThat(d.detail()).isEqualTo(JsonErrors.PREFIX + "items[0] must be an object");
    }

    @Test
    void theExpectedJsonIsSaidInJsonTerms() {
        assertThat(JsonErrors.expected(boolean.class)).isEqualTo("true or false");
        assertThat(JsonErrors.expected(Long.class)).startsWith("a whole number");
        assertThat(JsonErrors.expected(java.math.BigDecimal.class)).isEqualTo("a number");
        assertThat(JsonErrors.expected(String.class)).isEqualTo("a string");
        assertThat(JsonErrors.expected(List.class)).isEqualTo("a list");
        assertThat(JsonErrors.expected(Outer.class)).isEqualTo("an object");
        assertThat(JsonErrors.expected(java.time.LocalDate.class)).contains("2026-01-31");
        assertThat(JsonErrors.expected(java.util.UUID.class)).startsWith("a UUID");
        assertThat(JsonErrors.expected(java.time.DayOfWeek.class)).startsWith("one of \"MONDAY\", \"TUESDAY\"");
    }
}
