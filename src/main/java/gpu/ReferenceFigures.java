package gpu;

import gpu.report.Figure;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.math.BigDecimal;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A GPU model's spec figures, which certification measures against: GB/s and dense TFLOP/s. */
@Schema(description = "The model's spec figures: GB/s and dense TFLOP/s, at most 8 digits before the point and 2 after")
public record ReferenceFigures(
        @Schema(example = "3350", maximum = "99999999.99") @NotNull @Positive @Digits(integer = 8, fraction = 2) BigDecimal deviceBandwidthGbs,
        @Schema(example = "64", maximum = "99999999.99") @NotNull @Positive @Digits(integer = 8, fraction = 2) BigDecimal hostToDeviceGbs,
        @Schema(example = "64", maximum = "99999999.99") @NotNull @Positive @Digits(integer = 8, fraction = 2) BigDecimal deviceToHostGbs,
        @Schema(example = "66.9", maximum = "99999999.99") @NotNull @Positive @Digits(integer = 8, fraction = 2) BigDecimal fp32Tflops,
        @Schema(example = "989.4", maximum = "99999999.99") @NotNull @Positive @Digits(integer = 8, fraction = 2) BigDecimal bf16Tflops) {

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
