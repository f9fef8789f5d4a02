package gpu;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** A row of the reference table. Device names are stored joined by '|'. */
@Entity
@Table(name = "gpu_model")
class GpuModelEntity extends PanacheEntityBase {

    static final String NAME_SEPARATOR = "|";

    @Id
    public String id;

    @Column(nullable = false)
    public String name;

    @Column(name = "device_names", nullable = false)
    public String deviceNames;

    @Column(name = "memory_mib", nullable = false)
    public int memoryMib;

    @Column(name = "sm_count", nullable = false)
    public int smCount;

    @Column(name = "compute_capability", nullable = false)
    public String computeCapability;

    @Column(name = "boost_clock_mhz", nullable = false)
    public int boostClockMhz;

    @Column(name = "bandwidth_gbs", nullable = false, precision = 10, scale = 2)
    public BigDecimal bandwidthGbs;

    @Column(name = "host_to_device_gbs", nullable = false, precision = 10, scale = 2)
    public BigDecimal hostToDeviceGbs;

    @Column(name = "device_to_host_gbs", nullable = false, precision = 10, scale = 2)
    public BigDecimal deviceToHostGbs;

    @Column(name = "fp32_tflops", nullable = false, precision = 10, scale = 2)
    public BigDecimal fp32Tflops;

    @Column(name = "bf16_tflops", nullable = false, precision = 10, scale = 2)
    public BigDecimal bf16Tflops;

    @Column(name = "bandwidth_pass", nullable = false, precision = 4, scale = 3)
    public BigDecimal bandwidthPass;

    @Column(name = "host_to_device_pass", nullable = false, precision = 4, scale = 3)
    public BigDecimal hostToDevicePass;

    @Column(name = "device_to_host_pass", nullable = false, precision = 4, scale = 3)
    public BigDecimal deviceToHostPass;

    @Column(name = "fp32_pass", nullable = false, precision = 4, scale = 3)
    public BigDecimal fp32Pass;

    @Column(name = "bf16_pass", nullable = false, precision = 4, scale = 3)
    public BigDecimal bf16Pass;

    @Column(name = "proof_bf16_tflops", precision = 14, scale = 6)
    public BigDecimal proofBf16Tflops;

    @Column(name = "proof_bandwidth_gbs", precision = 10, scale = 2)
    public BigDecimal proofBandwidthGbs;

    @Column(name = "proof_sha256_mhs", precision = 12, scale = 2)
    public BigDecimal proofSha256Mhs;

    @Column(name = "proof_measured_on")
    public String proofMeasuredOn;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "updated_by")
    public String updatedBy;

    GpuModel view() {
        List<String> names = Arrays.stream(deviceNames.split("\\" + NAME_SEPARATOR)).map(String::trim)
                .filter(n -> !n.isEmpty()).toList();
        return new GpuModel(id, name, names, memoryMib, smCount, computeCapability, boostClockMhz,
                new ReferenceFigures(bandwidthGbs, hostToDeviceGbs, deviceToHostGbs, fp32Tflops, bf16Tflops),
                new PassFractions(bandwidthPass, hostToDevicePass, deviceToHostPass, fp32Pass, bf16Pass),
                proofBf16Tflops == null ? null : new ProofFigures(proofBf16Tflops, proofBandwidthGbs, proofSha256Mhs, proofMeasuredOn),
                updatedAt);
    }

    void apply(ModelUpdate update) {
        name = update.name().trim();
        deviceNames = String.join(NAME_SEPARATOR, update.deviceNames().stream().map(String::trim).toList());
        memoryMib = update.memoryMib();
        smCount = update.smCount();
        computeCapability = update.computeCapability();
        boostClockMhz = update.boostClockMhz();
        ReferenceFigures r = update.reference();
        bandwidthGbs = r.deviceBandwidthGbs();
        hostToDeviceGbs = r.hostToDeviceGbs();
        deviceToHostGbs = r.deviceToHostGbs();
        fp32Tflops = r.fp32Tflops();
        bf16Tflops = r.bf16Tflops();
        PassFractions p = update.passFraction();
        bandwidthPass = p.deviceBandwidthGbs();
        hostToDevicePass = p.hostToDeviceGbs();
        deviceToHostPass = p.deviceToHostGbs();
        fp32Pass = p.fp32Tflops();
        bf16Pass = p.bf16Tflops();
        ProofFigures proof = update.proof();
        proofBf16Tflops = proof == null ? null : proof.bf16Tflops();
        proofBandwidthGbs = proof == null ? null : proof.deviceBandwidthGbs();
        proofSha256Mhs = proof == null ? null : proof.sha256Mhs();
        proofMeasuredOn = proof == null || proof.measuredOn() == null || proof.measuredOn().isBlank() ? null : proof.measuredOn().trim();
    }
}
