package gpu;

import gpu.report.Figure;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotNull;
import java.math.BigDecimal;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** For each figure, the share of the reference a GPU must reach to be certified (0 < f <= 1). */
@Schema(description = "Per figure, the share of the reference a GPU must reach: more than 0, at most 1, 3 decimals")
public record PassFractions(
        @Schema(example = "0.75") @NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") @Digits(integer = 1, fraction = 3) BigDecimal deviceBandwidthGbs,
        @Schema(example = "0.6") @NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") @Digits(integer = 1, fraction = 3) BigDecimal hostToDeviceGbs,
        @Schema(example = "0.6") @NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") @Digits(integer = 1, fraction = 3) BigDecimal deviceToHostGbs,
        @Schema(example = "0.8") @NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") @Digits(integer = 1, fraction = 3) BigDecimal fp32Tflops,
        @Schema(example = "0.6") @NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") @Digits(integer = 1, fraction = 3) BigDecimal bf16Tflops) {

    BigDecimal of(Figure figure) {
        return switch (figure) {
            case DEVICE_BANDWIDTH -> deviceBandwidthGbs;
            case HOST_TO_DEVICE -> hostToDeviceGbs;
            case DEVICE_TO_HOST -> deviceToHostGbs;
            case FP32 -> fp32Tflops;
            case BF16 -> bf16Tflops;
        };
    }
}
