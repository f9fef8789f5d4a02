package gpu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import gpu.cuda.Cuda;
import gpu.cuda.CudaUnavailableException;
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

/**
 * Proof of GPU, then challenge, run, sign, upload: certifies this host's GPUs in one go. The GPUs
 * answer one proof session together (docs/gpu-certification.md, "Proof of GPU"); each that passed
 * then runs the suite and uploads its report to the session.
 */
@Command(name = "certify", mixinStandardHelpOptions = true, usageHelpWidth = 110,
        description = {"Certifies this host's GPUs (every GPU, or the one --device names): they answer the server's timed"
                + " proof-of-GPU rounds together, then each that passed runs the suite on a challenge's inputs, signs the report"
                + " with --key-file and uploads it. Prints each certificate or every reason it was refused."})
final class CertifyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    Options.Server server;

    @Mixin
    Options.Run run;

    @Option(names = "--out", paramLabel = "FILE", description = "Also keep the signed report in this file (with one GPU)")
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
        List<Cuda.Device> devices = devices();
        if (out != null && devices.size() > 1) {
            throw new CliFailure(ExitCode.USAGE, "--out keeps one report: name the GPU with --device");
        }
        ServerClient client = server.client();
        String operator = client.expect(client.get("/api/me"), "Checking the API key").path("address").asText();
        JsonNode models = run.model != null ? null : client.expect(client.get("/api/gpu/models"), "Reading the GPU models");
        List<Map<String, String>> claims = devices.stream()
                .map(d -> Map.of("uuid", d.uuid(), "model", run.model != null ? run.model : detectModel(models, d))).toList();

        stderr.println("Proof of GPU: " + devices.size() + " GPU(s) answer the server's timed rounds together");
        stderr.flush();
        JsonNode session;
        try (Provers provers = Provers.gpus();
             ProofRunner runner = new ProofRunner(client, i -> provers.forGpu(claims.get(i).get("uuid")), stderr)) {
            session = runner.certify(claims);
        }
        int exit = ExitCode.OK;
        for (int i = 0; i < devices.size(); i++) {
            JsonNode proven = session.path("gpus").get(i);
            int result;
            if ("PASSED".equals(proven.path("state").asText())) {
                result = certify(client, session.path("id").asText(), devices.get(i), claims.get(i).get("model"), operator, key);
            } else {
                stdout.println("GPU " + devices.get(i).uuid() + " failed the proof of GPU: " + proven.path("reason").asText("no answer"));
                stdout.flush();
                result = ExitCode.FAILED;
            }
            exit = exit == ExitCode.OK ? result : exit;
        }
        return exit;
    }

    /** The GPUs to certify: the one --device names, or every GPU of the host. */
    private List<Cuda.Device> devices() {
        try {
            List<Cuda.Device> all = Cuda.devices();
            if (!spec.commandLine().getParseResult().hasMatchedOption("--device")) {
                return all;
            }
            return List.of(all.stream().filter(d -> d.ordinal() == run.device).findFirst().orElseThrow(() -> new CliFailure(ExitCode.NO_GPU,
                    "there is no GPU " + run.device + " on this machine; it has " + all.size() + " (numbered from 0)")));
        } catch (CudaUnavailableException e) {
            throw new CliFailure(ExitCode.NO_GPU, e.getMessage());
        }
    }

    /** Challenge, suite, signature and upload for one GPU that passed proof session {@code sessionId}. */
    private int certify(ServerClient client, String sessionId, Cuda.Device device, String model, String operator, ECKeyPair key) {
        PrintWriter stdout = spec.commandLine().getOut();
        try (Cuda cuda = SuiteRunner.open(device.ordinal())) {
            JsonNode challenge = client.expect(client.post("/api/gpu/challenges", Map.of()), "Asking for a challenge");
            Suite.Options options = run.suiteOptions(challenge.path("minStabilitySeconds").asLong(0));
            Suite.Outcome outcome = SuiteRunner.run(cuda, new Suite.Claim(challenge.path("nonce").asText(),
                    challenge.path("seed").asText(), operator, model), options, spec.commandLine().getErr());
            SignedReport signed = ReportSigning.sign(outcome.report(), key);
            if (out != null) {
                ReportFiles.write(out, signed);
            }
            if (!run.json) {
                Summary.report(stdout, outcome.report(), "by " + KeyFile.address(key), outcome.problems());
            }
            return UploadCommand.upload(client, "/api/gpu/sessions/" + sessionId + "/reports", signed, outcome.problems(), run.json, stdout);
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
