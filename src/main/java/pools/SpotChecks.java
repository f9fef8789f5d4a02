package pools;

import accounts.Caller;
import gpu.ProofOfGpu;
import gpu.SpotResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import platform.DomainException;

/**
 * Who sees a GPU's spot checks: the GPU's operator, the operator of its pool (whose reputation and
 * member policy the GPU's failures weigh on), and admins. Like the certification reports the checks
 * stand for, they are the operator's to see, not the public's; the public sees what they cost in
 * reputation and in an epoch's online seconds.
 */
@ApplicationScoped
class SpotChecks {

    /** The most checks per GPU that the pool's management page shows. */
    static final int ON_PAGE = 5;

    private final ProofOfGpu proof;
    private final Operators operators;

    SpotChecks(ProofOfGpu proof, Operators operators) {
        this.proof = proof;
        this.operators = operators;
    }

    /** The GPU's latest checks, newest first; a 404 for no such GPU, a 403 for a caller who may not see them. */
    List<SpotCheck> of(Caller caller, long gpuId, int limit) {
        GpuEntity gpu = GpuEntity.<GpuEntity>findByIdOptional(gpuId).orElseThrow(() -> DomainException.notFound("There is no GPU " + gpuId));
        if (!caller.isAdmin() && !mayOperate(operatorIds(caller), gpu, PoolEntity.existing(gpu.poolId).operatorId)) {
            throw DomainException.forbidden("Only the GPU's operator, its pool's operator and admins see GPU " + gpuId + "'s spot checks");
        }
        return proof.recentSpotChecks(gpu.gpuUuid, limit).stream().map(SpotCheck::of).toList();
    }

    /** The latest checks ({@link #ON_PAGE}) of each GPU of the pool that the caller may see, by GPU id (one query for all of them). */
    Map<Long, List<SpotCheck>> ofPool(Caller caller, long poolId) {
        PoolEntity pool = PoolEntity.existing(poolId);
        Set<Long> mine = operatorIds(caller);
        List<GpuEntity> visible = GpuEntity.<GpuEntity>list("poolId = ?1 order by id", poolId).stream()
                .filter(g -> caller.isAdmin() || mayOperate(mine, g, pool.operatorId)).toList();
        Map<String, List<SpotCheck>> byUuid = proof.recentSpotChecks(visible.stream().map(g -> g.gpuUuid).toList(), ON_PAGE).stream()
                .collect(Collectors.groupingBy(SpotResult::gpuUuid, Collectors.mapping(SpotCheck::of, Collectors.toList())));
        Map<Long, List<SpotCheck>> checks = new HashMap<>();
        visible.forEach(g -> checks.put(g.id, byUuid.getOrDefault(g.gpuUuid, List.of())));
        return checks;
    }

    private Set<Long> operatorIds(Caller caller) {
        return operators.of(caller.address()).stream().map(o -> o.id).collect(Collectors.toSet());
    }

    private static boolean mayOperate(Set<Long> callersOperators, GpuEntity gpu, long poolOperatorId) {
        return callersOperators.contains(gpu.operatorId) || callersOperators.contains(poolOperatorId);
    }
}
