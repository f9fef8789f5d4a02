package gpu;

import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A model's calibrated proof figures: what the proof rounds' kernels measured on a real card of the
 * model (bench/gpu-device.sh). The rounds' deadlines follow from them; a model without them is timed
 * from its spec figures times their pass fractions (docs/gpu-certification.md, "Sizing").
 */
@Schema(description = "What the proof-of-GPU kernels measured on a real card of the model; deadlines follow from these")
public record ProofFigures(
        @Schema(description = "The proof kernel's bf16 rate, TFLOP/s (6 decimals, so a small card or a CPU reference fits)",
                example = "620.5", maximum = "99999999.999999")
        @NotNull @Positive @Digits(integer = 8, fraction = 6) BigDecimal bf16Tflops,
        @Schema(example = "3950", maximum = "99999999.99") @NotNull @Positive @Digits(integer = 8, fraction = 2) BigDecimal deviceBandwidthGbs,
        @Schema(description = "SHA-256 compressions per second, in millions", example = "9500", maximum = "9999999999.99")
        @NotNull @Positive @Digits(integer = 10, fraction = 2) BigDecimal sha256Mhs,
        @Schema(description = "Where and how they were measured", example = "H200, driver 580.159.04, bench/gpu-device.sh", maxLength = 200)
        @Size(max = 200) String measuredOn) {
}
