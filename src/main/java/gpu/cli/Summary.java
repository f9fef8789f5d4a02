package gpu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import gpu.report.Figure;
import gpu.report.GpuReport;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The readable tables bc-cli prints: a report's figures and checks, a certificate, a refusal's reasons. */
final class Summary {

    private Summary() {
    }

    static void report(PrintWriter out, GpuReport r, String signature, List<String> problems) {
        GpuReport.Identity gpu = r.gpu();
        out.println();
        out.printf("GPU        %s  %s%n", gpu.name(), gpu.uuid());
        out.printf("           %d MiB, %d SMs at %d MHz, compute capability %s, PCI %s, driver %s%n",
                gpu.totalMemoryBytes() >> 20, gpu.smCount(), gpu.clockMhz(), gpu.computeCapability(), gpu.pciBusId(), gpu.driverVersion());
        out.printf("Challenge  %s%n", r.challenge().nonce() == null ? "none (practice run: the report cannot be certified)"
                : "nonce " + r.challenge().nonce());
        out.printf("Model      %s%n", r.model() == null ? "not claimed" : r.model());
        out.printf("Operator   %s%n", r.operator() == null ? "not set" : r.operator());
        out.printf("Signed     %s%n", signature);
        out.println();
        GpuReport.Bandwidth bw = r.bandwidth();
        row(out, "Figure", "Measured", "Detail");
        row(out, "------", "--------", "------");
        row(out, Figure.DEVICE_BANDWIDTH.label(), bw.deviceGbs().toPlainString() + " GB/s",
                "copy " + bw.copyGbs() + " (" + bw.copyKernel() + "), triad " + bw.triadGbs() + ", cuMemcpyDtoD " + bw.memcpyDtoDGbs()
                        + ": copy = " + percent(bw.copyGbs(), bw.memcpyDtoDGbs()) + " of cuMemcpyDtoD");
        row(out, Figure.HOST_TO_DEVICE.label(), bw.hostToDeviceGbs() + " GB/s", (bw.pinnedBytes() >> 20) + " MiB pinned");
        row(out, Figure.DEVICE_TO_HOST.label(), bw.deviceToHostGbs() + " GB/s", (bw.pinnedBytes() >> 20) + " MiB pinned");
        BigDecimal peak = BigDecimal.valueOf((long) gpu.smCount() * ("8.0".equals(gpu.computeCapability()) ? 64 : 128) * 2 * gpu.clockMhz(),
                6);
        row(out, Figure.FP32.label(), r.compute().fp32Tflops() + " TFLOP/s", percent(r.compute().fp32Tflops(), peak) + " of the "
                + peak.setScale(1, RoundingMode.HALF_EVEN) + " TFLOP/s peak of " + gpu.smCount() + " SMs at " + gpu.clockMhz() + " MHz");
        row(out, Figure.BF16.label(), r.compute().bf16Tflops() + " TFLOP/s", "mma.sync m16n8k16, fp32 accumulate");
        GpuReport.Integrity mem = r.integrity();
        row(out, "Memory test", mem.errors() + " errors", (mem.testedBytes() >> 20) + " of " + (mem.freeBytes() >> 20) + " MiB free ("
                + percent(BigDecimal.valueOf(mem.testedBytes()), BigDecimal.valueOf(mem.freeBytes())) + "), " + mem.patterns().size()
                + " patterns, " + mem.seconds() + " s");
        GpuReport.Stability st = r.stability();
        row(out, "Stability", st.mismatches() + " mismatches", st.iterations() + " products of " + st.matrixSize() + "x" + st.matrixSize()
                + " in " + st.seconds() + " s, Freivalds " + (st.freivaldsPassed() ? "passed" : "FAILED"));
        out.println();
        try {
            Duration took = Duration.between(Instant.parse(r.startedAt()), Instant.parse(r.finishedAt()));
            out.printf("The run took %.1f s on the GPU host.%n", took.toMillis() / 1000.0);
        } catch (RuntimeException unreadable) {
            out.println("The run's start and end times are unreadable.");
        }
        if (problems.isEmpty()) {
            out.println("The GPU passed every check on this host.");
        } else {
            out.println("The GPU FAILED on this host:");
            problems.forEach(p -> out.println("  - " + p));
        }
    }

    static void certificate(PrintWriter out, JsonNode certificate) {
        out.println();
        out.println("CERTIFIED  " + certificate.path("gpuName").asText() + "  " + certificate.path("gpuUuid").asText());
        out.println("Model      " + certificate.path("modelId").asText());
        out.println("Hash       " + certificate.path("hash").asText());
        out.println("Valid      " + certificate.path("issuedAt").asText() + " to " + certificate.path("expiresAt").asText());
        out.println();
        row(out, "Figure", "Measured", "Reference  Pass at  Margin");
        row(out, "------", "--------", "---------  -------  ------");
        for (Figure figure : Figure.values()) {
            JsonNode f = certificate.path("figures").path(figure.key());
            if (!f.isMissingNode()) {
                row(out, figure.label(), f.path("measured").asText() + " " + figure.unit(),
                        String.format("%-9s  %-7s  %s", f.path("reference").asText(), f.path("passFraction").asText(), f.path("margin").asText()));
            }
        }
    }

    static void refused(PrintWriter out, JsonNode problem) {
        out.println();
        out.println("NOT CERTIFIED. The server's reasons:");
        for (JsonNode reason : problem.path("reasons")) {
            out.println("  - [" + reason.path("code").asText() + "] " + reason.path("message").asText());
        }
    }

    private static void row(PrintWriter out, String a, String b, String c) {
        out.printf("%-30s %-18s %s%n", a, b, c);
    }

    private static String percent(BigDecimal part, BigDecimal whole) {
        if (part == null || whole == null || whole.signum() == 0) {
            return "?";
        }
        return part.multiply(BigDecimal.valueOf(100)).divide(whole, 1, RoundingMode.HALF_EVEN) + " %";
    }
}
