package gpu;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.List;

/** An admin's new version of a model row ({@code PUT /api/gpu/models/{id}}). */
public record ModelUpdate(
        @NotBlank @Size(max = 100) String name,
        @NotEmpty @Size(max = 10) List<@NotBlank @Size(max = 40) @Pattern(regexp = "[^|]*", message = "must not contain |") String> deviceNames,
        @Positive int memoryMib,
        @Positive int smCount,
        @NotNull @Pattern(regexp = "[0-9]{1,3}\\.[0-9]{1,3}", message = "must look like 9.0") String computeCapability,
        @Positive int boostClockMhz,
        @NotNull @Valid ReferenceFigures reference,
        @NotNull @Valid PassFractions passFraction) {
}
