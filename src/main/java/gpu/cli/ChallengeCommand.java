package gpu.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Saves a challenge for a GPU host that cannot reach the server itself. */
@Command(name = "challenge", mixinStandardHelpOptions = true, usageHelpWidth = 110,
        description = "Asks the server for a challenge and saves it, for 'bc-cli run --offline --challenge FILE' on a host"
                + " without network access. It expires (see its expiresAt) and is good for one upload.")
final class ChallengeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    Options.Server server;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to save the challenge (JSON)")
    Path out;

    @Override
    public Integer call() {
        ServerClient client = server.client();
        var challenge = client.expect(client.post("/api/gpu/challenges", Map.of()), "Asking for a challenge");
        ReportFiles.write(out, challenge);
        spec.commandLine().getOut().println("Challenge saved to " + out + "; it expires at " + challenge.path("expiresAt").asText());
        return ExitCode.OK;
    }
}
