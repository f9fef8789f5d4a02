package accounts;

import java.time.Instant;
import java.util.UUID;

/** An API key as its owner sees it later: never the secret, only the prefix that identifies it. */
public record ApiKey(UUID id, String name, String prefix, Instant createdAt, Instant lastUsedAt, Instant revokedAt) {

    public boolean active() {
        return revokedAt == null;
    }
}
