package gpu;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** Housekeeping: challenges that expired more than a day ago are deleted every hour. */
@ApplicationScoped
class GpuJobs {

    private final Certification certification;

    GpuJobs(Certification certification) {
        this.certification = certification;
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purgeExpiredChallenges() {
        certification.purgeExpiredChallenges();
    }
}
