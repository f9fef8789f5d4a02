package gpu;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.math.BigDecimal;
import java.time.Duration;

/** Settings of GPU certification ({@code bc.gpu.*}). */
@ConfigMapping(prefix = "bc.gpu")
public interface GpuConfig {

    /** How long a certificate stays valid; pools may ask for a fresh one sooner. */
    @WithDefault("90d")
    Duration certificateValidity();

    /** How long a challenge can be used: the run and the upload must both fit (an air-gapped host included). */
    @WithDefault("30m")
    Duration challengeTtl();

    /** The shortest stability pass a report may have. */
    @WithDefault("20s")
    Duration minStability();

    /**
     * How far above the model's spec (or the peak its reported SMs and clock allow) a figure may lie
     * before it is implausible: 1.2 = 20 % (boost clocks run above the spec sheet's).
     */
    @WithDefault("1.2")
    BigDecimal plausibilityTolerance();

    /** The share of the free memory the memory test must cover. */
    @WithDefault("0.9")
    BigDecimal minMemoryCoverage();

    /** Proof of GPU (docs/gpu-certification.md, "Proof of GPU"). */
    Proof proof();

    interface Proof {

        /** Whether a new certificate needs a passed certification session; off, a report alone certifies (bc-gpu-report/1). */
        @WithDefault("true")
        boolean required();

        /**
         * A round's deadline is this times the model's expected time, plus the network allowance. Below 2, so that
         * one GPU answering for two UUIDs in turn misses it; above 1, so that a card somewhat slower than the
         * reference passes.
         */
        @WithDefault("1.5")
        BigDecimal deadlineFactor();

        /** The most a measured round trip may add to a deadline: a forger can only make round trips look longer. */
        @WithDefault("100ms")
        Duration maxNetworkAllowance();

        /** How long a host has to open what the server names once it has committed (the commitment is what is timed). */
        @WithDefault("30s")
        Duration openingTimeout();

        /** How long after passing a session its GPUs' reports may be uploaded. */
        @WithDefault("1h")
        Duration sessionValidity();

        /** Spot checks per day, at random times: each checks every proof-certified GPU of every operator from one instant. */
        @WithDefault("4")
        int spotChecksPerDay();

        /** How far ahead a spot check's instant is announced to the node agents (they poll every heartbeat). */
        @WithDefault("2m")
        Duration spotCheckNotice();
    }
}
