package platform.web;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.quarkus.jackson.ObjectMapperCustomizer;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.inject.Singleton;

/**
 * Bounds and strictness for every JSON body the app parses, applied to the one ObjectMapper that
 * Quarkus REST uses. Jackson's own defaults (numbers of 1,000 digits, strings of 20 million
 * characters, nesting 500 deep) let one request cost seconds of CPU in code that parses numbers
 * or walks trees; these limits refuse such a body while it is read, with a 400 that names the
 * limit (see {@link JsonErrors}). Strictness: a JSON value must have the type the field has (no
 * {@code "5"} for a number, {@code 5} for a string, {@code 1.5} for a whole number, {@code 0}
 * for an enum), and no string may contain U+0000, which PostgreSQL cannot store, or other control characters.
 */
@Singleton
public class JsonLimits implements ObjectMapperCustomizer {

    /**
     * Settings {@code bc.json.*}; the defaults are far above what any endpoint needs. Read when the
     * ObjectMapper is built, at static initialisation: set them in application.properties, as
     * system properties or as environment variables.
     */
    @ConfigMapping(prefix = "bc.json")
    @io.quarkus.runtime.annotations.StaticInitSafe
    public interface Config {
        /** Characters of one JSON number (digits, sign, point, exponent); a uint256 has 78 digits. */
        @WithDefault("100")
        int maxNumberLength();

        /** Characters of one JSON string; the longest legitimate one (a sign-in message) is a few hundred. */
        @WithDefault("65536")
        int maxStringLength();

        /** Characters of one field name. */
        @WithDefault("256")
        int maxNameLength();

        /** Objects and lists inside each other; the deepest request (a settlement scenario) has 5. */
        @WithDefault("64")
        int maxNestingDepth();

        /** Bytes of one JSON document; a backstop behind the HTTP body limit (a network-wide simulation is about 11 MB). */
        @WithDefault("16777216")
        long maxDocumentLength();
    }

    private final Config config;

    JsonLimits(Config config) {
        this.config = config;
    }

    Config config() {
        return config;
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNumberLength(config.maxNumberLength())
                .maxStringLength(config.maxStringLength())
                .maxNameLength(config.maxNameLength())
                .maxNestingDepth(config.maxNestingDepth())
                .maxDocumentLength(config.maxDocumentLength())
                .build());
        mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        for (LogicalType scalar : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            mapper.coercionConfigFor(scalar).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
            mapper.coercionConfigFor(scalar).setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.registerModule(new SimpleModule("bc-strings").addDeserializer(String.class, new StorableString()));
    }

    /**
     * Refuses a string with U+0000 (PostgreSQL text cannot hold it) or another control character
     * than tab, line feed and carriage return (no field of ours means one, and in names and
     * messages they are a way to garble what others see).
     */
    static final class StorableString extends com.fasterxml.jackson.databind.deser.std.StringDeserializer {

        static final String NUL = "must not contain the NUL character (U+0000)";
        static final String CONTROL = "must not contain control characters (other than tab and line breaks)";

        @Override
        public String deserialize(com.fasterxml.jackson.core.JsonParser parser,
                                  com.fasterxml.jackson.databind.DeserializationContext context) throws java.io.IOException {
            String value = super.deserialize(parser, context);
            if (value == null) {
                return null;
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == 0) {
                    throw com.fasterxml.jackson.databind.exc.InvalidFormatException.from(parser, NUL, value, String.class);
                }
                if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
                    throw com.fasterxml.jackson.databind.exc.InvalidFormatException.from(parser, CONTROL, value, String.class);
                }
            }
            return value;
        }
    }
}
