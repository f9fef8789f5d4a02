package gpu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import gpu.report.ReportJson;
import gpu.report.SignedReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Report and challenge files: indented JSON. */
final class ReportFiles {

    private ReportFiles() {
    }

    static void write(Path file, Object value) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, ReportJson.pretty(value) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliFailure(ExitCode.FILE, "cannot write " + file + ": " + e.getMessage());
        }
    }

    static SignedReport readReport(Path file) {
        JsonNode root = readJson(file);
        if (!root.isObject() || !root.path("report").isObject()) {
            throw new CliFailure(ExitCode.FILE, file + " is not a bc-cli report file (it has no \"report\" object)");
        }
        JsonNode signature = root.get("signature");
        return new SignedReport(root.get("report"), signature == null || signature.isNull() ? null : signature.asText());
    }

    static JsonNode readJson(Path file) {
        try {
            return ReportJson.mapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CliFailure(ExitCode.FILE, "cannot read " + file + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
