package pools;

/** How a pool is run (DESIGN section 4). */
public enum PoolMode {
    /** The operator's own GPUs. */
    SELF,
    /** One data center's GPUs, whose NFTs are sold to owners. */
    SINGLE_SOURCE,
    /** Several member operators band together under the pool operator's policy. */
    DISTRIBUTED
}
