package gpu;

import accounts.WalletAddress;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gpu.report.CanonicalJson;
import gpu.report.Figure;
import gpu.report.GpuReport;
import gpu.report.ReferenceMath;
import gpu.report.ReportJson;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The canonical content of a certificate, and its hash: the SHA-256 of that UTF-8 text. Every value
 * is a string or an integer, so the text is {@link CanonicalJson}'s and anyone can recompute the hash.
 */
final class CertificateContent {

    static final String FORMAT = "bc-gpu-certificate/1";
    static final String DEMO_FORMAT = "bc-gpu-certificate/demo";
    /** The protocols that issue certificates: a report alone (before proof of GPU), a proof session and its report, demo. */
    static final String REPORT_PROTOCOL = "bc-gpu-report/1";
    static final String PROOF_PROTOCOL = "bc-proof/1";
    static final String DEMO_PROTOCOL = "demo";

    private CertificateContent() {
    }

    static String build(GpuReport report, UUID reportId, String reportSha256, GpuModel model, WalletAddress operator,
                        WalletAddress signer, Instant issuedAt, Instant expiresAt, ProofGpuEntity proven) {
        ObjectNode root = ReportJson.mapper().createObjectNode();
        root.put("format", FORMAT);
        if (proven != null) {
            root.put("protocol", PROOF_PROTOCOL);
            ObjectNode proof = root.putObject("proof");
            proof.put("session", proven.sessionId.toString());
            proof.put("computeMs", proven.computeMs);
            proof.put("computeDeadlineMs", proven.computeDeadlineMs);
            proof.put("memoryMs", proven.memoryMs);
            proof.put("memoryDeadlineMs", proven.memoryDeadlineMs);
        }
        ObjectNode gpu = root.putObject("gpu");
        gpu.put("uuid", report.gpu().uuid());
        gpu.put("name", report.gpu().name());
        gpu.put("pciBusId", report.gpu().pciBusId());
        gpu.put("totalMemoryBytes", report.gpu().totalMemoryBytes());
        gpu.put("driverVersion", report.gpu().driverVersion());
        root.put("model", model.id());
        root.put("operator", operator.value());
        root.put("signer", signer.value());
        root.put("issuedAt", issuedAt.toString());
        root.put("expiresAt", expiresAt.toString());
        ObjectNode reportNode = root.putObject("report");
        reportNode.put("id", reportId.toString());
        reportNode.put("sha256", reportSha256);
        ObjectNode figures = root.putObject("figures");
        figures(report, model).forEach((key, f) -> {
            ObjectNode node = figures.putObject(key);
            node.put("measured", f.measured().toPlainString());
            node.put("reference", f.reference().toPlainString());
            node.put("passFraction", f.passFraction().toPlainString());
            node.put("margin", f.margin().toPlainString());
        });
        return CanonicalJson.write(root);
    }

    /** Each figure of the report against the model: measured / reference, 4 decimals, half-even. */
    static Map<String, CertifiedFigure> figures(GpuReport report, GpuModel model) {
        Map<String, CertifiedFigure> out = new LinkedHashMap<>();
        for (Figure figure : Figure.values()) {
            BigDecimal measured = figure.measured(report);
            BigDecimal reference = model.reference().of(figure);
            out.put(figure.key(), new CertifiedFigure(measured, reference, model.passFraction().of(figure),
                    measured.divide(reference, 4, RoundingMode.HALF_EVEN)));
        }
        return out;
    }

    /**
     * A demo certificate's content: no report, the model's reference figures as measured, and
     * {@code "demo": true}, so that anyone reading it (or the GPU NFT's metadata) sees what it is.
     */
    static String demo(String gpuUuid, GpuModel model, WalletAddress operator, Instant issuedAt, Instant expiresAt) {
        ObjectNode root = ReportJson.mapper().createObjectNode();
        root.put("format", DEMO_FORMAT);
        root.put("demo", true);
        ObjectNode gpu = root.putObject("gpu");
        gpu.put("uuid", gpuUuid);
        gpu.put("name", model.deviceNames().isEmpty() ? model.name() : model.deviceNames().get(0));
        root.put("model", model.id());
        root.put("operator", operator.value());
        root.put("issuedAt", issuedAt.toString());
        root.put("expiresAt", expiresAt.toString());
        ObjectNode figures = root.putObject("figures");
        for (Figure figure : Figure.values()) {
            ObjectNode node = figures.putObject(figure.key());
            String reference = model.reference().of(figure).toPlainString();
            node.put("measured", reference);
            node.put("reference", reference);
            node.put("passFraction", model.passFraction().of(figure).toPlainString());
            node.put("margin", "1.0000");
        }
        return CanonicalJson.write(root);
    }

    static String hash(String content) {
        return ReferenceMath.sha256(content.getBytes(StandardCharsets.UTF_8));
    }

    static Certificate view(CertificateEntity entity) {
        JsonNode root;
        try {
            root = ReportJson.mapper().readTree(entity.content);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("certificate " + entity.hash + " has unreadable content", e);
        }
        Map<String, CertifiedFigure> figures = new LinkedHashMap<>();
        root.path("figures").fields().forEachRemaining(e -> figures.put(e.getKey(), new CertifiedFigure(
                new BigDecimal(e.getValue().path("measured").asText()),
                new BigDecimal(e.getValue().path("reference").asText()),
                new BigDecimal(e.getValue().path("passFraction").asText()),
                new BigDecimal(e.getValue().path("margin").asText()))));
        return new Certificate(entity.hash, entity.gpuUuid, root.path("gpu").path("name").asText(), entity.modelId,
                WalletAddress.of(entity.operator), entity.issuedAt, entity.expiresAt, entity.revokedAt, entity.supersededBy,
                figures, entity.content, entity.demo, entity.protocol);
    }
}
