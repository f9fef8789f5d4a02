package gpu;

import gpu.proof.Openings;
import gpu.proof.ProofWire;
import java.util.ArrayList;
import java.util.List;

/**
 * What a proof session keeps between steps (column {@code rounds}, JSON): the measured pings, each
 * GPU's tasks, what it committed to and what the server named. Lists run over GPUs by position.
 */
class ProofState {

    public List<Long> pingsMs = new ArrayList<>();
    public List<ProofWire.ComputeTask> compute = new ArrayList<>();
    public List<ProofWire.MemoryTask> memory = new ArrayList<>();
    public List<String> computeRoots;
    public List<String> memoryRoots;
    public List<List<Openings.Entry>> entries;
    public List<List<Long>> chains;
}
