package archfixture.accounts;

/** A deliberate violation for ArchitectureTest: accounts may use no other module. */
public class Planted {

    public Object reachIntoPools() {
        return new archfixture.pools.Pools();
    }
}
