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
}
