package archfixture.pools;

/** Stands in for the pools facade in ArchitectureTest's planted violation. */
public class Pools {
}
