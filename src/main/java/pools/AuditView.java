package pools;

import java.time.Instant;

/** One change of membership: who did it (a wallet, or "policy") and why. */
public record AuditView(long operatorId, String action, String reason, String actor, Instant at) {
}
