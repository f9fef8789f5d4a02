package chain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** Effects as the outbox stores them: JSON with a "kind" naming the record. */
final class Effects {

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private Effects() {
    }

    static String write(ChainEffect effect) {
        try {
            return JSON.writeValueAsString(effect);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot store effect " + effect, e);
        }
    }

    static ChainEffect read(String json) {
        try {
            return JSON.readValue(json, ChainEffect.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot read stored effect " + json, e);
        }
    }

    static String kind(ChainEffect effect) {
        return effect.getClass().getSimpleName();
    }
}
