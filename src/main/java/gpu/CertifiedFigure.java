package gpu;

import java.math.BigDecimal;

/**
 * One figure of a certificate: what the GPU measured, the model's reference, the pass fraction it
 * had to reach, and the margin {@code measured / reference} (4 decimals, half-even), which pools
 * use for reputation.
 */
public record CertifiedFigure(BigDecimal measured, BigDecimal reference, BigDecimal passFraction, BigDecimal margin) {
}
