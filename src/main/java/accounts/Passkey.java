package accounts;

import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A passkey of the signed-in account, as its owner sees it (never its key). */
public record Passkey(
        @Schema(required = true, description = "The passkey's id in this API", example = "0b6f3c1e-8f0d-4d57-9c39-2f1f5d3a7c11") UUID id,
        @Schema(required = true, example = "Phone") String name,
        @Schema(required = true) Instant createdAt,
        @Schema(description = "When it last signed in; null if never") Instant lastUsedAt) {
}
