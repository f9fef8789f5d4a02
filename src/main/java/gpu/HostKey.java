package gpu;

import accounts.WalletAddress;
import java.time.Instant;
import java.util.UUID;

/** An address whose key lives on one of the operator's GPU hosts and may sign that operator's reports. */
public record HostKey(UUID id, WalletAddress address, String label, Instant createdAt, Instant revokedAt) {

    public boolean active() {
        return revokedAt == null;
    }
}
