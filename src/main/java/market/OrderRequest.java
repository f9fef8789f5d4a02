package market;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import platform.DomainException;
import pools.Workload;

/**
 * An order as a customer asks for it (the body of {@code POST /api/market/orders} and of a quote):
 * {@code gpus} GPUs of pool {@code poolId}; {@code start} and {@code end} for reservations only; an
 * optional workload (already bounded by {@link Workload}). The shape is checked here; the rules that
 * need the time and the settings (whole hours, not in the past, bounded length) in {@link Orders}.
 */
public record OrderRequest(Long poolId, OrderKind kind, Integer gpus, Instant start, Instant end, Workload workload) {

    /** The most GPUs one order takes (the most an escrow names). */
    public static final int MAX_GPUS = credits.EscrowTerms.MAX_GPUS;

    public OrderRequest {
        if (poolId == null || poolId < 1) {
            throw DomainException.invalid("poolId: the pool to rent from (GET /api/market/pools lists them)");
        }
        if (kind == null) {
            throw DomainException.invalid("kind: SPOT, ON_DEMAND or RESERVED");
        }
        if (gpus == null || gpus < 1 || gpus > MAX_GPUS) {
            throw DomainException.invalid("gpus: from 1 to " + MAX_GPUS + " GPUs");
        }
        if (kind == OrderKind.RESERVED) {
            if (start == null || end == null) {
                throw DomainException.invalid("start, end: a reservation names its window, such as 2026-12-04T10:00:00Z to 2026-12-05T10:00:00Z");
            }
            if (!start.isBefore(end)) {
                throw DomainException.invalid("end: a reservation ends after it starts");
            }
        } else if (start != null || end != null) {
            throw DomainException.invalid("start, end: only reservations name a window; spot and on-demand rentals start now and run until stopped");
        }
    }

    /** A digest of what was asked: the same key with another body is a conflict. */
    String digest() {
        StringBuilder text = new StringBuilder().append(poolId).append('|').append(kind).append('|').append(gpus).append('|')
                .append(start).append('|').append(end).append('|');
        if (workload != null) {
            text.append(workload.image()).append('|').append(workload.sshPublicKey()).append('|');
            workload.env().forEach((name, value) -> text.append(name.length()).append(':').append(name)
                    .append(value.length()).append(':').append(value));
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
