package platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;

/**
 * The epoch calendar shared by pools (when a share change takes effect, online seconds per epoch)
 * and credits (settlement): epoch 0 starts at {@code bc.epochs.genesis}, each lasts
 * {@code bc.epochs.length}. Epochs are aligned to whole hours so that hourly uptime sums up exactly.
 */
@ApplicationScoped
public class Epochs {

    private final Instant genesis;
    private final Duration length;

    @Inject
    Epochs(PlatformConfig config) {
        this(config.epochs().genesis(), config.epochs().length());
    }

    public Epochs(Instant genesis, Duration length) {
        if (genesis.getEpochSecond() % 3600 != 0 || length.toSeconds() % 3600 != 0 || length.isZero() || length.isNegative()) {
            throw new IllegalArgumentException("bc.epochs.genesis must be on a whole hour and bc.epochs.length a positive number of whole hours");
        }
        this.genesis = genesis;
        this.length = length;
    }

    /** The epoch that contains {@code instant} (negative before genesis). */
    public long epochAt(Instant instant) {
        return Math.floorDiv(instant.getEpochSecond() - genesis.getEpochSecond(), length.toSeconds());
    }

    public Instant startOf(long epoch) {
        return genesis.plusSeconds(Math.multiplyExact(epoch, length.toSeconds()));
    }

    public Instant endOf(long epoch) {
        return startOf(epoch + 1);
    }

    public Duration length() {
        return length;
    }
}
