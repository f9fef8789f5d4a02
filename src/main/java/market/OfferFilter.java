package market;

import java.time.Instant;
import platform.DomainException;

/**
 * What the marketplace list is filtered by, every part optional: model, region, kind, at least
 * {@code gpus} free, and the window free GPUs are counted over (reservations; on-demand counts over
 * now + the on-demand horizon, spot counts now).
 */
public record OfferFilter(String model, String region, OrderKind kind, Integer gpus, Instant start, Instant end) {

    public static final int MAX_TEXT = 60;

    public OfferFilter {
        model = text("model", model);
        region = text("region", region);
        if (gpus != null && (gpus < 1 || gpus > OrderRequest.MAX_GPUS)) {
            throw DomainException.invalid("gpus: from 1 to " + OrderRequest.MAX_GPUS);
        }
        if (start != null && end != null && !start.isBefore(end)) {
            throw DomainException.invalid("end: the window ends after it starts");
        }
    }

    private static String text(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > MAX_TEXT || value.chars().anyMatch(Character::isISOControl)) {
            throw DomainException.invalid(field + ": at most " + MAX_TEXT + " characters, without control characters");
        }
        return value.strip();
    }
}
