package pools;

import java.util.regex.Pattern;
import platform.DomainException;

/**
 * What a node agent reports about one lease's workload with a heartbeat: its state, a short reason
 * (FAILED) and the endpoint customers connect to ({@code host:port}). Bounded here, where it is
 * parsed; pools trusts none of it beyond the lease feed ({@link Pools#heartbeat}).
 */
public record WorkloadReport(String leaseId, WorkloadState state, String reason, String endpoint) {

    public static final int MAX_LEASE_ID_LENGTH = 100;
    public static final int MAX_REASON_LENGTH = 200;
    public static final int MAX_ENDPOINT_LENGTH = 262;
    /** host:port: a name or IPv4 address, or an IPv6 address in brackets, and a port. */
    private static final Pattern ENDPOINT = Pattern.compile("(?:[A-Za-z0-9][A-Za-z0-9.-]{0,252}|\\[[0-9A-Fa-f:.]{2,45}\\]):[0-9]{1,5}");
    private static final Pattern PRINTABLE = Pattern.compile("[\\x20-\\x7e]*");

    public WorkloadReport {
        if (leaseId == null || leaseId.isEmpty() || leaseId.length() > MAX_LEASE_ID_LENGTH || !PRINTABLE.matcher(leaseId).matches()) {
            throw DomainException.invalid("workloads.leaseId: the lease's id from the lease feed, 1 to " + MAX_LEASE_ID_LENGTH
                    + " printable characters");
        }
        if (state == null) {
            throw DomainException.invalid("workloads.state: one of STARTING, RUNNING, FAILED, STOPPED");
        }
        if (reason != null && (reason.length() > MAX_REASON_LENGTH || !PRINTABLE.matcher(reason).matches())) {
            throw DomainException.invalid("workloads.reason: at most " + MAX_REASON_LENGTH + " printable characters on one line");
        }
        if (endpoint != null && (endpoint.length() > MAX_ENDPOINT_LENGTH || !ENDPOINT.matcher(endpoint).matches()
                || Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1)) > 65_535)) {
            throw DomainException.invalid("workloads.endpoint: host:port, such as gpu-7.dc.example:49153 or [2001:db8::7]:2222");
        }
        reason = reason == null || reason.isBlank() ? null : reason.strip();
    }
}
