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

    /** Answers the spot checks due for {@code uuids} as the node agent does, each GPU with {@code provers}; the sessions as they ended. */
    public static List<JsonNode> answerSpotChecks(String server, String apiKey, java.util.function.Function<String, Prover> provers,
                                                  List<String> uuids) {
        Provers byUuid = new Provers() {
            @Override
            public Prover forGpu(String uuid) {
                return provers.apply(uuid);
            }

            @Override
            public void close() {
            }
        };
        return new SpotChecks(new ServerClient(server, apiKey), () -> byUuid, new PrintWriter(new StringWriter())).answerDue(uuids);
    }
}
