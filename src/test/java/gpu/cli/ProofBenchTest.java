package gpu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import gpu.proof.ComputeRound;
import gpu.proof.CpuProver;
import gpu.proof.MemoryRound;
import gpu.proof.Openings;
import gpu.proof.Prover;
import org.junit.jupiter.api.Test;

/**
 * proof-bench's logic with the CPU emulation in the GPU's place (the command itself needs a card,
 * bench/gpu-device.sh): an honest prover passes the self-check and gets its figures, and one whose
 * openings are wrong is told so.
 */
class ProofBenchTest {

    @Test
    void anHonestProverPassesTheSelfCheckAndGetsCalibrationFigures() {
        Prover cpu = new CpuProver(2);
        assertThat(ProofBenchCommand.selfCheck(cpu)).isEmpty();

        ProofBenchCommand.Figures figures = ProofBenchCommand.measure(cpu, ProofBenchCommand.SMALL_COMPUTE, ProofBenchCommand.SMALL_MEMORY, 900);
        assertThat(figures.checked()).isEmpty();
        JsonNode json = figures.json("this CPU");
        assertThat(json.path("proof").path("bf16Tflops").asDouble()).isPositive().isEqualTo(figures.bf16Tflops(), org.assertj.core.api.Assertions.within(1e-6));
        assertThat(json.path("proof").path("sha256Mhs").asDouble()).isPositive();
        assertThat(json.path("proof").path("deviceBandwidthGbs").asDouble()).isEqualTo(900);
        assertThat(json.path("proof").path("measuredOn").asText()).isEqualTo("this CPU");
    }

    @Test
    void aProverWhoseTilesAreWrongFailsTheSelfCheck() {
        Prover cpu = new CpuProver(1);
        Prover wrong = new Prover() {
            @Override
            public ComputeCommitment compute(byte[] seed, ComputeRound.Size size) {
                ComputeCommitment honest = cpu.compute(seed, size);
                return new ComputeCommitment() {
                    @Override
                    public byte[] root() {
                        return honest.root();
                    }

                    @Override
                    public Openings.Opening open(Openings.Entry entry) {
                        Openings.Opening right = honest.open(entry);
                        int[] values = right.values().clone();
                        values[0] ^= 1;
                        return new Openings.Opening(right.tile(), values, right.path());
                    }
                };
            }

            @Override
            public MemoryCommitment memory(byte[] seed, MemoryRound.Params params) {
                return cpu.memory(seed, params);
            }
        };
        assertThat(ProofBenchCommand.selfCheck(wrong)).hasValueSatisfying(why -> assertThat(why).startsWith("compute round"));
    }
}
