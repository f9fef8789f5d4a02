package gpu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gpu.cuda.Cuda;
import gpu.cuda.Suite;
import gpu.report.ReportJson;
import gpu.report.ReportSigning;
import gpu.report.SeedStreams;
import gpu.report.SignedReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.Callable;
import org.web3j.crypto.ECKeyPair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs the suite and writes the (signed) report to a file, to upload later or to keep. */
@Command(name = "run", mixinStandardHelpOptions = true, usageHelpWidth = 110,
        description = {"Runs the benchmark suite and writes the report to a file, without uploading it.",
                "With --challenge (from 'bc-cli challenge') the report can be uploaded later with 'bc-cli upload';"
                        + " without one it is a practice run that shows the figures but cannot be certified."})
final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--offline", description = "Do not contact any server (the challenge, if any, comes from --challenge)")
    boolean offline;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the report (JSON)")
    Path out;

    @Option(names = "--challenge", paramLabel = "FILE", description = "A challenge saved by 'bc-cli challenge'")
    Path challengeFile;

    @Mixin
    Options.Run run;

    @Mixin
    Options.Server server;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        if (offline && server.given()) {
            throw new CliFailure(ExitCode.USAGE, "--offline and --server contradict each other: drop one");
        }
        if (challengeFile != null && server.given()) {
            throw new CliFailure(ExitCode.USAGE, "give either --challenge or --server, not both");
        }
        ECKeyPair key = run.keyFile == null ? null : KeyFile.read(run.keyFile);
        JsonNode challenge = null;
        if (challengeFile != null) {
            challenge = ReportFiles.readJson(challengeFile);
        } else if (server.given()) {
            ServerClient client = server.client();
            challenge = client.expect(client.post("/api/gpu/challenges", Map.of()), "Asking for a challenge");
        }
        Suite.Options options = run.suiteOptions(challenge == null ? 0 : challenge.path("minStabilitySeconds").asLong(0));
        Suite.Claim claim = challenge == null
                ? new Suite.Claim(null, SeedStreams.newSeed(new SecureRandom()), null, run.model)
                : new Suite.Claim(text(challenge, "nonce"), text(challenge, "seed"), text(challenge, "operator"), run.model);
        try {
            SeedStreams.parse(claim.seed());
        } catch (IllegalArgumentException e) {
            throw new CliFailure(ExitCode.FILE, "the challenge has no valid seed: " + e.getMessage());
        }

        Suite.Outcome outcome;
        try (Cuda cuda = SuiteRunner.open(run.device)) {
            outcome = SuiteRunner.run(cuda, claim, options, stderr);
        }
        SignedReport signed = key == null ? new SignedReport(ReportJson.tree(outcome.report()), null)
                : ReportSigning.sign(outcome.report(), key);
        ReportFiles.write(out, signed);
        if (run.json) {
            ObjectNode json = ReportJson.mapper().createObjectNode();
            json.put("file", out.toString());
            json.put("passed", outcome.problems().isEmpty());
            json.set("problems", ReportJson.tree(outcome.problems()));
            json.set("report", signed.report());
            json.put("signature", signed.signature());
            stdout.println(ReportJson.pretty(json));
        } else {
            Summary.report(stdout, outcome.report(), key == null ? "no (give --key-file to sign)" : "by " + KeyFile.address(key),
                    outcome.problems());
            stdout.println("Report written to " + out + (claim.nonce() == null ? "" : "; upload it with: bc-cli upload " + out));
        }
        return outcome.problems().isEmpty() ? ExitCode.OK : ExitCode.FAILED;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
