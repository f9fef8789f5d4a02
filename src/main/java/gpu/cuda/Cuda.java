package gpu.cuda;

import static jcuda.driver.JCudaDriver.cuCtxCreate;
import static jcuda.driver.JCudaDriver.cuCtxDestroy;
import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuCtxSynchronize;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDeviceGetPCIBusId;
import static jcuda.driver.JCudaDriver.cuDeviceGetUuid;
import static jcuda.driver.JCudaDriver.cuDeviceTotalMem;
import static jcuda.driver.JCudaDriver.cuDriverGetVersion;
import static jcuda.driver.JCudaDriver.cuEventCreate;
import static jcuda.driver.JCudaDriver.cuEventElapsedTime;
import static jcuda.driver.JCudaDriver.cuEventRecord;
import static jcuda.driver.JCudaDriver.cuEventSynchronize;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemFreeHost;
import static jcuda.driver.JCudaDriver.cuMemGetInfo;
import static jcuda.driver.JCudaDriver.cuMemHostAlloc;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoHAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemsetD32;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import jcuda.driver.CUuuid;
import jcuda.driver.JCudaDriver;

/**
 * One GPU through JCuda's driver API: a context, a stream, the suite's PTX module, and the few
 * operations the benchmark needs. Errors from the driver surface as {@link CudaException}.
 */
public final class Cuda implements AutoCloseable {

    /** What the driver says about the device, before any context exists. */
    public record Device(int ordinal, String name, String uuid, String pciBusId, long totalMemoryBytes, int smCount,
                         int ccMajor, int ccMinor, int clockMhz, int memoryClockMhz, int memoryBusWidthBits,
                         int maxThreadsPerSm, int l2Bytes, String driverVersion) {

        public String computeCapability() {
            return ccMajor + "." + ccMinor;
        }
    }

    private final Device device;
    private final CUcontext context = new CUcontext();
    private final CUstream stream = new CUstream();
    private final CUevent start = new CUevent();
    private final CUevent stop = new CUevent();
    private final Map<Kernel, CUfunction> functions = new EnumMap<>(Kernel.class);

    private Cuda(Device device, CUdevice handle) {
        this.device = device;
        cuCtxCreate(context, 0, handle);
        cuStreamCreate(stream, 0);
        cuEventCreate(start, 0);
        cuEventCreate(stop, 0);
    }

    /**
     * Opens GPU {@code ordinal}; a {@link CudaUnavailableException} with one line a person can read
     * when there is no driver, no GPU, or no GPU with that number.
     */
    public static Cuda open(int ordinal) throws CudaUnavailableException {
        CUdevice handle = new CUdevice();
        try {
            JCudaDriver.setExceptionsEnabled(true);
            cuInit(0);
            int[] count = new int[1];
            cuDeviceGetCount(count);
            if (count[0] == 0) {
                throw new CudaUnavailableException("no NVIDIA GPU on this machine (the driver found none)");
            }
            if (ordinal < 0 || ordinal >= count[0]) {
                throw new CudaUnavailableException("there is no GPU " + ordinal + " on this machine; it has "
                        + count[0] + " (numbered from 0)");
            }
            cuDeviceGet(handle, ordinal);
            return new Cuda(describe(ordinal, handle), handle);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError | ExceptionInInitializerError e) {
            throw new CudaUnavailableException(noDriver(e));
        } catch (CudaException e) {
            String code = String.valueOf(e.getMessage());
            if (code.contains("CUDA_ERROR_NO_DEVICE")) {
                throw new CudaUnavailableException("no NVIDIA GPU on this machine (" + code + ")");
            }
            throw new CudaUnavailableException("the NVIDIA driver could not open the GPU: " + code);
        }
    }

    /** Every GPU the driver sees, without opening any (for the node agent's heartbeats). */
    public static java.util.List<Device> devices() throws CudaUnavailableException {
        try {
            JCudaDriver.setExceptionsEnabled(true);
            cuInit(0);
            int[] count = new int[1];
            cuDeviceGetCount(count);
            java.util.List<Device> devices = new java.util.ArrayList<>();
            for (int ordinal = 0; ordinal < count[0]; ordinal++) {
                CUdevice handle = new CUdevice();
                cuDeviceGet(handle, ordinal);
                devices.add(describe(ordinal, handle));
            }
            if (devices.isEmpty()) {
                throw new CudaUnavailableException("no NVIDIA GPU on this machine (the driver found none)");
            }
            return devices;
        } catch (UnsatisfiedLinkError | NoClassDefFoundError | ExceptionInInitializerError e) {
            throw new CudaUnavailableException(noDriver(e));
        } catch (CudaException e) {
            throw new CudaUnavailableException("the NVIDIA driver could not list the GPUs: " + e.getMessage());
        }
    }

    private static String noDriver(Throwable e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("libcuda")) {
            return "no NVIDIA driver on this machine (libcuda.so.1 not found); the benchmark needs an NVIDIA GPU and its driver";
        }
        String first = message.lines().findFirst().orElse(e.getClass().getSimpleName());
        return "the NVIDIA driver could not be loaded (" + first + "); the benchmark needs an NVIDIA GPU and its driver";
    }

    private static Device describe(int ordinal, CUdevice handle) {
        byte[] name = new byte[256];
        cuDeviceGetName(name, name.length, handle);
        CUuuid uuid = new CUuuid();
        cuDeviceGetUuid(uuid, handle);
        String[] bus = new String[1];
        cuDeviceGetPCIBusId(bus, 64, handle);
        long[] total = new long[1];
        cuDeviceTotalMem(total, handle);
        int[] version = new int[1];
        cuDriverGetVersion(version);
        return new Device(ordinal, cString(name), uuid(uuid.bytes), bus[0] == null ? "" : bus[0].trim().toLowerCase(Locale.ROOT), total[0],
                attribute(handle, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT),
                attribute(handle, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR),
                attribute(handle, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR),
                attribute(handle, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_CLOCK_RATE) / 1000,
                attribute(handle, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE) / 1000,
                attribute(handle, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_GLOBAL_MEMORY_BUS_WIDTH),
                attribute(handle, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_MULTIPROCESSOR),
                attribute(handle, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE),
                (version[0] / 1000) + "." + (version[0] % 1000) / 10);
    }

    /** The UUID as nvidia-smi prints it: GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx. */
    static String uuid(byte[] bytes) {
        StringBuilder hex = new StringBuilder();
        for (byte b : bytes) {
            hex.append(String.format("%02x", b & 0xFF));
        }
        String h = hex.toString();
        return "GPU-" + h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20)
                + "-" + h.substring(20, 32);
    }

    private static String cString(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8).trim();
    }

    private static int attribute(CUdevice handle, int attribute) {
        int[] value = new int[1];
        cuDeviceGetAttribute(value, attribute, handle);
        return value[0];
    }

    public Device device() {
        return device;
    }

    /** JIT-compiles the PTX text and looks up every kernel of {@link Kernel}. */
    public void load(String ptx) {
        CUmodule module = new CUmodule();
        byte[] text = (ptx + "\0").getBytes(StandardCharsets.US_ASCII);
        cuModuleLoadData(module, text);
        for (Kernel kernel : Kernel.values()) {
            CUfunction function = new CUfunction();
            cuModuleGetFunction(function, module, kernel.entry());
            functions.put(kernel, function);
        }
    }

    /** Free and total device memory, in bytes. */
    public long[] memoryInfo() {
        long[] free = new long[1];
        long[] total = new long[1];
        cuMemGetInfo(free, total);
        return new long[] {free[0], total[0]};
    }

    public CUdeviceptr alloc(long bytes) {
        CUdeviceptr ptr = new CUdeviceptr();
        cuMemAlloc(ptr, bytes);
        return ptr;
    }

    public void free(CUdeviceptr ptr) {
        if (ptr != null) {
            cuMemFree(ptr);
        }
    }

    public Pointer allocPinned(long bytes) {
        Pointer ptr = new Pointer();
        cuMemHostAlloc(ptr, bytes, 0);
        return ptr;
    }

    public void freePinned(Pointer ptr) {
        if (ptr != null) {
            cuMemFreeHost(ptr);
        }
    }

    public void zero(CUdeviceptr ptr, long bytes) {
        cuMemsetD32(ptr, 0, bytes / 4);
    }

    /** Launches a 1-D grid on the suite's stream. Arguments: CUdeviceptr, Long (u64), Integer, Float. */
    public void launch(Kernel kernel, int blocks, int threads, Object... args) {
        launch2d(kernel, blocks, 1, threads, args);
    }

    /** Launches a 2-D grid (blocksX x blocksY) on the suite's stream. */
    public void launch2d(Kernel kernel, int blocksX, int blocksY, int threads, Object... args) {
        Pointer[] params = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) {
            Object arg = args[i];
            if (arg instanceof CUdeviceptr ptr) {
                params[i] = Pointer.to(ptr);
            } else if (arg instanceof Long l) {
                params[i] = Pointer.to(new long[] {l});
            } else if (arg instanceof Integer n) {
                params[i] = Pointer.to(new int[] {n});
            } else if (arg instanceof Float f) {
                params[i] = Pointer.to(new float[] {f});
            } else {
                throw new IllegalArgumentException("kernel argument " + i + " of " + kernel + " is a " + arg.getClass());
            }
        }
        cuLaunchKernel(functions.get(kernel), blocksX, blocksY, 1, threads, 1, 1, 0, stream, Pointer.to(params), null);
    }

    /** Milliseconds that {@code work}, queued on the suite's stream, takes on the GPU (CUDA events). */
    public float time(Runnable work) {
        cuEventRecord(start, stream);
        work.run();
        cuEventRecord(stop, stream);
        cuEventSynchronize(stop);
        float[] ms = new float[1];
        cuEventElapsedTime(ms, start, stop);
        return ms[0];
    }

    public void copyDeviceToDevice(CUdeviceptr dst, CUdeviceptr src, long bytes) {
        cuMemcpyDtoDAsync(dst, src, bytes, stream);
    }

    public void copyHostToDevice(CUdeviceptr dst, Pointer src, long bytes) {
        cuMemcpyHtoDAsync(dst, src, bytes, stream);
    }

    public void copyDeviceToHost(Pointer dst, CUdeviceptr src, long bytes) {
        cuMemcpyDtoHAsync(dst, src, bytes, stream);
    }

    public float[] downloadFloats(CUdeviceptr src, int count) {
        synchronize();
        float[] out = new float[count];
        cuMemcpyDtoH(Pointer.to(out), src, (long) count * Float.BYTES);
        return out;
    }

    public long downloadLong(CUdeviceptr src) {
        synchronize();
        long[] out = new long[1];
        cuMemcpyDtoH(Pointer.to(out), src, Long.BYTES);
        return out[0];
    }

    /** {@code count} bytes from {@code offset} bytes into {@code src}, once the stream's work is done. */
    public byte[] downloadBytes(CUdeviceptr src, long offset, int count) {
        synchronize();
        byte[] out = new byte[count];
        cuMemcpyDtoH(Pointer.to(out), src.withByteOffset(offset), count);
        return out;
    }

    /** A new device buffer holding {@code bytes}. */
    public CUdeviceptr upload(byte[] bytes) {
        CUdeviceptr ptr = alloc(bytes.length);
        cuMemcpyHtoD(ptr, Pointer.to(bytes), bytes.length);
        return ptr;
    }

    /** Makes this GPU's context the calling thread's: every thread that launches on it calls this first. */
    public void makeCurrent() {
        cuCtxSetCurrent(context);
    }

    public int downloadInt(CUdeviceptr src) {
        synchronize();
        int[] out = new int[1];
        cuMemcpyDtoH(Pointer.to(out), src, Integer.BYTES);
        return out[0];
    }

    public void synchronize() {
        cuStreamSynchronize(stream);
    }

    @Override
    public void close() {
        try {
            cuCtxSynchronize();
        } finally {
            cuCtxDestroy(context);
        }
    }
}
