package gpu.cuda;

/** This machine cannot run the benchmark: no NVIDIA driver, no GPU, or not the GPU asked for. */
public class CudaUnavailableException extends Exception {

    public CudaUnavailableException(String message) {
        super(message);
    }
}
