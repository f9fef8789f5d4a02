package pools;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import platform.DomainException;

/**
 * A GPU's UUID as the driver reports it ({@code nvidia-smi -L}), in one spelling: "GPU-" and
 * lowercase hex. "gpu-8F3C…", "8f3c…" and " GPU-8f3c… " are the same GPU.
 */
public record GpuUuid(String value) {

    /** The longest UUID a request may carry (a UUID is 40 characters; the rest is slack for what agents send). */
    public static final int MAX_LENGTH = 64;
    private static final Pattern CANONICAL = Pattern.compile("GPU-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern SHAPE = Pattern.compile("(?i:GPU-)?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    public GpuUuid {
        if (value == null || !CANONICAL.matcher(value).matches()) {
            throw new IllegalArgumentException("not a GPU UUID in its one spelling: " + value);
        }
    }

    /** The UUID in {@code text}, if it has a UUID's shape (with or without "GPU-", in any case, trimmed). */
    public static Optional<GpuUuid> of(String text) {
        String trimmed = text == null ? "" : text.trim();
        if (trimmed.length() > MAX_LENGTH || !SHAPE.matcher(trimmed).matches()) {
            return Optional.empty();
        }
        String hex = trimmed.regionMatches(true, 0, "GPU-", 0, 4) ? trimmed.substring(4) : trimmed;
        return Optional.of(new GpuUuid("GPU-" + hex.toLowerCase(Locale.ROOT)));
    }

    /** The UUID in {@code text}, or a 400 naming {@code field} with an example. */
    static GpuUuid parse(String field, String text) {
        return of(text).orElseThrow(() -> DomainException.invalid(field
                + ": the GPU UUID the driver reports, such as GPU-8f3c2a1e-0b4d-4c6e-9a7f-1234567890ab"));
    }

    @Override
    public String toString() {
        return value;
    }
}
