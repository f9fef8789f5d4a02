package gpu;

/** Why a report was refused: a stable code (docs/gpu-certification.md lists them) and a sentence. */
public record Reason(String code, String message) {
}
