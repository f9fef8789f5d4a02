package gpu.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * bc-cli: benchmarks this host's NVIDIA GPU and certifies it with a Berkeley Compute server
 * (docs/gpu-certification.md). Runs from target/bc-cli.jar, which holds no server code.
 */
@Command(name = "bc-cli",
        mixinStandardHelpOptions = true,
        usageHelpWidth = 110,
        versionProvider = BcCli.Version.class,
        description = {"Benchmarks this host's NVIDIA GPU and certifies it with a Berkeley Compute server.", "",
                "Typical use on a GPU host:",
                "  java -jar bc-cli.jar keygen --out host.key    (once; register its address on the server)",
                "  java -jar bc-cli.jar certify --server https://compute.example.org --api-key bck_... --key-file host.key",
                ""},
        subcommands = {CertifyCommand.class, RunCommand.class, UploadCommand.class, ChallengeCommand.class, ShowCommand.class,
                KeygenCommand.class, AgentCommand.class, ProofBenchCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nExit status:%n",
        footer = {
                "  0   done: certified, or the run passed every check",
                "  1   the GPU failed a check, or the server refused the report (reasons printed)",
                "  2   wrong command line",
                "  3   no NVIDIA GPU or driver on this machine",
                "  4   the server could not be reached or refused the request",
                "  5   a file could not be read or written",
                "  70  unexpected error"})
public class BcCli implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Name a command: certify, run, upload, challenge, show or keygen");
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and gives its exit status; failures are one line on {@code err}, never a stack trace. */
    static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new BcCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof CliFailure failure) {
                err.println("bc-cli: " + failure.getMessage());
                err.flush();
                return failure.exitCode();
            }
            err.println("bc-cli: unexpected error: " + e);
            err.flush();
            return ExitCode.INTERNAL;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"bc-cli " + SuiteRunner.version()};
        }
    }
}
