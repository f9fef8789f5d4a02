package gpu;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An admin's new version of a model row ({@code PUT /api/gpu/models/{id}}). */
@Schema(description = "A row of the GPU model reference table: what a GPU of the model is, and the figures certification holds it to")
public record ModelUpdate(
        @Schema(description = "The model's name for people", example = "NVIDIA H100 SXM5 80GB")
        @NotBlank @Size(max = 100) String name,
        @Schema(description = "Texts one of which the driver's device name must contain", example = "[\"H100 80GB HBM3\", \"H100 SXM\"]")
        @NotEmpty @Size(max = 10) List<@NotBlank @Size(max = 40) @Pattern(regexp = "[^|]*", message = "must not contain |") String> deviceNames,
        @Schema(required = true, description = "Memory in MiB", example = "81559", maximum = "16777216")
        @Positive @Max(16_777_216) int memoryMib,
        @Schema(required = true, description = "Streaming multiprocessors", example = "132", maximum = "100000")
        @Positive @Max(100_000) int smCount,
        @Schema(description = "CUDA compute capability", example = "9.0", maxLength = 7)
        @NotNull @Pattern(regexp = "[0-9]{1,3}\\.[0-9]{1,3}", message = "must look like 9.0") String computeCapability,
        @Schema(required = true, description = "Boost clock in MHz", example = "1980", maximum = "100000")
        @Positive @Max(100_000) int boostClockMhz,
        @NotNull @Valid ReferenceFigures reference,
        @NotNull @Valid PassFractions passFraction,
        @Schema(description = "Calibrated proof-of-GPU figures measured on a real card; absent: deadlines follow from the spec figures")
        @Valid ProofFigures proof) {
}
