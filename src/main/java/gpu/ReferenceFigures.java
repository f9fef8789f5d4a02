package gpu;

import gpu.report.Figure;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.math.BigDecimal;

/** A GPU model's spec figures, which certification measures against: GB/s and dense TFLOP/s. */
public record ReferenceFigures(
        @NotNull @Positive @Digits(integer = 8, fraction = 2) BigDecimal deviceBandwidthGbs,
        @NotNull @Positive @Digits(integer = 8, fraction = 2) BigDecimal hostToDeviceGbs,
        @NotNull @Positive @Digits(integer = 8, fraction = 2) BigDecimal deviceToHostGbs,
        @NotNull @Positive @Digits(integer = 8, fraction = 2) BigDecimal fp32Tflops,
        @NotNull @Positive @Digits(integer = 8, fraction = 2) BigDecimal bf16Tflops) {

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
