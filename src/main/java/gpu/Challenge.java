package gpu;

import accounts.WalletAddress;
import java.time.Instant;

/**
 * What a certification run must start from: a single-use nonce and the seed every input is derived
 * from, issued to one operator, good until {@code expiresAt}.
 *
 * @param minStabilitySeconds the shortest stability pass the server accepts
 */
public record Challenge(String nonce, String seed, WalletAddress operator, Instant issuedAt, Instant expiresAt,
                        long minStabilitySeconds) {
}
