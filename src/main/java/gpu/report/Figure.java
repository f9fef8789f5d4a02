package gpu.report;

import java.math.BigDecimal;
import java.util.function.Function;

/** The measured figures that certification compares with a GPU model's reference. */
public enum Figure {
    DEVICE_BANDWIDTH("deviceBandwidthGbs", "Device memory bandwidth", "GB/s", r -> r.bandwidth().deviceGbs()),
    HOST_TO_DEVICE("hostToDeviceGbs", "Host to device (pinned)", "GB/s", r -> r.bandwidth().hostToDeviceGbs()),
    DEVICE_TO_HOST("deviceToHostGbs", "Device to host (pinned)", "GB/s", r -> r.bandwidth().deviceToHostGbs()),
    FP32("fp32Tflops", "FP32 FMA throughput", "TFLOP/s", r -> r.compute().fp32Tflops()),
    BF16("bf16Tflops", "bf16 tensor cores (mma.sync)", "TFLOP/s", r -> r.compute().bf16Tflops());

    private final String key;
    private final String label;
    private final String unit;
    private final Function<GpuReport, BigDecimal> measured;

    Figure(String key, String label, String unit, Function<GpuReport, BigDecimal> measured) {
        this.key = key;
        this.label = label;
        this.unit = unit;
        this.measured = measured;
    }

    /** The name in JSON (reports, certificates, the model table). */
    public String key() {
        return key;
    }

    public String label() {
        return label;
    }

    public String unit() {
        return unit;
    }

    public BigDecimal measured(GpuReport report) {
        return measured.apply(report);
    }
}
