package gpu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import gpu.proof.Prover;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/** Lets tests outside the package answer proof sessions the way the CLI and the node agent do. */
public final class TestProofRunner {

    private TestProofRunner() {
    }

    /** Opens a certification session for {@code gpus} (uuid, model) and answers it with {@code provers}. */
    public static JsonNode certify(String server, String apiKey, IntFunction<Prover> provers, List<Map<String, String>> gpus) {
        try (ProofRunner runner = new ProofRunner(new ServerClient(server, apiKey), provers, new PrintWriter(new StringWriter()))) {
            return runner.certify(gpus);
        }
    }

    /** Answers an open session (a spot check's, as the node agent does) with {@code provers}. */
    public static JsonNode answer(String server, String apiKey, IntFunction<Prover> provers, JsonNode session) {
        try (ProofRunner runner = new ProofRunner(new ServerClient(server, apiKey), provers, new PrintWriter(new StringWriter()))) {
            return runner.run(session);
        }
    }
}
