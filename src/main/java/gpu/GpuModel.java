package gpu;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * One row of the reference table: a GPU model, how the driver names it, its spec figures and the
 * pass fraction of each.
 *
 * @param deviceNames what {@code cuDeviceGetName} says for this model: a report matches if its
 *                    name contains one of them, ignoring case
 * @param memoryMib   the memory the driver reports (cuDeviceTotalMem), in MiB
 * @param proof       calibrated proof-of-GPU figures measured on a real card, or null (timed from the spec)
 */
public record GpuModel(
        String id,
        String name,
        List<String> deviceNames,
        int memoryMib,
        int smCount,
        String computeCapability,
        int boostClockMhz,
        ReferenceFigures reference,
        PassFractions passFraction,
        ProofFigures proof,
        Instant updatedAt) {

    public GpuModel {
        deviceNames = List.copyOf(deviceNames);
    }

    /** Whether the driver's name for a GPU is one of this model's names. */
    public boolean matchesName(String deviceName) {
        String lower = deviceName == null ? "" : deviceName.toLowerCase(Locale.ROOT);
        return deviceNames.stream().anyMatch(n -> lower.contains(n.toLowerCase(Locale.ROOT)));
    }
}
