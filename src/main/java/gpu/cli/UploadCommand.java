package gpu.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import gpu.report.ReportJson;
import gpu.report.SignedReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Uploads a report that 'run' wrote, for certification. */
@Command(name = "upload", mixinStandardHelpOptions = true, usageHelpWidth = 110,
        description = "Uploads a signed report written by 'bc-cli run --challenge ...' and prints the certificate or the reasons it was refused.")
final class UploadCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "REPORT", description = "The report file")
    Path file;

    @Mixin
    Options.Server server;

    @Option(names = "--json", description = "Print JSON on stdout instead of the tables")
    boolean json;

    @Override
    public Integer call() {
        SignedReport signed = ReportFiles.readReport(file);
        if (signed.signature() == null) {
            throw new CliFailure(ExitCode.USAGE, file + " is not signed: run it again with --key-file");
        }
        return upload(server.client(), "/api/gpu/reports", signed, List.of(), json, spec.commandLine().getOut());
    }

    /**
     * Uploads {@code signed} to {@code path} (the one-shot path, or a proof session's reports) and
     * prints the outcome; the exit status it stands for.
     */
    static int upload(ServerClient client, String path, SignedReport signed, List<String> problems, boolean json, PrintWriter out) {
        ServerClient.Reply reply = client.post(path, signed);
        if (reply.status() != 201 && reply.status() != 422) {
            client.expect(reply, "Uploading the report");
        }
        boolean certified = reply.status() == 201;
        if (json) {
            ObjectNode result = ReportJson.mapper().createObjectNode();
            result.put("certified", certified);
            result.set("certificate", certified ? reply.body() : null);
            result.set("reasons", certified ? ReportJson.mapper().createArrayNode() : reply.body().path("reasons"));
            result.set("problems", ReportJson.tree(problems));
            out.println(ReportJson.pretty(result));
        } else if (certified) {
            Summary.certificate(out, reply.body());
        } else {
            Summary.refused(out, reply.body());
        }
        out.flush();
        return certified ? ExitCode.OK : ExitCode.FAILED;
    }
}
