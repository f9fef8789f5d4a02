package gpu;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Housekeeping: challenges that expired more than a day ago are deleted every hour. Spot checks are
 * announced and closed every minute, on every replica (ProofOfGpu takes an advisory lock, so one
 * replica does each minute's work).
 */
@ApplicationScoped
class GpuJobs {

    private final Certification certification;
    private final ProofOfGpu proof;

    GpuJobs(Certification certification, ProofOfGpu proof) {
        this.certification = certification;
        this.proof = proof;
    }

    @Scheduled(every = "1m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void spotChecks() {
        proof.closeSpotChecks();
        proof.announceSpotChecks();
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purgeExpiredChallenges() {
        certification.purgeExpiredChallenges();
    }
}
