package accounts;

import java.time.Instant;
import java.util.Set;

/** A wallet that has signed in, as an admin sees it. */
public record Account(WalletAddress address, Set<String> roles, Instant createdAt, Instant lastSignInAt, long activeApiKeys) {
}
