package gpu;

import gpu.report.Figure;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotNull;
import java.math.BigDecimal;

/** For each figure, the share of the reference a GPU must reach to be certified (0 < f <= 1). */
public record PassFractions(
        @NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") @Digits(integer = 1, fraction = 3) BigDecimal deviceBandwidthGbs,
        @NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") @Digits(integer = 1, fraction = 3) BigDecimal hostToDeviceGbs,
        @NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") @Digits(integer = 1, fraction = 3) BigDecimal deviceToHostGbs,
        @NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") @Digits(integer = 1, fraction = 3) BigDecimal fp32Tflops,
        @NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") @Digits(integer = 1, fraction = 3) BigDecimal bf16Tflops) {

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
