package credits;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.List;

/** Settings of epoch settlement ({@code bc.settlement.*}); the calendar itself is {@code bc.epochs.*}. */
@ConfigMapping(prefix = "bc.settlement")
public interface SettlementConfig {

    /**
     * How long after an epoch's end its meter posts may still arrive before it is closed and
     * settled. Later posts roll into the next epoch that is settled (docs/decisions.md). Two
     * minutes: the market meters a minute up to about 31 s after it ends, and a reservation's
     * refund for the epoch's last minute must be posted before settlement burns the rest of its escrow.
     */
    @WithDefault("2m")
    Duration closeDelay();

    /**
     * How long a ledger transaction may take from stamping a burn's {@code posted_at} to its
     * commit: a settlement counts the burns posted more than this before it runs, and later ones
     * roll into the next epoch, so none is missed and none counted twice.
     */
    @WithDefault("5s")
    Duration commitMargin();

    /** How often the settlement job looks for epochs to close, settle and publish. */
    @WithDefault("5s")
    Duration interval();

    /** Whether the settlement job runs on this instance (it is safe on every replica: rows are claimed). */
    @WithDefault("true")
    boolean enabled();

    /**
     * Whole tokens emitted in each year of the schedule, first year first; each year's tokens are
     * spread evenly over its epochs (a year is 365 days of epochs from the genesis). After the last
     * year nothing is emitted.
     */
    @WithDefault("300000000,200000000,150000000,120000000,100000000,80000000,50000000")
    List<String> yearlyEmission();

    /** The self-dealing guard of DESIGN section 7 ({@code bc.settlement.self-dealing-guard.*}). */
    SelfDealingGuardConfig selfDealingGuard();

    interface SelfDealingGuardConfig {

        /**
         * Whether settlement caps each pool's rewards relative to the DCs it consumed; when on, the
         * guard (with the token price at the epoch's end) is part of the epoch's inputs.
         */
        @WithDefault("false")
        boolean enabled();

        /** The most a pool's rewards in an epoch may be worth, in basis points of the USD value of the DCs it consumed. */
        @WithDefault("10000")
        @Min(1)
        @Max(SelfDealingGuard.MAX_REWARD_BPS)
        long maxRewardBps();
    }
}
