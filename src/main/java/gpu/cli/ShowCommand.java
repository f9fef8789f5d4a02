package gpu.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import gpu.report.GpuReport;
import gpu.report.ReportJson;
import gpu.report.ReportSigning;
import gpu.report.SignedReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import platform.DomainException;

/** Prints a report file as tables (or JSON), with who signed it. */
@Command(name = "show", mixinStandardHelpOptions = true, usageHelpWidth = 110, description = "Prints a report file: its figures, its checks and who signed it.")
final class ShowCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "REPORT", description = "The report file")
    Path file;

    @Option(names = "--json", description = "Print JSON on stdout instead of the tables")
    boolean json;

    @Override
    public Integer call() {
        SignedReport signed = ReportFiles.readReport(file);
        GpuReport report;
        try {
            report = ReportJson.read(signed.report());
        } catch (IllegalArgumentException e) {
            throw new CliFailure(ExitCode.FILE, file + ": " + e.getMessage());
        }
        String signer = null;
        String signature;
        if (signed.signature() == null) {
            signature = "no";
        } else {
            try {
                signer = ReportSigning.signer(signed).checksummed();
                signature = "by " + signer;
            } catch (DomainException | IllegalArgumentException e) {
                signature = "INVALID signature (" + e.getMessage() + ")";
            }
        }
        List<String> problems = problems(report);
        if (json) {
            ObjectNode out = ReportJson.mapper().createObjectNode();
            out.put("signer", signer);
            out.put("passed", problems.isEmpty());
            out.set("problems", ReportJson.tree(problems));
            out.set("report", signed.report());
            spec.commandLine().getOut().println(ReportJson.pretty(out));
        } else {
            Summary.report(spec.commandLine().getOut(), report, signature, problems);
        }
        return problems.isEmpty() ? ExitCode.OK : ExitCode.FAILED;
    }

    /** The GPU's own checks, as recorded in the report. */
    static List<String> problems(GpuReport report) {
        List<String> problems = new ArrayList<>();
        if (report.integrity() != null && report.integrity().errors() != 0) {
            problems.add(report.integrity().errors() + " words of GPU memory did not read back as written");
        }
        if (report.stability() != null && report.stability().mismatches() != 0) {
            problems.add(report.stability().mismatches() + " words of repeated matrix products differed from the first result");
        }
        if (report.stability() != null && !report.stability().freivaldsPassed()) {
            problems.add("the GPU's matrix product failed Freivalds' check on the host");
        }
        return problems;
    }
}
