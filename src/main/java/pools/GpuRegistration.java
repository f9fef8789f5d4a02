package pools;

/** A GPU an operator registers to a pool: where it runs, its serial number and the UUID the driver reports. */
public record GpuRegistration(Long operatorId, String hostName, String serialNumber, String uuid) {
}
