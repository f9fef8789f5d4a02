package gpu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import gpu.cuda.Cuda;
import gpu.cuda.Suite;
import gpu.report.ReportSigning;
import gpu.report.SignedReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.web3j.crypto.ECKeyPair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Challenge, run, sign, upload: certifies this host's GPU in one go. */
@Command(name = "certify", mixinStandardHelpOptions = true, usageHelpWidth = 110,
        description = {"Certifies this host's GPU: asks the server for a challenge, runs the suite on inputs derived from it,"
                + " signs the report with --key-file and uploads it. Prints the certificate or every reason it was refused."})
final class CertifyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    Options.Server server;

    @Mixin
    Options.Run run;

    @Option(names = "--out", paramLabel = "FILE", description = "Also keep the signed report in this file")
    Path out;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        if (run.keyFile == null) {
            throw new CliFailure(ExitCode.USAGE, "give the signing key with --key-file (or BC_GPU_KEY_FILE); make a host key with 'bc-cli keygen'");
        }
        run.suiteOptions(0);
        ECKeyPair key = KeyFile.read(run.keyFile);
        ServerClient client = server.client();
        try (Cuda cuda = SuiteRunner.open(run.device)) {
            String operator = client.expect(client.get("/api/me"), "Checking the API key").path("address").asText();
            String model = run.model != null ? run.model
                    : detectModel(client.expect(client.get("/api/gpu/models"), "Reading the GPU models"), cuda.device());
            JsonNode challenge = client.expect(client.post("/api/gpu/challenges", Map.of()), "Asking for a challenge");
            Suite.Options options = run.suiteOptions(challenge.path("minStabilitySeconds").asLong(0));
            Suite.Outcome outcome = SuiteRunner.run(cuda, new Suite.Claim(challenge.path("nonce").asText(),
                    challenge.path("seed").asText(), operator, model), options, stderr);
            SignedReport signed = ReportSigning.sign(outcome.report(), key);
            if (out != null) {
                ReportFiles.write(out, signed);
            }
            if (!run.json) {
                Summary.report(stdout, outcome.report(), "by " + KeyFile.address(key), outcome.problems());
            }
            return UploadCommand.upload(client, signed, outcome.problems(), run.json, stdout);
        }
    }

    /** The one model in the server's table whose driver names and SM count fit this GPU. */
    static String detectModel(JsonNode models, Cuda.Device device) {
        List<String> matches = new ArrayList<>();
        String name = device.name().toLowerCase(Locale.ROOT);
        for (JsonNode model : models) {
            boolean named = false;
            for (JsonNode deviceName : model.path("deviceNames")) {
                named |= name.contains(deviceName.asText().toLowerCase(Locale.ROOT));
            }
            if (named && model.path("smCount").asInt() == device.smCount()) {
                matches.add(model.path("id").asText());
            }
        }
        if (matches.size() != 1) {
            throw new CliFailure(ExitCode.USAGE, "cannot tell which model '" + device.name() + "' (" + device.smCount() + " SMs) is"
                    + (matches.isEmpty() ? ": the server's table has none that fits" : ": " + matches + " all fit")
                    + "; pass --model (see GET /api/gpu/models)");
        }
        return matches.get(0);
    }
}
