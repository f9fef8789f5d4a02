package gpu.report;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the CLI uploads ({@code POST /api/gpu/reports}) and writes to a report file: the report and an
 * EIP-191 {@code personal_sign} signature (65 bytes, hex) over the report's canonical JSON.
 */
public record SignedReport(JsonNode report, String signature) {
}
